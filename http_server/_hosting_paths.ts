/**
 * Path rules of the hosting features: hidden names (`--no-dotfiles`) and
 * what counts as a file extension (`--spa`).
 *
 * @module
 */

/**
 * Whether `relative` (a path below the served folder, `/` or `\`
 * separated) has a segment that `hidden` says is hidden: by default one
 * that starts with a dot, `.well-known` (RFC 8615) excepted.
 */
export function isHiddenPath(
  relative: string,
  hidden: (name: string) => boolean = isHiddenName,
): boolean {
  return relative.split(/[/\\]/).some(hidden);
}

/** Whether one file name is hidden: starts with `.`, but not `.well-known`. */
export function isHiddenName(name: string): boolean {
  return name.startsWith(".") && name !== ".well-known";
}

/**
 * Whether the last segment of URL path `urlPath` (query excluded) has a
 * file extension: a dot after its first character (`app.js`, not `users`
 * or `.profile`).
 */
export function hasExtension(urlPath: string): boolean {
  const last = urlPath.slice(urlPath.lastIndexOf("/") + 1);
  return last.lastIndexOf(".") > 0;
}

/** `path` below the served folder `directory`, as the hidden-name rules take it. */
export function relativeTo(directory: string, path: string): string {
  return path.startsWith(directory) ? path.slice(directory.length) : path;
}

/** The path part of request target `target`, without `?query` or `#fragment`. */
export function pathOnly(target: string): string {
  const cut = target.search(/[?#]/);
  return cut === -1 ? target : target.slice(0, cut);
}
