/**
 * What `send_head` hands `copyfile` to send: bytes in memory, a small file
 * read whole into a pooled buffer, or an open file streamed in bounded
 * chunks; and the reads that fill them.
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `SimpleHTTPRequestHandler.copyfile` (the file `send_head` opened, sent and closed).
 *
 * @module
 */
import { isUtf8 } from "node:buffer";
import { writeUncopied } from "../socketserver/_socket_io.ts";
import { BufferPool } from "../socketserver/_buffer_pool.ts";
import { OpenNode } from "./_open_node.ts";
import type { ResponseWriter } from "./io.ts";

/** Files up to this size are read whole and sent with the head in one write. */
export const SMALL_FILE = 64 * 1024;
/**
 * Bytes per read when a file is streamed: large enough that the reads and
 * writes cost little, small enough that a connection holds little.
 */
const CHUNK = 256 * 1024;

/** An open file (or part of one) to send: its bytes as a stream. */
export interface FileSource {
  /** The bytes to send; reading it to the end or cancelling it closes the file. */
  readonly readable: ReadableStream<Uint8Array>;
  /** Closes the file without sending it. */
  close(): void;
}

/** What `send_head` returns for `copyfile` to send: bytes or an open file. */
export type CopySource = Uint8Array | FileSource;

/**
 * A file opened by `send_head`, or the part of it a range asks for. Its
 * `readable` is made on first use; `copyfile` reads the file directly.
 */
export class OpenFile implements FileSource {
  readonly #file: Deno.FsFile;
  readonly #start: number;
  #short = false;
  readonly #length: number;
  #open = true;

  constructor(file: Deno.FsFile, start: number, length: number) {
    this.#file = file;
    this.#start = start;
    this.#length = length;
  }

