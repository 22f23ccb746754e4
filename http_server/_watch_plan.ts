/**
 * How live reload spreads the folders it watches over `Deno.watchFs`
 * watchers, as pure decisions (no watcher needed to test them): which new
 * folders can be watched now, and whether a new watcher is added, the
 * extra ones merged, or everything watched again by one watcher.
 *
 * The served folder is watched by one watcher over the whole walk, listing
 * the folder itself first. A folder that appears later gets a small extra
 * watcher over just its subtree, so the big one is neither closed nor made
 * again: doing that walked the whole folder and added every watch again,
 * blocking the event loop for 0.3 s to 2 s on a folder of 10,000 folders.
 *
 * How Deno 2.9 matches events: it serves all the watchers of a process
 * from one inotify instance and gives each event to every watcher whose
 * list holds a folder containing it (not only the folder it is in), going
 * through each list in order with a file comparison per folder, about 45
 * microseconds each. The whole watcher lists the served folder first, so
 * it matches every event at once; an extra watcher over its own folders
 * only went through all of them for every event elsewhere (200 folders in
 * extra watchers: 9 ms an event, 1.6 s before 200 files written were all
 * seen, against 0.12 s). So extra watchers list the served folder first
 * too, and each keeps only the events in the folders it was given
 * ({@linkcode inFolders}): every watcher is handed every event.
 *
 * Why the extra watchers are few: each is handed every event, and on Linux
 * a watcher used to be an inotify instance (`fs.inotify.max_user_instances`,
 * commonly 128, is shared by every program of the user). Past a handful
 * they are merged into one over their folders, which lists each of them
 * again (a few microseconds each): past {@linkcode MAX_EXTRA_FOLDERS}
 * everything is watched again by one whole watcher instead, the expensive
 * path (a walk of the whole folder), but rare.
 *
 * @module
 */

/** Extra watchers at most; one more merges them into one. */
export const MAX_EXTRA_WATCHERS = 4;
/** Folders listed by the extra watchers at most; more watches everything again. */
export const MAX_EXTRA_FOLDERS = 1_024;
/**
 * Watchers one live reload holds at most: the whole one and the extra ones,
 * and while replaced ones are read to the end, the one replacing them.
 */
export const MAX_WATCHERS = MAX_EXTRA_WATCHERS + 2;

/**
 * Whether `path` (from an event) is one of `folders` or directly in one:
 * whether the watcher given `folders` keeps the event.
 */
export function inFolders(
  folders: ReadonlySet<string>,
  path: string,
): boolean {
  if (folders.has(path)) return true;
  const end = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  // With the separator kept too: the folder `/`, or `C:\` on Windows.
  return end >= 0 &&
    (folders.has(path.slice(0, end)) || folders.has(path.slice(0, end + 1)));
}

/** What a decision needs of an open watcher. */
export interface OpenWatch {
  /**
   * The folders it was given (some may be gone since); an extra watcher
   * also lists the served folder first, which is not among them.
   */
  readonly folders: ReadonlySet<string>;
  /** Whether it was given the whole walk of the served folder. */
  readonly whole: boolean;
}

/** New folders, apart by whether they can be watched now. */
export interface FoundFolders {
  /** Listed by no open watcher: a new watcher watches them. */
  readonly fresh: string[];
  /**
   * Listed by an open watcher: made again under the name of one that went.
   * Deno counts the watchers that list a path and watches it only when the
   * first one does, so these are watched only once every watcher listing
   * them is closed.
   */
  readonly stale: string[];
}

/** Sorts `found` (folders not watched) by whether an open watcher lists them. */
export function sortFound(
  found: readonly string[],
  open: readonly OpenWatch[],
): FoundFolders {
  const fresh: string[] = [];
  const stale: string[] = [];
  for (const folder of found) {
    const listed = open.some((watch) => watch.folders.has(folder));
    (listed ? stale : fresh).push(folder);
  }
  return { fresh, stale };
}

/**
 * What to do about new folders:
 * - `add`: one more extra watcher over `fresh`;
 * - `merge`: the extra watchers replaced by one over their folders and
 *   `fresh` (too many of them, or one lists a `stale` folder);
 * - `consolidate`: every watcher replaced by one over a new walk of the
 *   whole folder (the extra ones would list too many folders, or the whole
 *   watcher lists a `stale` folder);
 * - `none`: nothing new.
 */
export function nextStep(
  open: readonly OpenWatch[],
  { fresh, stale }: FoundFolders,
): "add" | "merge" | "consolidate" | "none" {
  const extras = open.filter((watch) => !watch.whole);
  const listedByWhole = (folder: string) =>
    open.some((watch) => watch.whole && watch.folders.has(folder));
  if (stale.some(listedByWhole)) return "consolidate";
  const extraFolders = extras.reduce((n, watch) => n + watch.folders.size, 0);
  if (extraFolders + fresh.length > MAX_EXTRA_FOLDERS) return "consolidate";
  if (stale.length > 0) return "merge";
  if (fresh.length === 0) return "none";
  return extras.length >= MAX_EXTRA_WATCHERS ? "merge" : "add";
}
