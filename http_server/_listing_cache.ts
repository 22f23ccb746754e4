/**
 * Folder listings in the file cache: a folder's sorted entries, and whether
 * it has an index page, kept while a `stat` of the folder shows it unchanged.
 *
 * Adding, removing or renaming an entry changes the folder's stamp. What the
 * folder's stamp does not cover is where its symbolic links lead (a link's
 * target can become a folder, a file, or disappear): those targets are
 * looked at again on every use, and a listing with many links is not
 * cached.
 *
 * @module
 */
// File names that are not UTF-8: calls that take and give them exactly.
import * as byteNames from "./_byte_names.ts";
import { joinName } from "./_translate.ts";
import {
  type CacheEntry,
  type CacheStore,
  ENTRY_OVERHEAD,
} from "./_file_cache.ts";
import type { FileStamp } from "./_file_stamp.ts";
import type { ListingEntry } from "./_listing.ts";
import { SharedBuilds } from "./_shared_builds.ts";

/** What a symbolic link leads to. */
type TargetKind = "file" | "directory" | "other" | "missing";

/** Listings with more symbolic links than this are not cached. */
const MAX_LINKS = 16;

/** The longest request path whose rendered page is remembered. */
const MAX_MEMO_PATH = 256;

/**
 * Cost counted for the request path in a remembered page: its title shows
 * it twice, and escaping can make each character six.
 */
const PATH_ALLOWANCE = 12 * MAX_MEMO_PATH;

/** Bytes counted for a kept page's lines around its entries. */
const PAGE_OVERHEAD = 512;

/** A cached listing. */
export interface CachedListing extends CacheEntry {
  readonly kind: "listing";
  readonly stamp: FileStamp;
  /** The entries, sorted as listed. */
  readonly entries: readonly ListingEntry[];
  /** The `index_pages` found missing, as one key. */
  readonly indexKey: string;
  /** Each symbolic link's name and what it led to. */
  readonly links: readonly (readonly [string, TargetKind])[];
  /** The page last rendered, for the request path it was rendered for. */
  page: { readonly urlPath: string; readonly bytes: Uint8Array } | null;
  /** The most bytes of page counted in `cost`: a larger page is not kept. */
  readonly pageAllowance: number;
}

function targetKind(folder: string, name: string): TargetKind {
  try {
    const info = byteNames.statSync(joinName(folder, name));
    return info.isDirectory ? "directory" : info.isFile ? "file" : "other";
  } catch {
    return "missing";
  }
}

function indexKeyOf(indexPages: readonly string[]): string {
  // "/" cannot occur in a file name.
  return indexPages.join("/");
}

/**
 * The cached listing of folder `path` if `info` (a stat just taken) shows
 * it unchanged, its links lead where they did, and it was stored for the
 * same `indexPages`.
 */
export function lookupListing(
  store: CacheStore,
  path: string,
  info: Deno.FileInfo,
  indexPages: readonly string[],
): CachedListing | null {
  const indexKey = indexKeyOf(indexPages);
  return store.lookup(path, "listing", info, (entry) => {
    const listing = entry as CachedListing;
    return listing.indexKey === indexKey &&
      listing.links.every(([name, kind]) => targetKind(path, name) === kind);
  }) as CachedListing | null;
}

/**
 * Stores the sorted `entries` of folder `path`, read after `info` was taken
 * at time `checkedAt` and found without any of `indexPages`, when that is
 * safe. Returns the entry, or `null` if not stored.
 */
export function storeListing(
  store: CacheStore,
  path: string,
  info: Deno.FileInfo,
  checkedAt: number,
  entries: readonly ListingEntry[],
  indexPages: readonly string[],
): CachedListing | null {
  const linked = entries.filter((entry) => entry.isSymlink);
  if (linked.length > MAX_LINKS) return null;
  const stamp = store.trustedStamp(info, checkedAt);
  if (stamp === null) return null;
  const links = linked.map((entry) =>
    [entry.name, targetKind(path, entry.name)] as const
  );
  // Looked at again here: a target that became a folder, or stopped being
  // one, since the entries were read would be stored as seen now and
  // shown as seen then, and every later look would agree with the store.
  if (
    linked.some((entry, i) =>
      (links[i]![1] === "directory") !== entry.isDirectory
    )
  ) {
    return null;
  }
  // A cached listing stands for "no index page here". A link named as one
  // whose target became a file after the index was looked for would keep
  // that answer for good (the folder's stamp does not move when a link's
  // target appears): such a listing is not kept.
  if (
    links.some(([name, kind]) => kind === "file" && indexPages.includes(name))
  ) {
    return null;
  }
  // Each entry: the object and its name (UTF-16); and its line of a kept
  // page when its name needs no escaping (a page that needs more is not
  // kept, see listingPage).
  let pageAllowance = PAGE_OVERHEAD + PATH_ALLOWANCE;
  let cost = ENTRY_OVERHEAD + 2 * path.length;
  for (const entry of entries) {
    cost += 96 + 2 * entry.name.length;
    pageAllowance += 32 + 2 * entry.name.length;
  }
  const listing: CachedListing = {
    kind: "listing",
    stamp,
    entries,
    indexKey: indexKeyOf(indexPages),
    links,
    page: null,
    pageAllowance,
    cost: cost + pageAllowance,
  };
  store.lru.set(path, listing);
  return listing;
}

/**
 * The listing page for request path `urlPath`: the one rendered last if it
 * was for the same path, else `render()`'s, remembered in its place unless
 * the path is long (the page's title holds it, and the cost counted for
 * the listing only allows for a short one) or the page is larger than the
 * cost counted for it (names that escaping makes longer).
 */
export function listingPage(
  listing: CachedListing,
  urlPath: string,
  render: () => Uint8Array,
): Uint8Array {
  if (listing.page?.urlPath === urlPath) return listing.page.bytes;
  const bytes = render();
  if (
    urlPath.length <= MAX_MEMO_PATH && bytes.length <= listing.pageAllowance
  ) {
    listing.page = { urlPath, bytes };
  }
  return bytes;
}

/**
 * Whether each symbolic link among `links` (entries of folder `path`)
 * still leads to a folder exactly when it was listed as one.
 */
function linksLeadAsListed(
  path: string,
  links: readonly ListingEntry[],
): boolean {
  return links.every((entry) =>
    (targetKind(path, entry.name) === "directory") === entry.isDirectory
  );
}

/** A listing page just built, and the symbolic links among its entries. */
export interface BuiltListing {
  readonly page: Uint8Array;
  readonly links: readonly ListingEntry[];
}

/** Listing pages being built now, by store. */
const building = new WeakMap<CacheStore, SharedBuilds<BuiltListing | null>>();

/**
 * The listing page of folder `path` for request path `urlPath` that
 * `build()` makes (`null`: the folder cannot be read), or the one a
 * request for the same page is building now under the same settled
 * `stamp` (see `_shared_builds.ts`). Its links are looked at again, as a
 * cached listing's are: a link's target can change kind without the
 * folder's stamp moving, and then `build()` runs anew.
 */
export async function sharedListingPage(
  store: CacheStore,
  path: string,
  urlPath: string,
  stamp: FileStamp,
  build: () => Promise<BuiltListing | null>,
): Promise<Uint8Array | null> {
  let builds = building.get(store);
  if (builds === undefined) {
    builds = new SharedBuilds();
    building.set(store, builds);
  }
  const built = await builds.run(`${path}\0${urlPath}`, stamp, build);
  if (built === null || linksLeadAsListed(path, built.links)) {
    return built?.page ?? null;
  }
  return (await build())?.page ?? null;
}
