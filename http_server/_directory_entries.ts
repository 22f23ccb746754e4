/**
 * The entries of a folder with their size and modification time, for the
 * rich and JSON listings (Python's listing needs names only).
 *
 * @module
 */
import type { ListingEntry } from "./_listing.ts";
import * as byteNames from "./_byte_names.ts";
import type { ExactDirEntry } from "./_byte_names.ts";
import { joinName } from "./_translate.ts";

/** Entries examined at once: bounded, so a huge folder cannot open a flood. */
const BATCH = 64;

/** A listed entry with what `stat` tells of it. */
export interface DetailedEntry extends ListingEntry {
  /** Is (or links to) a regular file. */
  readonly isFile: boolean;
  /** Size in bytes; `null` for folders. */
  readonly size: number | null;
  /** Last modification, when the file system keeps it. */
  readonly mtime: Date | null;
}

async function describe(
  folder: string,
  entry: ExactDirEntry,
  mayFollow: (link: string) => boolean,
): Promise<DetailedEntry> {
  const path = joinName(folder, entry.name);
  let info: Deno.FileInfo | null = null;
  // A link that leads where files are refused tells nothing of its target.
  if (!entry.unreachable && (!entry.isSymlink || mayFollow(path))) {
    try {
      // Follows a symlink, so a link to a folder lists as a folder.
      info = await byteNames.stat(path);
    } catch {
      // A dangling symlink, or an entry gone since the folder was read.
    }
  }
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

/**
 * The entries of folder `path` (unsorted), by their exact names (Python's,
 * with the bytes of a name that is not UTF-8 escaped), skipping names for
 * which `hidden` says true. A symbolic link's target is looked at only
 * when `mayFollow` allows it (a link out of the served folder lists
 * without size, date or kind).
 */
export async function readDetailedEntries(
  path: string,
  hidden: (name: string) => boolean,
  mayFollow: (link: string) => boolean = () => true,
): Promise<DetailedEntry[]> {
  const shown = (await byteNames.readDir(path)).filter((entry) =>
    !hidden(entry.name)
  );
  const out: DetailedEntry[] = [];
  for (let i = 0; i < shown.length; i += BATCH) {
    const batch = shown.slice(i, i + BATCH);
    out.push(
      ...await Promise.all(batch.map((e) => describe(path, e, mayFollow))),
    );
  }
  return out;
}
