/**
 * The folder boundary's common case, cheaply: a path made of the served
 * folder and plain names below it, none of them a symbolic link, is inside
 * the folder, and one `lstat` per name proves it; the last one is also the
 * file's metadata. The general check (`realpath`, then compare with the
 * folder's real path) reads every link of the whole path and needs a
 * `stat` on top: three system calls and two runtime calls more for a file
 * right under the folder, on every request, cached or not.
 *
 * The folder itself must be checked too: the `lstat` of a name below it
 * follows a link the folder's own path may have become, so callers check
 * with {@linkcode folderStillServed} that it still resolves to the folder
 * first served (the general check compares with that real path too).
 *
 * Anything else (a symbolic link on the way, a path a `translate_path`
 * override built differently, a name that is not UTF-8, Windows) is left
 * to the general check, so the boundary holds exactly as strictly.
 *
 * @module
 */

/** The answer for paths this shortcut does not decide. */
export const UNDECIDED: unique symbol = Symbol("undecided");

/**
 * The metadata of `path` when it is `directory`, then one or more plain
 * names (no `.` or `..`; a trailing `/` allowed), none of which is a
 * symbolic link; `null` when one of those names does not exist (or is not
 * a folder where a folder must be), as `stat` would fail; else
 * {@linkcode UNDECIDED}. The folder itself is left undecided: the general
 * check also notices it replaced by a link elsewhere.
 */
export function statPlainPathInside(
  path: string,
  directory: string,
  lstat: (path: string) => Deno.FileInfo | null = lstatOrNull,
): Deno.FileInfo | null | typeof UNDECIDED {
  if (Deno.build.os === "windows" || !path.isWellFormed()) return UNDECIDED;
  let current = directory.endsWith("/") ? directory.slice(0, -1) : directory;
  if (!path.startsWith(current + "/")) return UNDECIDED;
  let rest = path.slice(current.length + 1);
  if (rest.endsWith("/")) rest = rest.slice(0, -1);
  if (rest === "") return UNDECIDED;
  const names = rest.split("/");
  if (names.some((name) => name === "" || name === "." || name === "..")) {
    return UNDECIDED;
  }
  let info: Deno.FileInfo | null = null;
  for (const name of names) {
    if (info !== null && !info.isDirectory) return null;
    current += "/" + name;
    info = lstat(current);
    if (info === null) return null;
    if (info.isSymlink) return UNDECIDED;
  }
  return info;
}

/** `Deno.lstatSync`, or `null` where it fails. */
export function lstatOrNull(path: string): Deno.FileInfo | null {
  try {
    return Deno.lstatSync(path);
  } catch {
    return null;
  }
}

/** Whether nothing is at `path` (not even a dangling link). */
export function isMissing(path: string): boolean {
  try {
    Deno.lstatSync(path);
    return false;
  } catch (error) {
    return error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory;
  }
}

const SEP = Deno.build.os === "windows" ? "\\" : "/";

/** Whether `path` names `directory` itself (with or without a final separator). */
export function isFolderItself(path: string, directory: string): boolean {
  const bare = (p: string) =>
    p.endsWith("/") || p.endsWith(SEP) ? p.slice(0, -1) : p;
  return bare(path) === bare(directory);
}

/** Whether `path` is `folder` or names something below it, as written. */
export function startsWithFolder(path: string, folder: string): boolean {
  return path === folder ||
    path.startsWith(folder.endsWith(SEP) ? folder : folder + SEP);
}

const realRoots = new Map<string, string>();

/**
 * The real path of `directory` when first asked: that of the folder served
 * there (throws if it cannot be resolved).
 */
export function realRoot(directory: string): string {
  let root = realRoots.get(directory);
  if (root === undefined) {
    root = Deno.realPathSync(directory);
    realRoots.set(directory, root);
  }
  return root;
}

/**
 * Whether `directory` still resolves to the folder first served there, as
 * the general check requires: `false` once it became a link elsewhere (or
 * was removed), and on Windows. Names below it prove nothing by
 * themselves, since their `lstat` follows any link the folder's own path
 * has become.
 */
export function folderStillServed(directory: string): boolean {
  if (Deno.build.os === "windows") return false;
  try {
    return Deno.realPathSync(directory) === realRoot(directory);
  } catch {
    return false;
  }
}
