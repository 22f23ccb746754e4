/**
 * Receiving uploaded files (`--upload`): a body streamed to a temporary
 * file beside its target, then moved into place in one step, never over an
 * existing file unless asked, and removed if anything goes wrong.
 *
 * The rules here are the file system's half; the handler decides which
 * folder a request may write to (the same path rules as GET).
 *
 * @module
 */

import { osErrno, outOfDescriptors, outOfSpace } from "../_util/os_error.ts";
import { writeAll } from "../_util/write_all.ts";
import { joinName } from "./_translate.ts";

const IS_WINDOWS = Deno.build.os === "windows";
const SEP = IS_WINDOWS ? "\\" : "/";
const encoder = new TextEncoder();

/** A request the upload rules refuse, with the HTTP status saying why. */
export class UploadError extends Error {
  /** The status to answer with (400, 403, 409, 413, 415, 500, 503, 507). */
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Longest file name most file systems take, in UTF-8 bytes. */
const NAME_MAX = 255;
// Control characters are legal in POSIX names, but a name that holds a
// newline or an escape sequence (C0 or C1) is a trap for every shell and
// log, and a bidirectional override makes `txt.exe` read as `exe.txt`.
// deno-lint-ignore no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
/** Line separators and bidirectional marks, overrides and isolates. */
const INVISIBLE = /[\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
/** The names of uploads in progress (see {@linkcode writeTemporary}). */
const TEMPORARY = /^\.upload-.*\.part$/i;
const WINDOWS_RESERVED =
  /[<>:"|?*]|[. ]$|^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/**
 * Whether `name` is that of an upload in progress (a temporary file, see
 * {@linkcode writeTemporary}): never listed nor served while uploads are
 * on, since a refused upload's bytes stay there until it ends.
 */
export function isUploadInProgress(name: string): boolean {
  return TEMPORARY.test(name);
}

/**
 * Checks `name` as the name of a new file in a folder.
 *
 * @throws {UploadError} 400 for an empty, `.`/`..`, too long or
 * control-character name, one with a separator, or one of the reserved
 * `.upload-*.part` names of uploads in progress; 403 for a hidden name
 * when `hideDotfiles`.
 */
export function checkFileName(name: string, hideDotfiles: boolean): void {
  if (name === "" || name === "." || name === "..") {
    throw new UploadError(400, "a file name is required");
  }
  if (/[/\\]/.test(name) || CONTROL.test(name) || INVISIBLE.test(name)) {
    throw new UploadError(
      400,
      `the file name ${
        JSON.stringify(name)
      } holds a separator or control character`,
    );
  }
  if (encoder.encode(name).length > NAME_MAX) {
    throw new UploadError(400, "the file name is longer than 255 bytes");
  }
  if (IS_WINDOWS && WINDOWS_RESERVED.test(name)) {
    throw new UploadError(
      400,
      `${JSON.stringify(name)} is not a valid Windows file name`,
    );
  }
  if (isUploadInProgress(name)) {
    throw new UploadError(
      400,
      "names like .upload-*.part are kept for uploads in progress",
    );
  }
  if (hideDotfiles && name.startsWith(".")) {
    throw new UploadError(403, "hidden file names are not accepted");
  }
}

/**
 * Writes `chunks` to a new temporary file in `folder` (a hidden name that
 * no upload can take) and returns its path; on any failure the file is
 * removed and the error rethrown.
 */
export async function writeTemporary(
  folder: string,
  chunks: AsyncIterable<Uint8Array>,
): Promise<string> {
  const path = joinName(folder, `.upload-${crypto.randomUUID()}.part`);
  let file: Deno.FsFile;
  try {
    // createNew: fails rather than follow or reuse anything already there;
    // mode 0o666 lets the umask decide, as for any file the user creates.
    file = await Deno.open(path, {
      write: true,
      createNew: true,
      mode: 0o666,
    });
  } catch (error) {
    throw asStoreError(error);
  }
  inProgress.add(path);
  try {
    for await (const chunk of chunks) await writeAll(file, chunk);
    file.close();
  } catch (error) {
    file.close();
    await discard(path);
    throw asUploadError(error);
  }
  return path;
}

/**
 * A disk (or quota) that is full as 507 Insufficient Storage, and no file
 * descriptor left as 503: the client is told the server could not store
 * it, and may try again later, where an error escaping the handler would
 * close the connection with no answer. Any other error as it is.
 */
function asUploadError(error: unknown): unknown {
  if (outOfSpace(error)) {
    return new UploadError(507, "not enough space left to store the upload");
  }
  if (outOfDescriptors(error)) {
    return new UploadError(503, "too many open files to store the upload");
  }
  return error;
}

/**
 * As {@linkcode asUploadError}, and any other error of the system (a
 * read-only disk, a name in use as a mount point) as 500 with its text:
 * an answer, where an error escaping the handler would close the
 * connection with none. Its path is left out of the text, which the
 * client sees.
 */
function asStoreError(error: unknown): unknown {
  const mapped = asUploadError(error);
  if (mapped !== error || error instanceof UploadError) return mapped;
  if (error instanceof Deno.errors.TimedOut || osErrno(error) === null) {
    return error;
  }
  const text = /^(.*?) \(os error \d+\)/.exec((error as Error).message)?.[1];
  return new UploadError(
    500,
    `the upload could not be stored: ${text ?? "system error"}`,
  );
}

/** Temporary files of uploads still in progress, removed if serving stops. */
const inProgress = new Set<string>();

/** Removes temporary file `path`, if it is still there. */
export async function discard(path: string): Promise<void> {
  inProgress.delete(path);
  try {
    await Deno.remove(path);
  } catch {
    // Gone already.
  }
}

/**
 * Removes the temporary files of uploads still in progress, at once: for a
 * server that stops (Ctrl-C, SIGTERM) while clients still send, so that an
 * upload cut short leaves nothing there either.
 */
export function discardUploadsInProgress(): void {
  for (const path of inProgress) {
    try {
      Deno.removeSync(path);
    } catch {
      // Gone already.
    }
  }
  inProgress.clear();
}

async function exists(path: string): Promise<Deno.FileInfo | null> {
  try {
    return await Deno.lstat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return null;
    throw error;
  }
}

function conflict(target: string): UploadError {
  const name = target.slice(target.lastIndexOf(SEP) + 1);
  return new UploadError(409, `${name} already exists`);
}

/**
 * Moves temporary file `temp` to `target` and says whether that created
 * the file or replaced one. Without `overwrite` the move cannot replace
 * anything, even when another upload of the same name finishes at the
 * same moment: the file is hard-linked into place (which fails if the
 * name exists), or, where the file system has no hard links, the name is
 * claimed with an exclusive create before the rename. `temp` is gone
 * afterwards either way.
 *
 * @throws {UploadError} 409 when `target` exists (and `overwrite` is
 * false) or is a folder; 507 when the disk (or quota) is full (a hard link
 * takes an inode on tmpfs), 503 with no file descriptor left, 500 for any
 * other error of the system.
 */
export async function moveIntoPlace(
  temp: string,
  target: string,
  overwrite: boolean,
): Promise<"created" | "replaced"> {
  try {
    const before = await exists(target);
    if (before?.isDirectory) throw conflict(target);
    if (overwrite) {
      // rename replaces atomically (a symlink is replaced, not followed).
      await Deno.rename(temp, target);
      return before ? "replaced" : "created";
    }
    if (before) throw conflict(target);
    await linkExclusive(temp, target);
    return "created";
  } catch (error) {
    throw asStoreError(error);
  } finally {
    await discard(temp);
  }
}

async function linkExclusive(temp: string, target: string): Promise<void> {
  try {
    await Deno.link(temp, target);
    return;
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) throw conflict(target);
    // No hard links here (FAT, some network shares): claim the name.
  }
  try {
    (await Deno.open(target, { write: true, createNew: true })).close();
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) throw conflict(target);
    throw error;
  }
  await Deno.rename(temp, target);
}

/**
 * The `length` bytes of a request body, read from `read` (Python's
 * `rfile.read`) in chunks.
 *
 * @throws {UploadError} 400 when the body ends early (the client stopped).
 * @throws {Deno.errors.TimedOut} When a read outlasts the handler's
 * `timeout`, or the server ended a stalled one (`stall_timeout`).
 */
export async function* bodyChunks(
  read: (size: number) => Promise<Uint8Array>,
  length: number,
): AsyncGenerator<Uint8Array> {
  const CHUNK = 64 * 1024;
  let remaining = length;
  while (remaining > 0) {
    let chunk: Uint8Array;
    try {
      chunk = await read(Math.min(CHUNK, remaining));
    } catch (error) {
      // Timed out (or stalled): Python's `Request timed out`, no answer.
      if (error instanceof Deno.errors.TimedOut) throw error;
      chunk = new Uint8Array(0);
    }
    if (chunk.length === 0) {
      throw new UploadError(400, "the request body ended early");
    }
    remaining -= chunk.length;
    yield chunk;
  }
}

/** One file received from a form, waiting in its temporary file. */
export interface ReceivedFile {
  readonly name: string;
  readonly temp: string;
}

/** Bounds on a multipart form beyond its byte size. */
const FORM_LIMITS = {
  files: 1000,
  fields: 100,
  parts: 1100,
  fieldSize: 64 * 1024,
  headerPairs: 100,
};

/**
 * Reads a `multipart/form-data` body from `chunks`, writing each file
 * part to a temporary file in `folder` as it arrives (names checked by
 * `check` before a byte is written). Returns the files in form order; on
 * any failure every temporary file is removed and the error thrown.
 *
 * @throws {UploadError} 400 for a malformed form, a bad or repeated file
 * name, or a body that ends early; 413 for too many parts; whatever
 * `check` throws.
 */
export async function receiveForm(
  chunks: AsyncIterable<Uint8Array>,
  contentType: string,
  folder: string,
  check: (name: string) => void,
): Promise<ReceivedFile[]> {
  // Loaded on first use: most servers never receive a form.
  const { Busboy } = await import("@fastify/busboy");
  let parser;
  try {
    parser = Busboy({
      headers: { "content-type": contentType },
      limits: FORM_LIMITS,
    });
  } catch (error) {
    throw new UploadError(400, `not a multipart form: ${describe(error)}`);
  }
  // One slot per file part, taken when the part starts: files finish
  // writing in any order, but are returned in form order.
  const slots: (ReceivedFile | null)[] = [];
  const names = new Set<string>();
  const writes: Promise<void>[] = [];
  const open = new Set<{ destroy(error?: Error): void }>();
  let failure: unknown = null;
  let wake = () => {};
  // Settles on the first failure: a part whose write failed (a full disk)
  // stops reading its stream, so the parser waiting on it never drains.
  const failed = new Promise<void>((resolve) => wake = resolve);
  const fail = (error: unknown) => {
    failure ??= error;
    wake();
  };
  parser.on("file", (_field, stream, filename) => {
    // Its errors reach the write below (or nobody, once it is done): without
    // a listener, a stream destroyed on failure would throw out of the
    // event emitter and end the process.
    stream.on("error", () => {});
    open.add(stream);
    const slot = slots.push(null) - 1;
    writes.push((async () => {
      try {
        if (failure) throw failure;
        // A part sent as a file without a name has none (not "undefined").
        filename = formName(filename ?? "");
        // The parser decodes a name that is not UTF-8 with U+FFFD for each
        // bad byte, so that two such names would become one file: refused,
        // as a PUT path that is not UTF-8 is.
        if (filename.includes("\ufffd")) {
          throw new UploadError(400, "the file name is not UTF-8");
        }
        check(filename);
        if (names.has(filename)) {
          throw new UploadError(400, `the form holds ${filename} twice`);
        }
        names.add(filename);
        slots[slot] = {
          name: filename,
          temp: await writeTemporary(folder, stream),
        };
      } catch (error) {
        fail(error);
        stream.resume();
      } finally {
        open.delete(stream);
      }
    })());
  });
  for (const limit of ["filesLimit", "partsLimit", "fieldsLimit"] as const) {
    parser.on(limit, () => fail(new UploadError(413, "too many form parts")));
  }
  const finished = new Promise<void>((resolve, reject) => {
    parser.on("finish", resolve);
    parser.on("error", reject);
  });
  finished.catch(() => {});
  try {
    for await (const chunk of chunks) {
      if (failure) break;
      if (!parser.write(chunk)) {
        await Promise.race([
          new Promise((resolve) => parser.once("drain", resolve)),
          finished,
          failed,
        ]);
      }
    }
    // The parser cannot finish once a part stopped reading: abort below.
    if (failure) throw failure;
    parser.end();
    await Promise.race([finished, failed]);
    if (failure) throw failure;
  } catch (error) {
    fail(
      error instanceof UploadError
        ? error
        : new UploadError(400, `malformed form: ${describe(error)}`),
    );
    parser.destroy();
    // A part cut off by the failure would otherwise wait for bytes forever.
    for (const stream of open) stream.destroy(new Error("upload aborted"));
  }
  await Promise.all(writes);
  const received = slots.filter((file) => file !== null);
  if (failure === null && received.length === 0) {
    failure = new UploadError(400, "the form holds no file");
  }
  if (failure !== null) {
    await Promise.all(received.map((file) => discard(file.temp)));
    throw failure;
  }
  return received;
}

/**
 * A form's file name as chosen: browsers (and `FormData` in Deno, Node and
 * curl) write `"`, LF and CR as `%22`, `%0A` and `%0D` and escape nothing
 * else, so these three, and only these, are turned back, as the Fetch
 * standard's form parser does. (A name that really holds `%22` cannot be
 * told apart: it is read as a quote, as there.)
 */
function formName(name: string): string {
  if (!name.includes("%")) return name;
  return name.replace(
    /%(22|0A|0D)/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
