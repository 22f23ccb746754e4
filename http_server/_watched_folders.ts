/**
 * The folders live reload watches: a served folder and the folders under
 * it, found by a walk that never goes through a symbolic link (one leading
 * to `/` would watch the whole file system), skips folders it cannot read
 * and skips hidden ones (whose changes never reload a page).
 *
 * @module
 */
import { joinName } from "./_translate.ts";

/** What the walk needs of a folder's entry. */
export interface FolderEntry {
  readonly name: string;
  /** True for a folder itself, false for a link to one. */
  readonly isDirectory: boolean;
}

/** Lists a folder's entries; throws when it cannot be read. */
export type ListFolder = (path: string) => Iterable<FolderEntry>;

/** Whether the walk goes into `entry`: a folder, not a link, not hidden. */
function descendsInto(entry: FolderEntry): boolean {
  return entry.isDirectory && !entry.name.startsWith(".");
}

/**
 * Whether a folder that failed to list is left out rather than failing the
 * walk: one we may not read, or one removed while the walk ran.
 */
export function skippable(error: unknown): boolean {
  return error instanceof Deno.errors.PermissionDenied ||
    error instanceof Deno.errors.NotFound ||
    error instanceof Deno.errors.NotADirectory;
}

/** The folders right under `folder` the walk goes into; throws as `list`. */
function under(folder: string, list: ListFolder): string[] {
  const found: string[] = [];
  for (const entry of list(folder)) {
    if (descendsInto(entry)) found.push(joinName(folder, entry.name));
  }
  return found;
}

/**
 * Adds `root` and every folder under it the walk goes into to `into`, root
 * first; a folder that cannot be listed ({@linkcode skippable}) is left out
 * with what is under it, except `root` when `rootMustList`: that throws.
 */
function walk(
  root: string,
  list: ListFolder,
  rootMustList: boolean,
  into: Set<string>,
): void {
  const next = [root];
  for (let folder; (folder = next.pop()) !== undefined;) {
    let found: string[];
    try {
      found = under(folder, list);
    } catch (error) {
      if ((rootMustList && folder === root) || !skippable(error)) throw error;
      continue;
    }
    into.add(folder);
    next.push(...found);
  }
}

/**
 * `root` and every folder under it the walk goes into (see
 * {@linkcode descendsInto}), `root` first. A folder under `root` that
 * cannot be listed (see {@linkcode skippable}) is left out with what is
 * under it; `root` itself failing to list throws.
 */
export function watchedFolders(
  root: string,
  list: ListFolder = Deno.readDirSync,
): string[] {
  const folders = new Set<string>();
  walk(root, list, true, folders);
  return [...folders];
}

/**
 * The folders of the subtrees of `roots` (each root and what the walk goes
 * into under it) that are not in `known`, each once: what a watcher must
 * add when those folders appear. Only those subtrees are listed, never the
 * rest of the served folder; a root that cannot be listed (gone already,
 * unreadable) gives nothing.
 */
export function newFoldersUnder(
  roots: Iterable<string>,
  known: ReadonlySet<string>,
  list: ListFolder = Deno.readDirSync,
): string[] {
  const found = new Set<string>();
  for (const root of roots) {
    if (!found.has(root)) walk(root, list, false, found);
  }
  return [...found].filter((folder) => !known.has(folder));
}

/**
 * The folders right under each of `folders` that the walk goes into and
 * that are not in `known`: made between a walk and the start of watching,
 * so no event named them. A folder that cannot be listed gives none.
 */
export function unknownSubfolders(
  folders: Iterable<string>,
  known: ReadonlySet<string>,
  list: ListFolder = Deno.readDirSync,
): string[] {
  const found: string[] = [];
  for (const folder of folders) {
    try {
      for (const sub of under(folder, list)) {
        if (!known.has(sub)) found.push(sub);
      }
    } catch (error) {
      if (!skippable(error)) throw error;
    }
  }
  return found;
}
