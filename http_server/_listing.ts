/**
 * The directory listing page, in the exact shape Python's
 * `SimpleHTTPRequestHandler.list_directory` produces.
 *
 * Follows CPython 3.13 `Lib/http/server.py`,
 * `SimpleHTTPRequestHandler.list_directory`.
 *
 * @module
 */
import { encodeText } from "../_util/codec/mod.ts";
import { pyLower } from "../_util/py_case.ts";
import { htmlEscape, quote, unquote } from "./_text.ts";

const encoder = new TextEncoder();

/** One listed entry. */
export interface ListingEntry {
  readonly name: string;
  /** Is (or links to) a directory: shown and linked with a `/`. */
  readonly isDirectory: boolean;
  /** Is a symbolic link: shown with an `@`. */
  readonly isSymlink: boolean;
  /** The server cannot open this name: shown without a link. */
  readonly unreachable?: boolean | undefined;
}

/**
 * Compares as Python compares `str`: by code point. (JavaScript's `<`
 * compares UTF-16 units, which puts U+10000 and above before U+E000–U+FFFF
 * and before the lone surrogates that stand for bytes of non-UTF-8 names.)
 */
function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    if (a.charCodeAt(i) !== b.charCodeAt(i)) {
      return (a.codePointAt(i) as number) - (b.codePointAt(i) as number);
    }
  }
  return a.length - b.length;
}

/** Sorts entries as Python does: by lower-cased name, stable. */
export function sortEntries(entries: ListingEntry[]): ListingEntry[] {
  const keyed = entries.map((entry) => ({
    key: pyLower(entry.name),
    entry,
  }));
  keyed.sort((a, b) => compareCodePoints(a.key, b.key));
  return keyed.map((k) => k.entry);
}

/**
 * The listing page's bytes: UTF-8, with the escaped bytes of names that are
 * not UTF-8 written back as those bytes (Python's `surrogateescape`).
 */
export function encodeListing(html: string): Uint8Array {
  if (html.isWellFormed()) return encoder.encode(html);
  try {
    return encodeText(html, "utf-8", "surrogateescape");
  } catch {
    // A surrogate that stands for no byte (from a crafted URL): Python
    // fails the request here; show U+FFFD instead.
    return encoder.encode(html);
  }
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
  for (const { name, isDirectory, isSymlink, unreachable } of entries) {
    let display = name;
    let link = name;
    if (isDirectory) {
      display = name + "/";
      link = name + "/";
    }
    if (isSymlink) display = name + "@";
    if (unreachable) {
      // Its real name is lost to this runtime: no link that would 404.
      lines.push(`<li>${htmlEscape(display, false)}</li>`);
      continue;
    }
    lines.push(
      `<li><a href="${quote(link)}">${htmlEscape(display, false)}</a></li>`,
    );
  }
  lines.push("</ul>\n<hr>\n</body>\n</html>\n");
  return lines.join("\n");
}
