/**
 * Python's `urllib.robotparser`: reads a site's `robots.txt` and answers
 * whether a user agent may fetch a URL, with CPython 3.13's rules.
 *
 * Follows CPython 3.13 `Lib/urllib/robotparser.py`, `RobotFileParser`,
 * `RuleLine` and `Entry`.
 *
 * @module
 */
import { pyArgs } from "../../_util/py_args.ts";
import {
  asDict,
  checkAllGiven,
  makeTuple,
  replaceFields,
  tupleFields,
  tupleRepr,
  valuesOf,
} from "../../_util/named_tuple.ts";
import { pyStrip } from "../../_util/py_str.ts";
import { pyLower } from "../../_util/py_case.ts";
import { decodeBytes } from "../../_util/codec/mod.ts";
import { quote, unquote, urlparse, urlunparse } from "../parse/mod.ts";
import { HTTPError } from "../error.ts";
import { urlopen } from "../request/opener.ts";

/**
 * The `Request-rate` of an entry: `requests` per `seconds` (Python's
 * `RequestRate` named tuple: `rate[0]`, `rate.length`, `[...rate]`,
 * `_fields`, `_replace`, `_asdict`, `_make`).
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { RequestRate } from "@pyport/web/urllib/robotparser";
 * const rate = new RequestRate(3, 15);
 * equal(rate.requests, 3);
 * equal(String(rate), "RequestRate(requests=3, seconds=15)");
 * const [requests, seconds] = rate;
 * deepEqual([requests, seconds, rate[1], rate.length], [3, 15, 15, 2]);
 * equal(String(rate._replace({ seconds: 60 })), "RequestRate(requests=3, seconds=60)");
 * deepEqual(rate._asdict(), { requests: 3, seconds: 15 });
 * deepEqual(RequestRate._fields, ["requests", "seconds"]);
 * ```
 */
export class RequestRate implements Iterable<number> {
  /** The field names, in tuple order. */
  static readonly _fields: readonly ["requests", "seconds"] = tupleFields(
    this,
    ["requests", "seconds"],
  );
  /** How many requests are allowed… */
  readonly requests: number;
  /** …in this many seconds. */
  readonly seconds: number;
  /** The number of fields, as the tuple's `len()`. */
  declare readonly length: 2;
  /** Same as `requests`. */
  declare readonly 0: number;
  /** Same as `seconds`. */
  declare readonly 1: number;

  /** `new RequestRate(requests, seconds)`. */
  constructor(requests: number, seconds: number) {
    checkAllGiven(this, [requests, seconds]);
    this.requests = requests;
    this.seconds = seconds;
  }

  /**
   * A rate from any iterable of its two fields.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { RequestRate } from "@pyport/web/urllib/robotparser";
   * equal(RequestRate._make([1, 5]).seconds, 5);
   * ```
   */
  static _make(iterable: Iterable<number>): RequestRate {
    return makeTuple(RequestRate, iterable);
  }

  /** The field names, as on the class. */
  get _fields(): readonly ["requests", "seconds"] {
    return RequestRate._fields;
  }

  /** A copy with some fields replaced. */
  _replace(changes: { requests?: number; seconds?: number }): RequestRate {
    return replaceFields(this, changes);
  }

  /** The fields as a plain object. */
  _asdict(): { requests: number; seconds: number } {
    return asDict(this);
  }

  /** Python's `repr` of the named tuple. */
  toString(): string {
    return tupleRepr(this);
  }

  /** Unpacks as the tuple `[requests, seconds]`. */
  [Symbol.iterator](): Iterator<number> {
    return valuesOf<number>(this)[Symbol.iterator]();
  }
}

