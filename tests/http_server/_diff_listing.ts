/**
 * Reads a directory listing page in Python's shape:
 * `<title>`, `<h1>`, then one `<li><a href="HREF">NAME</a></li>` per entry.
 *
 * @module
 */

/** One listing entry, as written in the HTML (still escaped/quoted). */
export interface ListingEntry {
  href: string;
  text: string;
}

/** What a listing page holds. */
export interface Listing {
  title: string | null;
  h1: string | null;
  entries: ListingEntry[];
  /** Every tag name in the page, in order (lowercase). */
  tags: string[];
}

/** Parses a listing page. */
export function parseListing(html: string): Listing {
  const title = /<title>([^<]*)<\/title>/i.exec(html)?.[1] ?? null;
  const h1 = /<h1>([^<]*)<\/h1>/i.exec(html)?.[1] ?? null;
  const entries: ListingEntry[] = [];
  for (const m of html.matchAll(/<li><a href="([^"]*)">([^<]*)<\/a><\/li>/g)) {
    entries.push({ href: m[1]!, text: m[2]! });
  }
  const tags = [...html.matchAll(/<\/?([a-zA-Z!][a-zA-Z0-9]*)/g)].map((m) =>
    m[1]!.toLowerCase()
  );
  return { title, h1, entries, tags };
}

/** Reverses HTML escaping of text (`&amp;` `&lt;` `&gt;` `&quot;` `&#x27;` and numeric refs). */
export function unescapeHtml(text: string): string {
  return text.replace(
    /&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g,
    (_, e) => {
      switch (e) {
        case "amp":
          return "&";
        case "lt":
          return "<";
        case "gt":
          return ">";
        case "quot":
          return '"';
        case "apos":
          return "'";
      }
      const code = e.startsWith("#x")
        ? parseInt(e.slice(2), 16)
        : parseInt(e.slice(1), 10);
      return String.fromCodePoint(code);
    },
  );
}

/** The only tags a listing page may contain; anything else is injected markup. */
export const LISTING_TAGS: ReadonlySet<string> = new Set([
  "!doctype",
  "html",
  "head",
  "meta",
  "title",
  "body",
  "h1",
  "hr",
  "ul",
  "li",
  "a",
]);