  get readable(): ReadableStream<Uint8Array> {
    const file = this.#file;
    let remaining = this.#length;
    let positioned = this.#start === 0;
    return new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        try {
          if (!positioned) {
            await file.seek(this.#start, Deno.SeekMode.Start);
            positioned = true;
          }
          const buffer = new Uint8Array(Math.min(CHUNK, remaining));
          const read = remaining > 0 ? await file.read(buffer) : null;
          if (read === null) {
            this.#short = remaining > 0;
            this.close();
            controller.close();
            return;
          }
          remaining -= read;
          controller.enqueue(buffer.subarray(0, read));
          if (remaining <= 0) {
            this.close();
            controller.close();
          }
        } catch (error) {
          this.close();
          controller.error(error);
        }
      },
      cancel: () => this.close(),
    });
  }

  /**
   * Sends the file to `output` a chunk at a time, waiting for the client
   * whenever much is queued (so memory stays bounded), then closes it.
   */
  async copyTo(output: ResponseWriter): Promise<void> {
    const file = this.#file;
    try {
      if (this.#start > 0) await file.seek(this.#start, Deno.SeekMode.Start);
      // One buffer for the whole copy, queued as it is and sent before it
      // is read into again: a client that stops reading holds this buffer,
      // not copies of it.
      const buffer = new Uint8Array(Math.min(CHUNK, this.#length));
      let remaining = this.#length;
      while (remaining > 0) {
        const read = await file.read(
          remaining < buffer.length ? buffer.subarray(0, remaining) : buffer,
        );
        if (read === null) break;
        writeUncopied(output, buffer.subarray(0, read));
        remaining -= read;
        await output.flush();
      }
      this.#short = remaining > 0;
    } finally {
      this.close();
    }
  }

  /** Whether the file ended before the length announced (it was cut short). */
  get short(): boolean {
    return this.#short;
  }

  close(): void {
    if (!this.#open) return;
    this.#open = false;
    try {
      this.#file.close();
    } catch {
      // Already closed.
    }
  }
}

/** Buffers of small files read whole before their head is sent, for reuse. */
const SMALL_FILE_BUFFERS = new BufferPool(SMALL_FILE, 64);

/**
 * A small file (or part of one) read whole before its head is sent, into a
 * buffer that goes back to a pool when the response is done: serving files
 * the cache does not hold then allocates nothing. Only the default
 * `copyfile` reads that buffer, writing it at once (`wfile.write` copies);
 * `readable` hands out a copy, so no other code can hold the buffer once
 * it is reused.
 */
export class BufferedFile implements FileSource {
  #buffer: Uint8Array<ArrayBuffer> | null;
  readonly #length: number;

  private constructor(buffer: Uint8Array<ArrayBuffer>, length: number) {
    this.#buffer = buffer;
    this.#length = length;
  }

  /** `length` bytes of `file` from `start`, or `null` if it is shorter. */
  static read(
    file: OpenedFile,
    start: number,
    length: number,
  ): BufferedFile | null {
    const buffer = SMALL_FILE_BUFFERS.take();
    if (!readFully(file, start, buffer.subarray(0, length))) {
      SMALL_FILE_BUFFERS.give(buffer);
      return null;
    }
    return new BufferedFile(buffer, length);
  }

  /** The bytes, valid until `close()`. */
  get bytes(): Uint8Array {
    if (this.#buffer === null) throw new TypeError("file already closed");
    return this.#buffer.subarray(0, this.#length);
  }

  get readable(): ReadableStream<Uint8Array> {
    const copy = this.bytes.slice();
    return new ReadableStream({
      start(controller) {
        controller.enqueue(copy);
        controller.close();
      },
    });
  }

  /** Gives the buffer back for the next response. */
  close(): void {
    if (this.#buffer === null) return;
    SMALL_FILE_BUFFERS.give(this.#buffer);
    this.#buffer = null;
  }
}

/**
 * A file open for reading: Deno's, or one opened without following links,
 * which reads the same way synchronously (see `_open_node.ts`).
 */
export type OpenedFile = Deno.FsFile | OpenNode;

/** `file` as a `Deno.FsFile`, for reading it asynchronously. */
export function asFsFile(file: OpenedFile): Deno.FsFile {
  return file instanceof OpenNode ? file.toFsFile() : file;
}

export function readExactly(
  file: OpenedFile,
  start: number,
  length: number,
): Uint8Array | null {
  const buffer = new Uint8Array(length);
  return readFully(file, start, buffer) ? buffer : null;
}

/** How much of a file left on disk is read to tell whether it is UTF-8. */
const UTF8_PREFIX = 4096;
/** Where it is read (synchronously, so one buffer serves every request). */
const UTF8_PREFIX_BUFFER = new Uint8Array(UTF8_PREFIX);

/**
 * Whether the first bytes of `file` (of `size` bytes) are UTF-8, a
 * sequence cut by the end of what was read allowed; the file is left at
 * its start.
 */
export function startsAsUtf8(file: OpenedFile, size: number): boolean {
  const prefix = UTF8_PREFIX_BUFFER.subarray(0, Math.min(size, UTF8_PREFIX));
  const read = readFully(file, 0, prefix);
  file.seekSync(0, Deno.SeekMode.Start);
  if (!read || isUtf8(prefix)) return true;
  if (size <= UTF8_PREFIX) return false;
  for (let cut = 1; cut <= 3; cut++) {
    if (isUtf8(prefix.subarray(0, prefix.length - cut))) return true;
  }
  return false;
}

/** Fills `buffer` from `file` at `start`; `false` if the file is shorter. */
function readFully(
  file: OpenedFile,
  start: number,
  buffer: Uint8Array,
): boolean {
  if (start > 0) file.seekSync(start, Deno.SeekMode.Start);
  let filled = 0;
  while (filled < buffer.length) {
    const read = file.readSync(buffer.subarray(filled));
    if (read === null) return false;
    filled += read;
  }
  return true;
}

/**
 * Where a byte past the expected end is read and dropped: shared by every
 * read, as nothing ever looks at it.
 */
const PAST_THE_END = new Uint8Array(1);

/**
 * Whether `file` has nothing left to read from its position: a file that
 * grew since its size was taken (a save caught half-way) has.
 */
export function atEnd(file: OpenedFile): boolean {
  return file.readSync(PAST_THE_END) === null;
}

/**
 * Reads the whole of `file` (`size` bytes), or `null` if it is shorter or
 * longer by now.
 */
export async function readWhole(
  file: OpenedFile,
  size: number,
): Promise<Uint8Array | null> {
  if (size <= SMALL_FILE || file instanceof OpenNode) {
    const bytes = readExactly(file, 0, size);
    return bytes !== null && atEnd(file) ? bytes : null;
  }
  const buffer = new Uint8Array(size);
  let filled = 0;
  while (filled < size) {
    const read = await file.read(buffer.subarray(filled));
    if (read === null) return null;
    filled += read;
  }
  return (await file.read(PAST_THE_END)) === null ? buffer : null;
}

/**
 * Closes `source` if it is a file. A file whose stream was read to the end
 * is closed already (a `Deno.FsFile` returned by a `send_head` override,
 * as Python's `return open(path, "rb")` ports, closes itself then): that
 * is no error.
 */
export function closeSource(source: CopySource | null): void {
  if (source === null || source instanceof Uint8Array) return;
  try {
    source.close();
  } catch (error) {
    if (!(error instanceof Deno.errors.BadResource)) throw error;
  }
}

/** Copies a stream to `output`, waiting for the client when much is queued. */
export async function pipeTo(
  stream: ReadableStream<Uint8Array>,
  output: ResponseWriter,
): Promise<void> {
  const reader = stream.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) return;
      output.write(value);
      await output.drain();
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}