// Python also breaks lines at the file, group and record separators.
// deno-lint-ignore no-control-regex
const PY_LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Python's `str.splitlines()` (line breaks dropped). */
function splitLines(text: string): string[] {
  const lines = text.split(PY_LINE_BREAK);
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function isDigits(s: string): boolean {
  return /^[0-9]+$/.test(s);
}

/**
 * One `Allow:` (`allowance` true) or `Disallow:` (false) line of an entry,
 * as Python's `urllib.robotparser.RuleLine`: the path is normalised and
 * quoted as `can_fetch` quotes the URL it is asked about, and an empty
 * `Disallow:` allows everything.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { RuleLine } from "@pyport/web/urllib/robotparser";
 * const line = new RuleLine("/tmp/ä", false);
 * equal(line.path, "/tmp/%C3%A4");
 * equal(line.applies_to("/tmp/%C3%A4/x"), true);
 * equal(String(line), "Disallow: /tmp/%C3%A4");
 * equal(new RuleLine("", false).allowance, true);
 * ```
 */
export class RuleLine {
  /** The path this rule covers (a prefix; `*` covers every path). */
  path: string;
  /** Whether the rule allows (`Allow:`) or refuses (`Disallow:`). */
  allowance: boolean;

  /** `new RuleLine(path, allowance)`. */
  constructor(path: string, allowance: boolean) {
    // An empty Disallow means everything is allowed.
    this.allowance = path === "" && !allowance ? true : allowance;
    this.path = quote(urlunparse(urlparse(path)));
  }

  /** Whether this rule covers `filename` (a quoted path). */
  applies_to(filename: string): boolean {
    return this.path === "*" || filename.startsWith(this.path);
  }

  /** Python's `str()`: `Allow: <path>` or `Disallow: <path>`. */
  toString(): string {
    return `${this.allowance ? "Allow" : "Disallow"}: ${this.path}`;
  }
}

/**
 * One group of a `robots.txt` file, as Python's
 * `urllib.robotparser.Entry`: its user agents, its rule lines in order,
 * and its `Crawl-delay` and `Request-rate`. A parser's `entries` and
 * `default_entry` hold them.
 *
 * @example
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { RobotFileParser } from "@pyport/web/urllib/robotparser";
 * const rp = new RobotFileParser();
 * rp.parse(["User-agent: FooBot", "Crawl-delay: 3", "Disallow: /private"]);
 * const [entry] = rp.entries;
 * deepEqual(entry?.useragents, ["FooBot"]);
 * equal(entry?.delay, 3);
 * equal(entry?.applies_to("foobot/2.1"), true);
 * equal(entry?.allowance("/private/x"), false);
 * equal(String(entry?.rulelines[0]), "Disallow: /private");
 * ```
 */
export class Entry {
  /** The `User-agent` names of this group, as written. */
  useragents: string[] = [];
  /** The `Allow` and `Disallow` lines, in order (the first match decides). */
  rulelines: RuleLine[] = [];
  /** The `Crawl-delay` in seconds, or `null`. */
  delay: number | null = null;
  /** The `Request-rate`, or `null`. */
  req_rate: RequestRate | null = null;

  /** Python's `str()`: the group written back as `robots.txt` lines. */
  toString(): string {
    const lines = this.useragents.map((agent) => `User-agent: ${agent}`);
    if (this.delay !== null) lines.push(`Crawl-delay: ${this.delay}`);
    if (this.req_rate !== null) {
      lines.push(
        `Request-rate: ${this.req_rate.requests}/${this.req_rate.seconds}`,
      );
    }
    lines.push(...this.rulelines.map(String));
    return lines.join("\n");
  }

  /** Matches the agent's name (before any `/version`) as a substring, ignoring case. */
  applies_to(useragent: string): boolean {
    // Python's lower(): a letter cased only in a newer Unicode stays as is.
    const name = pyLower(useragent.split("/")[0] ?? "");
    return this.useragents.some((agent) =>
      agent === "*" || name.includes(pyLower(agent))
    );
  }

  /** The first rule whose path prefixes `filename` decides; none means allowed. */
  allowance(filename: string): boolean {
    for (const line of this.rulelines) {
      if (line.applies_to(filename)) return line.allowance;
    }
    return true;
  }
}

/**
 * Reads and answers questions about one `robots.txt` file, with the rules
 * of CPython 3.13's `urllib.robotparser.RobotFileParser`: the first entry
 * whose user agent matches decides, the `*` entry is tried last, and in an
 * entry the first matching `Allow`/`Disallow` line wins.
 *
 * Until `read()` or `parse()` has run, `can_fetch` answers `false`.
 *
 * @example Parse rules given as lines
 * ```ts
 * import { deepEqual, equal } from "node:assert/strict";
 * import { RobotFileParser } from "@pyport/web/urllib/robotparser";
 * const rp = new RobotFileParser();
 * rp.parse([
 *   "User-agent: *",
 *   "Crawl-delay: 2",
 *   "Disallow: /private/",
 *   "Sitemap: https://example.com/sitemap.xml",
 * ]);
 * equal(rp.can_fetch("MyBot/1.0", "https://example.com/private/x"), false);
 * equal(rp.can_fetch("MyBot/1.0", "https://example.com/public"), true);
 * equal(rp.crawl_delay("MyBot"), 2);
 * deepEqual(rp.site_maps(), ["https://example.com/sitemap.xml"]);
 * ```
 */
export class RobotFileParser {
  /** The URL of the `robots.txt` file. */
  url = "";
  /** The host (network location) of {@linkcode url}. */
  host = "";
  /** The path of {@linkcode url}. */
  path = "";
  /** Set by `read()` on a 401 or 403: every URL is refused. */
  disallow_all = false;
  /** Set by `read()` on any other 4xx: every URL is allowed. */
  allow_all = false;
  /** When the rules were last read or parsed (seconds since the epoch; 0 for never). */
  last_checked = 0;
  /** The entries read so far for named user agents, in file order. */
  entries: Entry[] = [];
  /** The `Sitemap` URLs read so far, in order. */
  sitemaps: string[] = [];
  /** The first entry for `*`, consulted after every other; `null` if none. */
  default_entry: Entry | null = null;

  /** `new RobotFileParser(url?)`. */
  constructor(url?: string);
  /** `url` given as a keyword. */
  constructor(options: { url?: string });
  constructor(...args: unknown[]) {
    this.set_url(
      pyArgs({
        fn: "RobotFileParser",
        names: ["url"] as const,
        defaults: { url: "" as string },
      }, args).url,
    );
  }

  /** When the rules were last read or parsed, in seconds since the epoch (0 for never). */
  mtime(): number {
    return this.last_checked;
  }

  /** Records the current time as the time the rules were read. */
  modified(): void {
    this.last_checked = Date.now() / 1000;
  }

  /** Sets the URL `read()` fetches. */
  set_url(url: string): void {
    this.url = url;
    const parts = urlparse(url);
    this.host = parts.netloc;
    this.path = parts.path;
  }

  /**
   * Fetches {@linkcode url} and parses it. A 401 or 403 answer refuses
   * every URL, any other 4xx allows every URL, and a 5xx leaves the parser
   * unread (so `can_fetch` answers `false`), as in Python. Network errors
   * are thrown as `URLError`.
   */
  async read(): Promise<void> {
    let response;
    try {
      response = await urlopen(this.url);
    } catch (error) {
      if (!(error instanceof HTTPError)) throw error;
      await error.fp?.close();
      if (error.code === 401 || error.code === 403) {
        this.disallow_all = true;
      } else if (error.code >= 400 && error.code < 500) {
        this.allow_all = true;
      }
      return;
    }
    try {
      const raw = await response.read();
      // Python's UnicodeDecodeError for bytes that are not UTF-8.
      this.parse(splitLines(decodeBytes(raw)));
    } finally {
      await response.close();
    }
  }

  #addEntry(entry: Entry): void {
    if (entry.useragents.includes("*")) {
      // Only the first catch-all entry counts, and it is consulted last.
      this.default_entry ??= entry;
    } else {
      this.entries.push(entry);
    }
  }

  /**
   * Parses the lines of a `robots.txt` file. An empty string (not a line
   * of spaces, and not `"\n"`) ends the current entry, as in Python.
   */
  parse(lines: Iterable<string>): void {
    // 0: expecting User-agent; 1: after User-agent; 2: after a rule.
    let state = 0;
    let entry = new Entry();
    this.modified();
    for (const rawLine of lines) {
      if (rawLine === "") {
        if (state === 1) {
          entry = new Entry();
          state = 0;
        } else if (state === 2) {
          this.#addEntry(entry);
          entry = new Entry();
          state = 0;
        }
      }
      const hash = rawLine.indexOf("#");
      const line = pyStrip(hash >= 0 ? rawLine.slice(0, hash) : rawLine);
      if (!line) continue;
      const colon = line.indexOf(":");
      if (colon < 0) continue;
      const field = pyStrip(line.slice(0, colon)).toLowerCase();
      const value = unquote(pyStrip(line.slice(colon + 1)));
      switch (field) {
        case "user-agent":
          if (state === 2) {
            this.#addEntry(entry);
            entry = new Entry();
          }
          entry.useragents.push(value);
          state = 1;
          break;
        case "disallow":
        case "allow":
          if (state !== 0) {
            entry.rulelines.push(new RuleLine(value, field === "allow"));
            state = 2;
          }
          break;
        case "crawl-delay":
          if (state !== 0) {
            const delay = pyStrip(value);
            if (isDigits(delay)) entry.delay = Number(delay);
            state = 2;
          }
          break;
        case "request-rate":
          if (state !== 0) {
            const numbers = value.split("/").map((part) => pyStrip(part));
            const [requests, seconds] = numbers;
            if (
              numbers.length === 2 && requests !== undefined &&
              seconds !== undefined && isDigits(requests) && isDigits(seconds)
            ) {
              entry.req_rate = new RequestRate(
                Number(requests),
                Number(seconds),
              );
            }
            state = 2;
          }
          break;
        case "sitemap":
          // Sitemaps stand apart from user-agent groups, so the state stays.
          this.sitemaps.push(value);
          break;
      }
    }
    if (state === 2) this.#addEntry(entry);
  }

  /** Whether `useragent` may fetch `url` under the parsed rules. */
  can_fetch(useragent: string, url: string): boolean {
    if (this.disallow_all) return false;
    if (this.allow_all) return true;
    // Before the rules are known, refusing avoids false permissions.
    if (!this.last_checked) return false;
    const parsed = urlparse(unquote(url));
    let target = quote(
      urlunparse([
        "",
        "",
        parsed.path,
        parsed.params,
        parsed.query,
        parsed.fragment,
      ]),
    );
    if (!target) target = "/";
    const entry = this.#entryFor(useragent);
    return entry === null ? true : entry.allowance(target);
  }

  #entryFor(useragent: string): Entry | null {
    for (const entry of this.entries) {
      if (entry.applies_to(useragent)) return entry;
    }
    return this.default_entry;
  }

  /**
   * The `Crawl-delay` (seconds) of the entry for `useragent`, or `null`
   * when it has none or nothing has been read.
   */
  crawl_delay(useragent: string): number | null {
    if (!this.mtime()) return null;
    return this.#entryFor(useragent)?.delay ?? null;
  }

  /**
   * The `Request-rate` of the entry for `useragent`, or `null` when it has
   * none or nothing has been read.
   */
  request_rate(useragent: string): RequestRate | null {
    if (!this.mtime()) return null;
    return this.#entryFor(useragent)?.req_rate ?? null;
  }

  /** The `Sitemap` URLs, in order ({@linkcode sitemaps} itself), or `null` when there are none. */
  site_maps(): string[] | null {
    return this.sitemaps.length > 0 ? this.sitemaps : null;
  }

  /**
   * Python's `str(parser)`: each entry as `User-agent:`, `Crawl-delay:`,
   * `Request-rate:` and rule lines, the catch-all entry last, entries
   * separated by a blank line.
   */
  toString(): string {
    const entries = this.default_entry === null
      ? this.entries
      : [...this.entries, this.default_entry];
    return entries.map(String).join("\n\n");
  }
}
