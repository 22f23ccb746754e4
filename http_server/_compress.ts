/**
 * On-the-fly compression for `--compress`: which types are worth it, and
 * gzip / Brotli through `node:zlib`.
 *
 * Bodies are compressed whole, in memory, so the response keeps an exact
 * `Content-Length` (and keep-alive); files above {@linkcode COMPRESS_LIMIT}
 * go out uncompressed, streamed as usual.
 *
 * @module
 */
import db from "mime-db";
import { brotliCompress, constants, gzip } from "node:zlib";
import { promisify } from "node:util";
import type { FileSource } from "./_file_source.ts";

/** Bodies larger than this (8 MiB) are sent uncompressed. */
export const COMPRESS_LIMIT: number = 8 * 1024 * 1024;

/**
 * The most bytes of bodies larger than 64 KiB (`SMALL_FILE`) that may be
 * compressed, or held compressed until sent, at once in the process (32
 * MiB). A body is held whole until the client has taken it, so without a
 * bound a few hundred clients that ask for a large text file and read
 * nothing would hold gigabytes; past it a file goes out uncompressed,
 * streamed from disk as without `--compress`.
 */
export const COMPRESS_BUDGET: number = 32 * 1024 * 1024;

let budgetInUse = 0;

/**
 * Reserves `bytes` of {@linkcode COMPRESS_BUDGET} for one body: `false`
 * (nothing reserved) when they do not fit. {@linkcode releaseCompression}
 * gives them back.
 */
export function reserveCompression(bytes: number): boolean {
  if (budgetInUse + bytes > COMPRESS_BUDGET) return false;
  budgetInUse += bytes;
  return true;
}

/** Gives back `bytes` reserved by {@linkcode reserveCompression}. */
export function releaseCompression(bytes: number): void {
  budgetInUse = Math.max(0, budgetInUse - bytes);
}

const CHUNK = 256 * 1024;

/**
 * A compressed body whose reservation is given back once it is sent, or
 * closed unsent (a HEAD, a client gone): sent in chunks, so the writer
 * waits for the client between them.
 */
export class ReservedBody implements FileSource {
  #bytes: Uint8Array | null;
  #reserved: number;

  /** `bytes` to send, holding `reserved` bytes of the budget. */
  constructor(bytes: Uint8Array, reserved: number) {
    this.#bytes = bytes;
    this.#reserved = reserved;
  }

  /** The bytes, a chunk at a time; read to the end or cancelled, it closes. */
  get readable(): ReadableStream<Uint8Array> {
    let offset = 0;
    return new ReadableStream<Uint8Array>({
      pull: (controller) => {
        const bytes = this.#bytes;
        if (bytes === null || offset >= bytes.length) {
          this.close();
          controller.close();
          return;
        }
        controller.enqueue(bytes.subarray(offset, offset + CHUNK));
        offset += CHUNK;
      },
      cancel: () => this.close(),
    }, { highWaterMark: 0 });
  }

  /** Lets go of the bytes and gives the reservation back (once). */
  close(): void {
    this.#bytes = null;
    releaseCompression(this.#reserved);
    this.#reserved = 0;
  }
}

/** The codings offered, best first when the client likes both equally. */
export const ENCODINGS = ["br", "gzip"] as const;

/** A content coding this server produces. */
export type Encoding = typeof ENCODINGS[number];

/** The file name suffix of a precompressed sibling, per coding. */
export const ENCODING_SUFFIX: Readonly<Record<Encoding, string>> = {
  br: ".br",
  gzip: ".gz",
};

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

// Brotli's default quality (11) is meant for ahead-of-time compression and
// is ~50x slower; 5 is a common on-the-fly choice, near gzip's speed and
// still smaller.
const BROTLI_QUALITY = 5;

interface MimeEntry {
  readonly compressible?: boolean;
}

/**
 * Whether bodies of `contentType` (parameters allowed) compress well:
 * `mime-db`'s `compressible` flag, else any `text/*` or `+json` / `+xml`
 * type. `application/octet-stream` (an unknown file) is left alone.
 */
export function isCompressible(contentType: string): boolean {
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "application/octet-stream") return false;
  const entry = (db as unknown as Record<string, MimeEntry>)[type];
  if (entry?.compressible !== undefined) return entry.compressible;
  return type.startsWith("text/") || /\+(json|xml)$/.test(type);
}

/** `body` in content coding `encoding`. */
export async function compress(
  body: Uint8Array,
  encoding: Encoding,
): Promise<Uint8Array> {
  const out = encoding === "gzip" ? await gzipAsync(body) : await brotliAsync(
    body,
    {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    },
  );
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}
