/**
 * The directory listing page, in the exact shape Python's
 * `SimpleHTTPRequestHandler.list_directory` produces.
 *
 * Follows CPython 3.13 `Lib/http/server.py`,
 * `SimpleHTTPRequestHandler.list_directory`.
 *
 * @module
 */
import { htmlEscape, quote, unquote } from "./_text.ts";

/** One listed entry. */
export interface ListingEntry {
  readonly name: string;
  /** Is (or links to) a directory: shown and linked with a `/`. */
  readonly isDirectory: boolean;
  /** Is a symbolic link: shown with an `@`. */
  readonly isSymlink: boolean;
}

/** Sorts entries as Python does: by lower-cased name, stable. */
export function sortEntries(entries: ListingEntry[]): ListingEntry[] {
  const keyed = entries.map((entry) => ({
    key: entry.name.toLowerCase(),
    entry,
  }));
  keyed.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.entry);
}

/** The listing HTML for request path `urlPath` and sorted `entries`. */
export function listingHtml(
  urlPath: string,
  entries: readonly ListingEntry[],
): string {
  const title = `Directory listing for ${htmlEscape(unquote(urlPath), false)}`;
  const lines = [
    "<!DOCTYPE HTML>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    `<title>${title}</title>\n</head>`,
    `<body>\n<h1>${title}</h1>`,
    "<hr>\n<ul>",
  ];
  for (const { name, isDirectory, isSymlink } of entries) {
    let display = name;
    let link = name;
    if (isDirectory) {
      display = name + "/";
      link = name + "/";
    }
    if (isSymlink) display = name + "@";
    lines.push(
      `<li><a href="${quote(link)}">${htmlEscape(display, false)}</a></li>`,
    );
  }
  lines.push("</ul>\n<hr>\n</body>\n</html>\n");
  return lines.join("\n");
}
