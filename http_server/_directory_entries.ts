/**
 * The entries of a folder: names and kinds for Python's listing, and with
 * their size and modification time for the rich and JSON listings.
 *
 * The stats of a huge folder are what its rich listing costs most. On a
 * local file system (see `_local_fs.ts`), where a `stat` never waits on a
 * server, they are taken synchronously (about 3 µs each here, against
 * 13.5 µs for Deno's asynchronous `stat`), a slice of time at a time, the
 * other requests' I/O running between slices (see `_turns.ts`).
 * Elsewhere (NFS, SMB, FUSE), where one `stat` may wait long on a server,
 * and for the entries that may lead to another file system (folders, any
 * of which may be a mount point, and symbolic links), they are
 * asynchronous, a bounded batch at a time.
 *
 * @module
 */
import type { ListingEntry } from "./_listing.ts";
import * as byteNames from "./_byte_names.ts";
import type { ExactDirEntry } from "./_byte_names.ts";
import { isLocalFileSystem } from "./_local_fs.ts";
import { joinName } from "./_translate.ts";
import { type TimeSlices, turns } from "./_turns.ts";

/** Asynchronous stats at once: bounded, so a huge folder cannot open a flood. */
const BATCH = 64;

/** Folders up to this size (in directory bytes) are read synchronously. */
const SMALL_DIRECTORY = 64 * 1024;

/** A listed entry with what `stat` tells of it. */
export interface DetailedEntry extends ListingEntry {
  /** Is (or links to) a regular file. */
  readonly isFile: boolean;
  /** Size in bytes; `null` for folders. */
  readonly size: number | null;
  /** Last modification, when the file system keeps it. */
  readonly mtime: Date | null;
}

/** Whether `entry`'s target may be looked at (see `readDetailedEntries`). */
function mayLookAt(
  entry: ExactDirEntry,
  path: string,
  mayFollow: (link: string) => boolean,
): boolean {
  // A link that leads where files are refused tells nothing of its target.
  return !entry.unreachable && (!entry.isSymlink || mayFollow(path));
}

function detailed(
  entry: ExactDirEntry,
  info: Deno.FileInfo | null,
): DetailedEntry {
  const isDirectory = info?.isDirectory ?? false;
  return {
    name: entry.name,
    isDirectory,
    isSymlink: entry.isSymlink,
    unreachable: entry.unreachable,
    isFile: info?.isFile ?? false,
    size: info === null || isDirectory ? null : info.size,
    mtime: info?.mtime ?? null,
  };
}

async function describe(
  folder: string,
  entry: ExactDirEntry,
  mayFollow: (link: string) => boolean,
): Promise<DetailedEntry> {
  const path = joinName(folder, entry.name);
  let info: Deno.FileInfo | null = null;
  if (mayLookAt(entry, path, mayFollow)) {
    try {
      // Follows a symlink, so a link to a folder lists as a folder.
      info = await byteNames.stat(path);
    } catch {
      // A dangling symlink, or an entry gone since the folder was read.
    }
  }
  return detailed(entry, info);
}

/** Whether folder `path` is on a local file system. */
async function onLocalFileSystem(path: string): Promise<boolean> {
  try {
    return isLocalFileSystem((await byteNames.stat(path)).dev);
  } catch {
    return false;
  }
}

/**
 * The entries of folder `path` (unsorted), by their exact names (Python's,
 * with the bytes of a name that is not UTF-8 escaped), skipping names for
 * which `hidden` says true. A symbolic link's target is looked at only
 * when `mayFollow` allows it (a link out of the served folder lists
 * without size, date or kind). Synchronous stats run in `slices`.
 */
export async function readDetailedEntries(
  path: string,
  hidden: (name: string) => boolean,
  mayFollow: (link: string) => boolean = () => true,
  slices: TimeSlices = turns,
): Promise<DetailedEntry[]> {
  const shown = (await byteNames.readDir(path)).filter((entry) =>
    !hidden(entry.name)
  );
  const local = await onLocalFileSystem(path);
  const out: DetailedEntry[] = [];
  const elsewhere: ExactDirEntry[] = [];
  for (const entry of shown) {
    // A regular file is on its folder's file system.
    if (!local || !entry.isFile) {
      elsewhere.push(entry);
      continue;
    }
    const file = joinName(path, entry.name);
    const info = mayLookAt(entry, file, mayFollow)
      ? byteNames.statOrNull(file)
      : null;
    out.push(detailed(entry, info));
    if (slices.due()) await slices.next();
  }
  for (let i = 0; i < elsewhere.length; i += BATCH) {
    const batch = elsewhere.slice(i, i + BATCH);
    out.push(
      ...await Promise.all(batch.map((e) => describe(path, e, mayFollow))),
    );
  }
  return out;
}

/**
 * The entries of folder `path` for Python's listing, symlinks resolved to
 * tell folders apart (a link's target only when `mayFollow` allows it),
 * skipping names for which `hidden` says true. A folder of modest size
 * (`knownSize`, or its `stat`) is read with synchronous calls (Deno's async
 * reader costs one operation per entry, and the head then leaves with the
 * page in one write); a huge one asynchronously, so that it cannot stall
 * other requests.
 */
export async function readEntries(
  path: string,
  knownSize: number | null,
  hidden: (name: string) => boolean = () => false,
  mayFollow: (link: string) => boolean = () => true,
): Promise<ListingEntry[]> {
  const size = knownSize ?? (await Deno.stat(path)).size;
  const raw = size <= SMALL_DIRECTORY
    ? byteNames.readDirSync(path)
    : await byteNames.readDir(path);
  const entries: ListingEntry[] = [];
  for (const entry of raw) {
    if (hidden(entry.name)) continue;
    let isDirectory = entry.isDirectory;
    if (entry.isSymlink) {
      const link = joinName(path, entry.name);
      const target = mayFollow(link)
        ? await byteNames.stat(link).catch(() => null)
        : null;
      isDirectory = target?.isDirectory ?? false;
    }
    const { name, isSymlink, unreachable } = entry;
    entries.push({ name, isDirectory, isSymlink, unreachable });
  }
  return entries;
}
