/**
 * The store behind `FileCache`: small files' bytes and entity tags per path,
 * kept only while a `stat` shows the file unchanged.
 *
 * The handler still runs every check on every request (translate_path, the
 * stat, the symlink confinement, regular files only); a cached file only
 * replaces the open and read that follow, and only when the stat the handler
 * has just taken matches the stamp stored with the bytes (see
 * `_file_stamp.ts` for why a settled stamp reveals every change).
 *
 * @module
 */
import { stampTag } from "./_etag.ts";
import {
  type FileStamp,
  fileStamp,
  isSettled,
  sameStamp,
} from "./_file_stamp.ts";
import { trustsChangeTime } from "./_local_fs.ts";
import { FrequencySketch } from "./_frequency.ts";
import { type Costed, Lru } from "./_lru.ts";
import type { HeadTemplate } from "./_response_head.ts";

/** Bytes of bookkeeping counted per entry beside its data. */
export const ENTRY_OVERHEAD = 256;
/**
 * A missing file asked for at least this often lately that is still no
 * more popular than the entry it would replace gets in with a chance of
 * one in {@linkcode LUCKY_ADMISSION}, as Caffeine does: else a popular
 * entry no longer asked for, sitting where the clock evicts next, would
 * keep out every file, however much asked for now, until its count fades.
 */
export const POPULAR_ENOUGH = 6;
/** See {@linkcode POPULAR_ENOUGH}. */
export const LUCKY_ADMISSION = 128;

/**
 * A cached file: its bytes as of `stamp`. While a response uses the bytes
 * it pins the entry ({@linkcode pinFile}); an entry that leaves the cache
 * gives its bytes back to the system at once, or when the last pin goes,
 * instead of when the garbage collector next looks at the old generation
 * (seconds later under load, by which time files fetched at random had
 * left tens of MiB of evicted bytes behind).
 */
export interface CachedFile extends Costed {
  readonly kind: "file";
  readonly stamp: FileStamp;
  readonly bytes: Uint8Array;
  /** Its entity tag (from the settled stamp). */
  readonly etag: string;
  /** Its content tag, once computed (see `_etag.ts`). */
  contentTag: string | undefined;
  /** Whether its bytes are UTF-8, once asked (for the `charset` it is sent with). */
  utf8: boolean | undefined;
  /** Its whole response's head as last sent, kept as bytes (see `CachedHead`). */
  head: CachedHead | undefined;
  /** How many responses are using the bytes now. */
  pins: number;
  /** Whether the entry has left the cache. */
  gone: boolean;
}

/**
 * A cached file's `200` head, kept as bytes with what they depend on
 * beyond the handler's own settings (which the template records): the
 * type `guess_type` gave and the `Last-Modified` second.
 */
export interface CachedHead {
  readonly template: HeadTemplate;
  readonly type: string;
  readonly lastModified: number | null;
}

/** Any value the store holds (files, and listings from `_listing_cache.ts`). */
export interface CacheEntry extends Costed {
  readonly kind: string;
  readonly stamp: FileStamp;
}

/** Limits of a store. */
export interface StoreLimits {
  readonly maxBytes: number;
  readonly maxEntries: number;
  readonly maxFileSize: number;
}

/** One budget for files and listings, and hit counters. */
export class CacheStore {
  readonly lru: Lru<CacheEntry>;
  readonly maxFileSize: number;
  hits = 0;
  misses = 0;
  /** How often each path was asked for lately, cached or not. */
  readonly #frequency: FrequencySketch;

  constructor(limits: StoreLimits) {
    this.lru = new Lru(limits.maxBytes, limits.maxEntries, retire);
    this.maxFileSize = limits.maxFileSize;
    this.#frequency = new FrequencySketch(limits.maxEntries);
  }

  /**
   * The entry of `kind` under `key` if `info` (a stat just taken) shows the
   * file or folder unchanged since it was stored, and `stillValid` (for
   * what the stamp does not cover) agrees; any other entry there is dropped.
   */
  lookup(
    key: string,
    kind: string,
    info: Deno.FileInfo,
    stillValid?: (entry: CacheEntry) => boolean,
  ): CacheEntry | null {
    this.#frequency.increment(key);
    const entry = this.lru.get(key);
    if (entry !== undefined) {
      if (
        entry.kind === kind && sameStamp(entry.stamp, info) &&
        (stillValid === undefined || stillValid(entry))
      ) {
        this.hits++;
        return entry;
      }
      this.lru.delete(key);
    }
    this.misses++;
    return null;
  }

