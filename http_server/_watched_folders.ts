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
  const folders: string[] = [];
  const next = [root];
  for (let folder; (folder = next.pop()) !== undefined;) {
    const under: string[] = [];
    try {
      for (const entry of list(folder)) {
        if (descendsInto(entry)) under.push(joinName(folder, entry.name));
      }
    } catch (error) {
      if (folder === root || !skippable(error)) throw error;
      continue;
    }
    folders.push(folder);
    next.push(...under);
  }
  return folders;
}
