/**
 * The `--listing rich` page (size, date, sortable columns as plain links,
 * breadcrumbs, dark mode, no JavaScript) and the JSON listing every
 * listing style answers to `Accept: application/json`.
 *
 * A folder of 100,000 names makes a page of 25 MB: it is made a piece at a
 * time (a row, an entry), each few hundred rows encoded to bytes as they
 * come, the event loop running between slices of that work, rather than
 * as one string encoded at the end (a string of that size is built from a
 * 100,000-string array, and held as two bytes a character once any
 * character is not Latin-1).
 *
 * @module
 */
import type { DetailedEntry } from "./_directory_entries.ts";
import { type TimeSlices, turns } from "./_turns.ts";
import { htmlEscape, quote, unquote } from "./_text.ts";

/** A column to sort a listing by. */
export type SortKey = "name" | "size" | "mtime";

/** How a listing is ordered, read from its query string. */
export interface ListingOrder {
  readonly key: SortKey;
  readonly descending: boolean;
}

const SORT_KEYS: readonly SortKey[] = ["name", "size", "mtime"];
const UNITS = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB"];

/** `?sort=size&order=desc` to an order; name ascending by default. */
export function listingOrder(query: string): ListingOrder {
  const params = new URLSearchParams(query);
  const asked = params.get("sort") as SortKey | null;
  const key = asked !== null && SORT_KEYS.includes(asked) ? asked : "name";
  return { key, descending: params.get("order") === "desc" };
}

/**
 * `entries` in `order`: folders before files, then by the key (ties by
 * name, compared lower-cased), reversed for descending. Each entry's keys
 * are worked out once, not in every comparison.
 */
export function sortDetailed(
  entries: readonly DetailedEntry[],
  order: ListingOrder,
): DetailedEntry[] {
  const value = (e: DetailedEntry): number =>
    order.key === "name"
      ? 0
      : order.key === "size"
      ? e.size ?? -1
      : e.mtime?.getTime() ?? 0;
  const keyed = entries.map((entry) => ({
    entry,
    folder: entry.isDirectory,
    value: value(entry),
    name: entry.name.toLowerCase(),
  }));
  const sign = order.descending ? -1 : 1;
  keyed.sort((a, b) => {
    if (a.folder !== b.folder) return a.folder ? -1 : 1;
    const primary = a.value - b.value;
    if (primary !== 0) return sign * primary;
    return a.name < b.name ? -sign : a.name > b.name ? sign : 0;
  });
  return keyed.map((k) => k.entry);
}

/** `1536` to `1.5 KiB`. */
export function humanSize(bytes: number): string {
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? "byte" : UNITS[0]}`;
  // Rounded as shown: 10,239 bytes is `10 KiB` (not `10.0`), and 1,048,500
  // `1.0 MiB` (not `1024 KiB`).
  if (value >= 1023.5 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(value < 9.95 ? 1 : 0)} ${UNITS[unit]}`;
}

/** `2024-05-01T12:34:56.789Z` (an ISO time) to `2024-05-01 12:34`. */
function utcMinute(iso: string): string {
  return iso.slice(0, 16).replace("T", " ");
}

function linkOf(entry: DetailedEntry): string {
  return quote(entry.isDirectory ? entry.name + "/" : entry.name);
}

/** The JSON listing in pieces, which make {@linkcode listingJson}. */
export function* listingJsonParts(
  entries: readonly DetailedEntry[],
): Generator<string> {
  yield "[";
  let separator = "";
  for (const entry of entries) {
    yield separator + JSON.stringify({
      name: entry.name,
      type: entry.isDirectory ? "directory" : entry.isFile ? "file" : "other",
      size: entry.size,
      mtime: entry.mtime?.toISOString() ?? null,
      href: linkOf(entry),
    });
    separator = ",";
  }
  yield "]";
}

/** The JSON listing: `[{ name, type, size, mtime, href }]`. */
export function listingJson(entries: readonly DetailedEntry[]): string {
  return [...listingJsonParts(entries)].join("");
}

/** Links to each folder above and including `path` (`/a/b/`). */
function breadcrumbs(path: string): string {
  const parts = path.split("/").filter((p) => p !== "");
  const links = [`<a href="/">/</a>`];
  let href = "/";
  for (const part of parts) {
    href += quote(part) + "/";
    links.push(`<a href="${href}">${htmlEscape(part)}</a>/`);
  }
  return links.join(" ");
}

function header(label: string, key: SortKey, order: ListingOrder): string {
  const active = order.key === key;
  const next = active && !order.descending ? "desc" : "asc";
  // The arrow shows the order; aria-sort says it to a screen reader.
  const arrow = active
    ? `<span aria-hidden="true">${order.descending ? " ▼" : " ▲"}</span>`
    : "";
  const sorted = active
    ? ` aria-sort="${order.descending ? "descending" : "ascending"}"`
    : "";
  const numeric = key === "name" ? "" : ' class="n"';
  return `<th${numeric}${sorted}><a href="?sort=${key}&amp;order=${next}">${label}${arrow}</a></th>`;
}

