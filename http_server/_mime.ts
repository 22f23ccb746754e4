/**
 * Extension to MIME type lookup for the file server: the `mime-db` package,
 * corrected where CPython 3.13's built-in table answers differently for
 * common files, so both servers label the same file the same way.
 *
 * Follows CPython 3.13 `Lib/mimetypes.py`, the built-in table of
 * `_types_map_default` (where it differs from `mime-db`).
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
 * Where CPython 3.13's built-in `mimetypes` table (not the host's
 * `/etc/mime.types`) disagrees with mime-db for an extension people serve.
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

/** Whether a type is textual, so the server adds `; charset=utf-8`. */
export function isTextType(type: string): boolean {
  return type.startsWith("text/") || type === "application/json" ||
    type === "application/xml" || type === "image/svg+xml" ||
    type === "application/manifest+json" || type.endsWith("+json") ||
    type.endsWith("+xml");
}
