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

/** Bodies larger than this (8 MiB) are sent uncompressed. */
export const COMPRESS_LIMIT: number = 8 * 1024 * 1024;

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