/** An entry's row, and the line break after it. */
function row(entry: DetailedEntry): string {
  let display = entry.isDirectory ? entry.name + "/" : entry.name;
  if (entry.isSymlink) display += "@";
  const size = entry.size === null
    ? "—"
    : `<span title="${entry.size} ${entry.size === 1 ? "byte" : "bytes"}">${
      humanSize(entry.size)
    }</span>`;
  const iso = entry.mtime?.toISOString();
  const mtime = iso === undefined
    ? "—"
    : `<time datetime="${iso}">${utcMinute(iso)}</time>`;
  const kind = entry.isDirectory ? "dir" : "file";
  return `<tr class="${kind}"><td><a href="${linkOf(entry)}">${
    htmlEscape(display)
  }</a></td><td class="n">${size}</td><td class="n">${mtime}</td></tr>\n`;
}

const STYLE =
  `:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#666;--line:#e3e3e3;--link:#0645ad}
@media (prefers-color-scheme:dark){:root{--fg:#e6e6e6;--bg:#16181c;--muted:#9a9a9a;--line:#2c2f36;--link:#8ab4f8}}
body{font:15px/1.5 system-ui,sans-serif;color:var(--fg);background:var(--bg);margin:2rem auto;max-width:60rem;padding:0 1rem}
a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
h1{font-size:1.3rem;font-weight:600;word-break:break-all}
table{border-collapse:collapse;width:100%}th,td{padding:.3rem .6rem;border-bottom:1px solid var(--line);text-align:left}
th{font-weight:600}.n{text-align:right;white-space:nowrap;color:var(--muted)}
tr.dir td:first-child a{font-weight:600}form{margin:1rem 0;color:var(--muted)}`;

/** What the rich page shows besides the entries. */
export interface RichListingOptions {
  /** Show a form that uploads files to this folder. */
  readonly upload: boolean;
}

/**
 * The rich listing page for request path `urlPath` (query ignored) and
 * sorted `entries`, in pieces (the top, each row, the bottom), which make
 * {@linkcode richListingHtml}.
 */
export function* richListingParts(
  urlPath: string,
  entries: readonly DetailedEntry[],
  order: ListingOrder,
  options: RichListingOptions,
): Generator<string> {
  const cut = urlPath.search(/[?#]/);
  const path = unquote(cut === -1 ? urlPath : urlPath.slice(0, cut));
  const title = `Directory listing for ${htmlEscape(path)}`;
  const form = options.upload
    ? `<form method="post" enctype="multipart/form-data"><label>Files to upload here: <input type="file" name="file" multiple required></label> <button type="submit">Upload</button></form>`
    : "";
  yield `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${title}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
<h1>${breadcrumbs(path)}</h1>
${form}
<table>
<thead><tr>${header("Name", "name", order)}${header("Size", "size", order)}${
    header("Modified (UTC)", "mtime", order)
  }</tr></thead>
<tbody>
`;
  const parent = path !== "/";
  if (parent) {
    yield `<tr class="dir"><td><a href="../">../</a></td><td class="n"></td><td class="n"></td></tr>\n`;
  }
  for (const entry of entries) yield row(entry);
  // An empty body is still a line of its own.
  yield `${parent || entries.length > 0 ? "" : "\n"}</tbody>
</table>
</main>
</body>
</html>
`;
}

/**
 * The rich listing page for request path `urlPath` (query ignored) and
 * sorted `entries`.
 */
export function richListingHtml(
  urlPath: string,
  entries: readonly DetailedEntry[],
  order: ListingOrder,
  options: RichListingOptions,
): string {
  return [...richListingParts(urlPath, entries, order, options)].join("");
}

/** Characters of text gathered before they are encoded. */
const PIECE = 64 * 1024;

const encoder = new TextEncoder();

/**
 * `parts` as UTF-8 bytes, made and encoded a slice of time at a time with
 * the event loop running between slices, so that other requests are served
 * while a huge listing is made.
 */
export async function encodeInSlices(
  parts: Iterable<string>,
  slices: TimeSlices = turns,
): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  let length = 0;
  let text = "";
  const flush = () => {
    const bytes = encoder.encode(text);
    pieces.push(bytes);
    length += bytes.length;
    text = "";
  };
  for (const part of parts) {
    text += part;
    if (text.length < PIECE) continue;
    flush();
    if (slices.due()) await slices.next();
  }
  flush();
  if (pieces.length === 1) return pieces[0] as Uint8Array;
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    out.set(piece, at);
    at += piece.length;
  }
  return out;
}