  /**
   * Whether to take in a file of `size` bytes at `path` that the cache
   * does not hold: always while it fits without evicting anything; once
   * the cache is full, only when it was asked for more often lately than
   * the entry it would replace (TinyLFU's admission, see `_frequency.ts`),
   * or now and then when it is popular too (see {@linkcode POPULAR_ENOUGH}).
   * A file requested often gets in on its next miss, but a set of files
   * larger than the cache, fetched at random, does not replace an entry
   * on every request: each replacement read the file into a new buffer
   * and left the old one to the garbage collector, which cost more than
   * the hits it bought.
   */
  admits(path: string, size: number): boolean {
    const lru = this.lru;
    const cost = entryCost(path, size);
    // One the store would refuse anyway is not read whole for it: it
    // streams from disk, as uncached files do.
    if (size > this.maxFileSize || cost > lru.maxCost) return false;
    if (
      lru.cost + cost <= lru.maxCost &&
      lru.size < lru.maxEntries
    ) {
      return true;
    }
    const victim = lru.peekVictim();
    if (victim === undefined) return true;
    const wanted = this.#frequency.estimate(path);
    if (wanted > this.#frequency.estimate(victim)) return true;
    return wanted >= POPULAR_ENOUGH &&
      Math.random() * LUCKY_ADMISSION < 1;
  }

  /**
   * The stamp to store with data read after `info` was taken at time
   * `checkedAt`, or `null` when it cannot be trusted to reveal the next
   * change: not settled yet, or on a file system without reliable ctime.
   */
  trustedStamp(info: Deno.FileInfo, checkedAt: number): FileStamp | null {
    if (!isSettled(info, checkedAt) || !trustsChangeTime(info.dev)) {
      return null;
    }
    return fileStamp(info);
  }
}

/** Marks an entry that left the store; a file's bytes go once unpinned. */
function retire(entry: CacheEntry): void {
  if (entry.kind !== "file") return;
  const file = entry as CachedFile;
  file.gone = true;
  if (file.pins === 0) releaseBytes(file.bytes);
}

/**
 * Keeps `entry`'s bytes usable until {@linkcode unpinFile}: a response
 * pins the entry it answers from for as long as it may write the bytes.
 */
export function pinFile(entry: CachedFile): void {
  entry.pins++;
}

/** Ends a {@linkcode pinFile}; the bytes of an entry already gone go now. */
export function unpinFile(entry: CachedFile): void {
  if (--entry.pins === 0 && entry.gone) releaseBytes(entry.bytes);
}

/**
 * Frees the memory behind `bytes` now: the buffer is detached (moved into
 * an empty one), which frees its store at once where the garbage collector
 * would free it only with the old generation. Only a buffer the bytes
 * fill alone, as the cache reads them, is released.
 */
function releaseBytes(bytes: Uint8Array): void {
  const buffer = bytes.buffer;
  if (
    buffer instanceof ArrayBuffer && !buffer.detached &&
    bytes.byteOffset === 0 && bytes.byteLength === buffer.byteLength
  ) {
    buffer.transfer(0);
  }
}

/** What an entry for `size` bytes under `path` counts against the budget. */
function entryCost(path: string, size: number): number {
  return size + 2 * path.length + ENTRY_OVERHEAD;
}

const stores = new WeakMap<object, CacheStore>();

/** Ties `store` to its public owner (a `FileCache`). */
export function attachStore(owner: object, store: CacheStore): void {
  stores.set(owner, store);
}

/** The store of a `FileCache`, or `null` for anything else. */
export function storeOf(owner: object | null): CacheStore | null {
  return owner === null ? null : stores.get(owner) ?? null;
}

/** The cached bytes of file `path` if `info` shows it unchanged. */
export function lookupFile(
  store: CacheStore,
  path: string,
  info: Deno.FileInfo,
): CachedFile | null {
  return store.lookup(path, "file", info) as CachedFile | null;
}

/**
 * Stores `bytes`, read from file `path` after `info` was taken at time
 * `checkedAt`, when that is safe; returns the entry, or `null` if not
 * stored.
 */
export function storeFile(
  store: CacheStore,
  path: string,
  info: Deno.FileInfo,
  checkedAt: number,
  bytes: Uint8Array,
): CachedFile | null {
  if (bytes.length !== info.size || bytes.length > store.maxFileSize) {
    return null;
  }
  const stamp = store.trustedStamp(info, checkedAt);
  if (stamp === null) return null;
  const entry: CachedFile = {
    kind: "file",
    stamp,
    bytes,
    etag: stampTag(stamp),
    cost: entryCost(path, bytes.length),
    // Every field from the start: one shape for all entries, each field
    // inside the object (one added later would go to a separate array).
    contentTag: undefined,
    utf8: undefined,
    head: undefined,
    pins: 0,
    gone: false,
  };
  store.lru.set(path, entry);
  return entry;
}
