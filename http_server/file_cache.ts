/**
 * `FileCache`: small files and folder listings held in memory for
 * `SimpleHTTPRequestHandler`, never served stale.
 *
 * @module
 */
import { attachStore, CacheStore } from "./_file_cache.ts";

/** Keyword options of {@linkcode FileCache}. */
export interface FileCacheOptions {
  /** Most bytes held, files and listings together (default 32 MiB). */
  max_bytes?: number;
  /** Most files and listings held (default 32,768). */
  max_entries?: number;
  /** Largest file held (default 64 KiB); larger files stream from disk. */
  max_file_size?: number;
}

/** What {@linkcode FileCache.cache_info} reports. */
export interface CacheInfo {
  /** Requests answered from memory. */
  readonly hits: number;
  /** Lookups that found nothing usable (absent, changed or not cacheable). */
  readonly misses: number;
  /** Files and listings held now. */
  readonly entries: number;
  /** Bytes counted for them (data plus bookkeeping). */
  readonly bytes: number;
  /** The `max_entries` bound. */
  readonly max_entries: number;
  /** The `max_bytes` bound. */
  readonly max_bytes: number;
}

const DEFAULTS = {
  max_bytes: 32 * 1024 * 1024,
  max_entries: 32_768,
  max_file_size: 64 * 1024,
} as const;

function limit(
  options: FileCacheOptions,
  name: keyof FileCacheOptions,
): number {
  const value = options[name] ?? DEFAULTS[name];
  if (typeof value !== "number") {
    throw new TypeError(
      `${name} must be a number, not ${JSON.stringify(value)}`,
    );
  }
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `${name} must be a whole number of at least 0, not ${
        JSON.stringify(value)
      }`,
    );
  }
  return value;
}

/**
 * Holds small files (bytes and entity tag) and folder listings in memory
 * for {@linkcode SimpleHTTPRequestHandler}, bounded by `max_bytes` and
 * `max_entries` (least recently used first out, as CLOCK approximates it:
 * a hit marks its entry, and eviction passes a marked entry over once).
 * Once full, it takes in a file it does not hold only when that file was
 * asked for more often lately than the entry it would replace (TinyLFU's
 * admission: a small frequency sketch counts every request), or, when both
 * are popular, by a 1 in 128 chance, so that a file more popular than what
 * it replaces gets in on its next request while more files than fit,
 * fetched at random, do not replace an entry on every request (each
 * replaced entry is garbage the heap holds until its next full
 * collection). Give one to a handler class with
 * `SimpleHTTPRequestHandler.partial({ cache })`; `cache: true` uses one
 * shared default instance.
 *
 * Never stale: every request still runs every check and takes fresh
 * metadata (`lstat` or `stat`); the cached bytes replace only the read, and
 * only while that metadata shows the file unchanged since it was cached. A file is cached
 * once its change time (ctime) is more than a second old, so that any
 * later change (a write, `touch -d`, `cp -p` over it, a rename over it,
 * deleting it) gives it another stamp; until then it is read from disk on
 * every request. Only local file systems whose ctime Linux keeps (ext4,
 * xfs, btrfs, tmpfs, zfs, f2fs, bcachefs, overlay) are cached; on network
 * file systems and on other operating systems files are read every time.
 *
 * Not in Python (which reads every file on every request).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { FileCache, HTTPServer, SimpleHTTPRequestHandler } from "@pyport/web/http/server";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "A");
 * const cache = new FileCache({ max_bytes: 1024 * 1024 });
 * class Quiet extends SimpleHTTPRequestHandler {
 *   override log_message(): void {}
 * }
 * await using server = new HTTPServer(["127.0.0.1", 0], Quiet.partial({ directory: dir, cache }));
 * const done = server.serve_forever();
 * const res = await fetch(`http://127.0.0.1:${server.server_port}/a.txt`);
 * equal(await res.text(), "A");
 * equal(cache.cache_info().misses, 1);
 * await server.shutdown();
 * await done;
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class FileCache {
  /** The bound on bytes held. */
  readonly max_bytes: number;
  /** The bound on files and listings held. */
  readonly max_entries: number;
  /** The largest file held. */
  readonly max_file_size: number;
  readonly #store: CacheStore;

  /**
   * Creates an empty cache.
   *
   * @throws {RangeError} When a bound is negative or not a whole number.
   */
  constructor(options: FileCacheOptions = {}) {
    this.max_bytes = limit(options, "max_bytes");
    this.max_entries = limit(options, "max_entries");
    this.max_file_size = limit(options, "max_file_size");
    this.#store = new CacheStore({
      maxBytes: this.max_bytes,
      maxEntries: this.max_entries,
      maxFileSize: this.max_file_size,
    });
    attachStore(this, this.#store);
  }

  /**
   * Hits, misses and size, as Python's `functools.lru_cache` reports them.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { FileCache } from "@pyport/web/http/server";
   * const info = new FileCache().cache_info();
   * equal(info.entries, 0);
   * equal(info.max_bytes, 32 * 1024 * 1024);
   * ```
   */
  cache_info(): CacheInfo {
    const store = this.#store;
    return {
      hits: store.hits,
      misses: store.misses,
      entries: store.lru.size,
      bytes: store.lru.cost,
      max_entries: this.max_entries,
      max_bytes: this.max_bytes,
    };
  }

  /**
   * Empties the cache and resets its counters.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { FileCache } from "@pyport/web/http/server";
   * const cache = new FileCache();
   * cache.cache_clear();
   * equal(cache.cache_info().hits, 0);
   * ```
   */
  cache_clear(): void {
    this.#store.lru.clear();
    this.#store.hits = 0;
    this.#store.misses = 0;
  }
}
