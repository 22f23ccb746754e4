/**
 * Fetches a web page with `urlopen`, decodes it with the charset the
 * response declares (or, when it declares none, the page's own
 * `<meta charset>`, as browsers find it), and prints its title and every
 * link in it as an absolute URL: the tutorial's `urlopen` + `re.search`
 * scraper, grown up.
 *
 * Run it from a checkout:
 *
 * ```sh
 * deno run --allow-net examples/scrape_links.ts [URL]
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net jsr:@pyport/web/examples/scrape_links [URL]
 * ```
 *
 * `URL` defaults to https://www.python.org/. The exit status is 1 when the
 * page cannot be fetched (an HTTP error status or a network error), 2 when
 * `URL` is no URL (no scheme, as in `www.python.org`).
 *
 * @module
 */
import sniffEncoding from "html-encoding-sniffer";
import { HTTPError } from "@pyport/web/urllib/error";
import { urldefrag, urljoin } from "@pyport/web/urllib/parse";
import { urlopen } from "@pyport/web/urllib/request";
import { badUrl, fetchFailure } from "./_fetch_failure.ts";

/**
 * The HTML Standard's encoding sniffing (jsdom's `html-encoding-sniffer`,
 * which ships no types): a byte order mark, else a `<meta charset>` or
 * `<meta http-equiv="Content-Type">` within the first 1024 bytes, else
 * `defaultEncoding`. Answers with the encoding's standard name.
 */
const sniffHtmlEncoding = sniffEncoding as (
  bytes: Uint8Array,
  options: { defaultEncoding: string },
) => string;

/**
 * Decodes `body` with the page's charset (`utf-8`, `shift_jis`, `gb2312`,
 * `windows-1252`, ...: every label browsers know). Bytes that are not valid
 * in that charset become U+FFFD, as `bytes.decode(charset, "replace")` does;
 * an unknown label throws a `RangeError`.
 */
function decode(body: Uint8Array, charset: string): string {
  return new TextDecoder(charset).decode(body);
}

const ENTITIES: Record<string, string> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
};

/** Undoes the character references an attribute value may hold (`&amp;`). */
function unescapeHtml(text: string): string {
  return text.replace(
    /&(#x[0-9a-f]+|#\d+|[a-z]+);/gi,
    (whole, ref: string) => {
      if (ref[0] === "#") {
        const code = ref[1] === "x" || ref[1] === "X"
          ? parseInt(ref.slice(2), 16)
          : parseInt(ref.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
      }
      return ENTITIES[ref.toLowerCase()] ?? whole;
    },
  );
}

// The href="..." , href='...' or unquoted href=value of any tag; group 1
// is the tag name, so <base href> (not a link itself) can be told apart.
// The patterns are sticky: tagMatches and findTitle say where to try them.
const HREF =
  /<([a-z][a-z0-9-]*)\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/iy;
const HREF_START = /<[a-z][a-z0-9-]*\b/iy;
const TITLE = /<title[^>]*>([\s\S]*?)<\/title\s*>/iy;
const BASE = /<base\s[^>]*?href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/iy;
const BASE_START = /<base\s/iy;

/**
 * The matches `text.matchAll` finds for `tag` (HREF or BASE, made global),
 * in time linear in the length of `text`: matchAll tries `tag` at every
 * `<`, and each try scans to the next `>`, so a hostile page of `<a<a<a`...
 * takes minutes. Where `tag` fails at a `<` that `start` (its part before
 * `[^>]*?`) matches, it fails at every `<` up to the next `>` too: the
 * `href` it wants would lie between them, where the first try looked.
 */
function* tagMatches(
  text: string,
  start: RegExp,
  tag: RegExp,
): Generator<RegExpExecArray> {
  let at = text.indexOf("<");
  while (at !== -1) {
    tag.lastIndex = at;
    const match = tag.exec(text);
    if (match !== null) {
      yield match;
      at = text.indexOf("<", tag.lastIndex);
      continue;
    }
    start.lastIndex = at;
    const close = start.test(text) ? text.indexOf(">", at) : at;
    at = close === -1 ? -1 : text.indexOf("<", close + 1);
  }
}

/**
 * TITLE's group as `TITLE.exec(text)` (not sticky) finds it, in time
 * linear in the length of `text`: only the first `<title` need be tried,
 * since where no `>` or no `</title>` follows it, none follows a later one.
 */
function findTitle(text: string): string | undefined {
  const at = text.search(/<title/i);
  if (at === -1) return undefined;
  TITLE.lastIndex = at;
  return TITLE.exec(text)?.[1];
}

async function main(args: string[]): Promise<number> {
  const url = args[0] ?? "https://www.python.org/";
  const bad = badUrl(url);
  if (bad !== null) {
    console.error(`usage: scrape_links.ts [URL]\n${bad}`);
    return 2;
  }
  let finalUrl: string;
  let charset: string | null;
  let body: Uint8Array;
  try {
    await using resp = await urlopen(url, { timeout: 30 });
    // After redirects, links are relative to where we ended up.
    finalUrl = resp.geturl();
    charset = resp.headers?.get_content_charset() ?? null;
    body = await resp.read();
  } catch (error) {
    if (error instanceof HTTPError) {
      console.error(`${url}: ${error.message}`);
      return 1;
    }
    const failure = fetchFailure(error);
    if (failure === null) throw error;
    console.error(`${url}: cannot fetch: ${failure}`);
    return 1;
  }
  // No charset in the response (python -m http.server sends none): the
  // page's own, found as browsers find it, else UTF-8. A page declaring
  // iso-8859-1 gets windows-1252, its superset, as in every browser.
  charset ??= sniffHtmlEncoding(body, { defaultEncoding: "UTF-8" })
    .toLowerCase();
  let text: string;
  try {
    text = decode(body, charset);
  } catch {
    // A charset no codec knows: fall back, as browsers do, to UTF-8.
    charset = "utf-8";
    text = decode(body, charset);
  }

  const title = findTitle(text);
  const baseMatch = tagMatches(text, BASE_START, BASE).next().value;
  const base = baseMatch
    ? urljoin(
      finalUrl,
      unescapeHtml(baseMatch[1] ?? baseMatch[2] ?? baseMatch[3] ?? ""),
    )
    : finalUrl;

  const links: string[] = [];
  const seen = new Set<string>();
  for (const match of tagMatches(text, HREF_START, HREF)) {
    if (match[1]?.toLowerCase() === "base") continue;
    const href = unescapeHtml((match[2] ?? match[3] ?? match[4] ?? "").trim());
    if (href === "" || href.startsWith("#")) continue; // same-page anchors
    // The fragment names a place in the page, not another page.
    const absolute = urldefrag(urljoin(base, href)).url;
    if (!seen.has(absolute)) {
      seen.add(absolute);
      links.push(absolute);
    }
  }

  console.log(`URL: ${finalUrl}`);
  console.log(`Charset: ${charset}`);
  console.log(
    `Title: ${
      title === undefined
        ? "(none)"
        : unescapeHtml(title).replace(/\s+/g, " ").trim()
    }`,
  );
  console.log(`Links (${links.length}):`);
  for (const link of links) console.log(`  ${link}`);
  return 0;
}

// Run as a program, not when imported.
if (import.meta.main) Deno.exit(await main(Deno.args));
