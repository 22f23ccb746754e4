/**
 * Entity tags for served files, and `If-None-Match` / `If-Range` matching.
 *
 * A file's tag must change whenever its bytes may have: a tag from its
 * settled stamp (see `_file_stamp.ts`) counts the change time, which no
 * tool can put back (`cp -p`, `tar x` and `rsync -t` put back the
 * modification time only). Before the stamp settles, a small file gets a
 * tag from a hash of its bytes instead, and a large one gets none.
 *
 * @module
 */
import { createHash } from "node:crypto";
import type { FileStamp } from "./_file_stamp.ts";

/**
 * The tag of a file with a settled stamp: mtime, size, ctime and inode
 * (another file renamed over it, a deploy's folder swap say, may match the
 * first three to the second).
 */
export function stampTag(stamp: FileStamp): string {
  return `"${stamp.mtimeMs.toString(16)}-${stamp.size.toString(16)}-${
    stamp.ctimeMs.toString(16)
  }-${stamp.ino.toString(16)}"`;
}

const CONTENT_PREFIX = '"c-';

/** The tag of `bytes` from their SHA-1: `"c-<base64url>"`. */
export function contentTag(bytes: Uint8Array): string {
  return CONTENT_PREFIX + createHash("sha1").update(bytes).digest("base64url") +
    '"';
}

/** Whether some tag in `header` (a list, or `*`) is a content tag. */
export function mentionsContentTag(header: string): boolean {
  return header.includes(CONTENT_PREFIX);
}

function opaque(tag: string): string {
  const trimmed = tag.trim();
  return trimmed.startsWith("W/") ? trimmed.slice(2) : trimmed;
}

/**
 * Whether `If-None-Match` value `header` matches any of `tags` (weak
 * comparison, as RFC 9110 asks for `If-None-Match`), or is `*`. A `*`
 * counts only as the whole value: in a list, or as `W/*`, it is no tag
 * and matches nothing.
 */
export function etagMatches(
  header: string,
  ...tags: readonly (string | null)[]
): boolean {
  if (header.trim() === "*") return true;
  return header.split(",").some((item) => {
    const tag = opaque(item);
    return tags.some((t) => t !== null && opaque(t) === tag);
  });
}

/**
 * The request's `If-None-Match` list, from all its field lines (a list
 * may come in several, RFC 9110 §5.3), or `null` when there is none.
 */
export function ifNoneMatchOf(
  headers: { get_all(name: string): string[] | null },
): string | null {
  return headers.get_all("If-None-Match")?.join(", ") ?? null;
}

/**
 * The tag of a variant of the representation tagged `etag` (compressed, or
 * with a script added), which must differ from the file's own: `suffix`
 * added inside the quotes, so `"5f-1a"` becomes `"5f-1a-gzip"`.
 */
export function variantETag(etag: string, suffix: string): string {
  return etag.endsWith('"') ? `${etag.slice(0, -1)}-${suffix}"` : etag;
}
