/**
 * File name to MIME type, as Python's `mimetypes` answers from its
 * built-in table (never the host's `/etc/mime.types`): the `mime-db`
 * package, corrected wherever CPython 3.13's table answers differently,
 * with its shorthand and compression suffixes. Used by the file server's
 * `guess_type` and by `file:` URLs, so both label a file as Python would.
 *
 * Follows CPython 3.13 `Lib/mimetypes.py`, the built-in table of
 * `_types_map_default` (where it differs from `mime-db`) and
 * `MimeTypes.guess_file_type`.
 *
 * @module
 */
import db from "mime-db";

interface MimeEntry {
  readonly source?: string;
  readonly extensions?: readonly string[];
}

/** Source ranking used to break ties when several types claim one extension. */
const SOURCE_RANK: Readonly<Record<string, number>> = {
  nginx: 1,
  apache: 2,
  iana: 4,
};

/**
 * Where CPython 3.13's built-in strict `mimetypes` table (not the host's
 * `/etc/mime.types`) disagrees with mime-db: every such extension, so that
 * Python's table always wins (a test compares them all with CPython).
 */
const PYTHON_OVERRIDES: Readonly<Record<string, string>> = {
  ".js": "text/javascript",
  ".mjs": "text/javascript",
  ".ico": "image/vnd.microsoft.icon",
  ".xml": "text/xml",
  ".rdf": "application/xml",
  ".wav": "audio/x-wav",
  ".opus": "audio/opus",
  ".3gp": "audio/3gpp",
  ".exe": "application/octet-stream",
  ".dll": "application/octet-stream",
  ".so": "application/octet-stream",
  ".a": "application/octet-stream",
  ".o": "application/octet-stream",
  ".obj": "application/octet-stream",
  ".bat": "text/plain",
  ".c": "text/plain",
  ".h": "text/plain",
  ".pl": "text/plain",
  ".srt": "text/plain",
  ".py": "text/x-python",
  ".pyc": "application/x-python-code",
  ".rst": "text/x-rst",
  ".rtf": "text/rtf",
  ".sh": "application/x-sh",
  ".ksh": "text/plain",
  ".mp4": "video/mp4",
  ".m3u": "application/vnd.apple.mpegurl",
  ".sgml": "text/x-sgml",
  ".sgm": "text/x-sgml",
  ".3g2": "audio/3gpp2",
  ".3gpp2": "audio/3gpp2",
  ".ass": "audio/aac",
  ".loas": "audio/aac",
  ".mpa": "video/mpeg",
  ".man": "application/x-troff-man",
  ".me": "application/x-troff-me",
  ".ms": "application/x-troff-ms",
  ".roff": "application/x-troff",
  ".t": "application/x-troff",
  ".tr": "application/x-troff",
  ".mif": "application/x-mif",
  ".nws": "message/rfc822",
  ".ppa": "application/vnd.ms-powerpoint",
  ".pwz": "application/vnd.ms-powerpoint",
  ".wiz": "application/msword",
  ".xlb": "application/vnd.ms-excel",
  ".pyo": "application/x-python-code",
  ".ram": "application/x-pn-realaudio",
  ".wsdl": "application/xml",
  ".xpdl": "application/xml",
  ".h5": "application/x-hdf5",
};

function buildTable(): Map<string, string> {
  const table = new Map<string, string>();
  const rank = new Map<string, number>();
  const entries = db as unknown as Record<string, MimeEntry>;
  for (const [type, entry] of Object.entries(entries)) {
    const score = SOURCE_RANK[entry.source ?? ""] ?? 3;
    for (const ext of entry.extensions ?? []) {
      const key = "." + ext;
      const previous = rank.get(key);
      // Keep the best-sourced type; on a tie keep the first (mime-db lists
      // the canonical type before deprecated aliases).
      if (previous !== undefined && previous >= score) continue;
      table.set(key, type);
      rank.set(key, score);
    }
  }
  for (const [ext, type] of Object.entries(PYTHON_OVERRIDES)) {
    table.set(ext, type);
  }
  return table;
}

let table: Map<string, string> | undefined;

