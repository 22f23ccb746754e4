/**
 * The `--listing rich` page (size, date, sortable columns as plain links,
 * breadcrumbs, dark mode, no JavaScript) and the JSON listing every
 * listing style answers to `Accept: application/json`.
 *
 * @module
 */
import type { DetailedEntry } from "./_directory_entries.ts";
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

function byName(a: DetailedEntry, b: DetailedEntry): number {
  const x = a.name.toLowerCase();
  const y = b.name.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * `entries` in `order`: folders before files, then by the key (ties by
 * name), reversed for descending.
 */
export function sortDetailed(
  entries: readonly DetailedEntry[],
  order: ListingOrder,
): DetailedEntry[] {
  const value = (e: DetailedEntry): number =>
    order.key === "size" ? e.size ?? -1 : e.mtime?.getTime() ?? 0;
  const sign = order.descending ? -1 : 1;
  return [...entries].sort((a, b) => {
    if (a.isDirectory !== b.isDirectory) return a.isDirectory ? -1 : 1;
    const primary = order.key === "name" ? 0 : value(a) - value(b);
    return sign * (primary !== 0 ? primary : byName(a, b));
  });
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

function utcMinute(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ");
}

function linkOf(entry: DetailedEntry): string {
  return quote(entry.isDirectory ? entry.name + "/" : entry.name);
}

/** The JSON listing: `[{ name, type, size, mtime, href }]`. */
export function listingJson(entries: readonly DetailedEntry[]): string {
  return JSON.stringify(entries.map((entry) => ({
    name: entry.name,
    type: entry.isDirectory ? "directory" : entry.isFile ? "file" : "other",
    size: entry.size,
    mtime: entry.mtime?.toISOString() ?? null,
    href: linkOf(entry),
  })));
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

function row(entry: DetailedEntry): string {
  let display = entry.isDirectory ? entry.name + "/" : entry.name;
  if (entry.isSymlink) display += "@";
  const size = entry.size === null
    ? "—"
    : `<span title="${entry.size} ${entry.size === 1 ? "byte" : "bytes"}">${
      humanSize(entry.size)
    }</span>`;
  const mtime = entry.mtime === null
    ? "—"
    : `<time datetime="${entry.mtime.toISOString()}">${
      utcMinute(entry.mtime)
    }</time>`;
  const kind = entry.isDirectory ? "dir" : "file";
  return `<tr class="${kind}"><td><a href="${linkOf(entry)}">${
    htmlEscape(display)
  }</a></td><td class="n">${size}</td><td class="n">${mtime}</td></tr>`;
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
 * sorted `entries`.
 */
export function richListingHtml(
  urlPath: string,
  entries: readonly DetailedEntry[],
  order: ListingOrder,
  options: RichListingOptions,
): string {
  const cut = urlPath.search(/[?#]/);
  const path = unquote(cut === -1 ? urlPath : urlPath.slice(0, cut));
  const title = `Directory listing for ${htmlEscape(path)}`;
  const rows = entries.map(row);
  if (path !== "/") {
    rows.unshift(
      `<tr class="dir"><td><a href="../">../</a></td><td class="n"></td><td class="n"></td></tr>`,
    );
  }
  const form = options.upload
    ? `<form method="post" enctype="multipart/form-data"><label>Files to upload here: <input type="file" name="file" multiple required></label> <button type="submit">Upload</button></form>`
    : "";
  return `<!DOCTYPE html>
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
${rows.join("\n")}
</tbody>
</table>
</main>
</body>
</html>
`;
}
