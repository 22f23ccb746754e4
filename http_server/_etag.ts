/**
 * Entity tags: matching `If-None-Match` lists, and tags for the variants
 * of one file (compressed, or with a script added) that must differ from
 * the file's own.
 *
 * @module
 */

/** Whether `If-None-Match` value `header` matches `etag` (weak comparison). */
export function etagMatches(header: string, etag: string): boolean {
  const weak = (tag: string) => tag.trim().replace(/^W\//, "");
  const target = weak(etag);
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || weak(t) === target;
  });
}

/**
 * The tag of a variant of the representation tagged `etag`: `suffix`
 * added inside the quotes, so `"5f-1a"` becomes `"5f-1a-gzip"`.
 */
export function variantETag(etag: string, suffix: string): string {
  return etag.endsWith('"') ? `${etag.slice(0, -1)}-${suffix}"` : etag;
}