/**
 * The MIME type for a file extension (with its dot, e.g. `.html`), or
 * `undefined` when unknown. Case-sensitive first, then lower-cased, as
 * Python's `guess_type` does.
 */
export function lookupMimeType(ext: string): string | undefined {
  table ??= buildTable();
  return table.get(ext) ?? table.get(ext.toLowerCase());
}

/** Python's `mimetypes.suffix_map`: shorthands for compressed archives. */
const SUFFIX_MAP: Readonly<Record<string, string>> = {
  ".svgz": ".svg.gz",
  ".tgz": ".tar.gz",
  ".taz": ".tar.gz",
  ".tz": ".tar.gz",
  ".tbz2": ".tar.bz2",
  ".txz": ".tar.xz",
};

/** The extensions of Python's `mimetypes.encodings_map` (case-sensitive there). */
const ENCODING_EXTENSIONS = new Set([".gz", ".Z", ".bz2", ".xz", ".br"]);

const IS_WINDOWS = Deno.build.os === "windows";

/**
 * Where `path`'s extension begins, as Python's `posixpath.splitext` (with
 * `ntpath`'s separators on Windows) finds it; -1 when it has none.
 */
function extensionStart(path: string): number {
  const sep = Math.max(
    path.lastIndexOf("/"),
    IS_WINDOWS ? path.lastIndexOf("\\") : -1,
  );
  const dot = path.lastIndexOf(".");
  if (dot <= sep) return -1;
  // Leading dots name a file (".bashrc"), not an extension.
  for (let i = sep + 1; i < dot; i++) if (path[i] !== ".") return dot;
  return -1;
}

/** The extension `posixpath.splitext(path)` gives (`""` for none). */
export function extensionOf(path: string): string {
  const at = extensionStart(path);
  return at === -1 ? "" : path.slice(at);
}

/** Python's `posixpath.splitext`: `[base, extension]`. */
function splitExt(path: string): [string, string] {
  const at = extensionStart(path);
  return at === -1 ? [path, ""] : [path.slice(0, at), path.slice(at)];
}

/**
 * The type Python's `mimetypes.guess_type` finds for file `path` in the
 * table: a shorthand suffix expanded (`.tgz` is `.tar.gz`), one compression
 * suffix set aside (`.tar.br` is a tar archive), then the extension looked
 * up; `undefined` when none is known.
 */
export function guessFileType(path: string): string | undefined {
  let ext = extensionOf(path);
  // The usual case: an extension that is neither kind of suffix.
  if (
    !ENCODING_EXTENSIONS.has(ext) &&
    !Object.hasOwn(SUFFIX_MAP, ext.toLowerCase())
  ) {
    return ext === "" ? undefined : lookupMimeType(ext);
  }
  let base = path.slice(0, path.length - ext.length);
  while (Object.hasOwn(SUFFIX_MAP, ext.toLowerCase())) {
    [base, ext] = splitExt(base + SUFFIX_MAP[ext.toLowerCase()]);
  }
  if (ENCODING_EXTENSIONS.has(ext)) [base, ext] = splitExt(base);
  return ext === "" ? undefined : lookupMimeType(ext);
}

/**
 * The `Content-type` the file server sends for `type`: a textual type gets
 * `; charset=utf-8` when its content is UTF-8 (`isUtf8`, asked only for
 * such a type), unless it has parameters already (a charset set in
 * `extensions_map` or by `guess_type` stays the only one). Content in
 * another charset (a page in GBK or Latin-1) is sent as Python sends it,
 * without one, so that its own `<meta charset>` applies.
 */
export function contentTypeFor(
  type: string,
  isUtf8: () => boolean = () => true,
): string {
  return isTextType(type) && !type.includes(";") && isUtf8()
    ? type + "; charset=utf-8"
    : type;
}

/** Whether a type is textual, so the server adds `; charset=utf-8`. */
export function isTextType(type: string): boolean {
  return type.startsWith("text/") || type === "application/json" ||
    type === "application/xml" || type === "image/svg+xml" ||
    type === "application/manifest+json" || type.endsWith("+json") ||
    type.endsWith("+xml");
}
