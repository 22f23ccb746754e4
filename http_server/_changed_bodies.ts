/**
 * Changed bodies (compressed, or given the live reload script) kept for the
 * next request of the same file: with
 * `--compress`, Brotli (quality 5) took about 0.75 ms for a 20 KB script,
 * so a file that `serve` answered 32,000 times a second uncompressed went
 * out 1,300 times a second to browsers, which all ask for a coding.
 *
 * A body is kept under the validator sent with it (the file's `ETag` with
 * the coding and the folder's version added): a stamp of the file's inode, size, mtime and ctime
 * taken for this very request, or a hash of the bytes read for it (see
 * `_etag.ts`), so a file changed since cannot match a kept body. A
 * response without a tag is not kept. Bounded by total bytes (LRU).
 *
 * @module
 */
import { Lru } from "./_lru.ts";

/** The most bytes of compressed bodies kept (16 MiB). */
const MAX_BYTES = 16 * 1024 * 1024;

/** The most bodies kept. */
const MAX_ENTRIES = 4096;

/** A compressed body larger than this (1 MiB) is not kept. */
const MAX_BODY = 1024 * 1024;

/** Bytes counted for a body besides its own (the key, the entry). */
const OVERHEAD = 256;

interface Kept {
  readonly bytes: Uint8Array;
  readonly cost: number;
}

/** Changed bodies by tag and URL path. */
export class ChangedBodies {
  readonly #lru = new Lru<Kept>(MAX_BYTES, MAX_ENTRIES);

  #key(tag: string, urlPath: string): string {
    return `${tag}\0${urlPath}`;
  }

  /** The body kept for validator `tag` (coding included) at `urlPath`. */
  get(tag: string, urlPath: string): Uint8Array | undefined {
    return this.#lru.get(this.#key(tag, urlPath))?.bytes;
  }

  /** Keeps `bytes`, sent with validator `tag` for `urlPath`. */
  set(tag: string, urlPath: string, bytes: Uint8Array): void {
    if (bytes.length > MAX_BODY) return;
    const key = this.#key(tag, urlPath);
    this.#lru.set(key, { bytes, cost: bytes.length + key.length + OVERHEAD });
  }
}
