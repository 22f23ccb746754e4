/**
 * Deterministic, realistic inputs for the urllib.parse benchmark.
 *
 * Both the Deno side and the CPython side time the very same strings: this
 * module generates them from a seed and the bench writes them to a JSON file
 * for `parse_bench.py`. Every set holds distinct entries so that CPython's
 * `urlsplit` LRU cache (128 entries) never answers from memory.
 *
 * @module
 */

/** The inputs of every timed operation, as serialised for the Python side. */
export interface ParseInputs {
  readonly seed: number;
  /** Absolute URLs, plus a few scheme-relative and relative references. */
  readonly urls: string[];
  /** `[base, reference]` pairs for `urljoin`. */
  readonly joins: [string, string][];
  /** Encoded query strings of exactly {@linkcode QUERY_PAIRS} pairs. */
  readonly queries: string[];
  /** Decoded `[key, value]` lists of {@linkcode QUERY_PAIRS} pairs. */
  readonly forms: [string, string][][];
  /** Text to `quote`: paths and phrases, many with spaces and non-ASCII. */
  readonly quotes: string[];
  /** Text to `unquote`: mostly percent-escaped, some UTF-8, a few bad. */
  readonly unquotes: string[];
}

/** How many pairs each query string (and each urlencode input) holds. */
export const QUERY_PAIRS = 20;

type Rng = () => number;

// mulberry32: tiny, fast, and good enough to vary benchmark inputs; the point
// is only that the same seed gives the same strings on every machine.
function makeRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = [
  "api",
  "v1",
  "v2",
  "users",
  "search",
  "docs",
  "index",
  "static",
  "images",
  "blog",
  "2024",
  "archive",
  "products",
  "cart",
  "checkout",
  "login",
  "assets",
  "css",
  "js",
  "news",
  "item",
  "download",
  "files",
  "report",
  "python",
  "deno",
  "library",
  "tutorial",
  "page",
  "category",
  "tags",
  "profile",
  "settings",
  "media",
  "video",
  "wiki",
  "help",
  "about",
  "contact",
  "en-US",
  "zh_CN",
  "~guido",
  "data.json",
  "style.min.css",
];
const NON_ASCII = [
  "café",
  "naïve",
  "Müller",
  "señor",
  "東京",
  "中文",
  "网络编程",
  "привет",
  "Ελλάδα",
  "日本語",
  "🙂",
  "Straße",
  "Zürich",
  "한국어",
];
const SEPARATORS = [
  " ",
  " ",
  " ",
  " ",
  "/",
  "/",
  "-",
  "_",
  ".",
  ", ",
  "&",
  "=",
  "?",
  "#",
  "+",
  ":",
  "@",
  "'",
];
const SCHEMES = [
  ["https", 50],
  ["http", 30],
  ["ftp", 4],
  ["wss", 3],
  ["ws", 2],
  ["file", 2],
  ["git+ssh", 2],
  ["s3", 2],
] as const;
const TLDS = ["com", "org", "net", "io", "de", "cn", "co.uk", "dev"];
const QUERY_KEYS = [
  "q",
  "id",
  "page",
  "sort",
  "lang",
  "utm_source",
  "utm_medium",
  "ref",
  "filter",
  "limit",
  "offset",
  "session",
  "token",
  "category",
  "tag",
  "from",
  "to",
  "format",
  "callback",
  "name",
  "city",
  "ts",
];

class Gen {
  constructor(readonly rng: Rng) {}

  int(below: number): number {
    return Math.floor(this.rng() * below);
  }
  chance(p: number): boolean {
    return this.rng() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }
  weighted(table: readonly (readonly [string, number])[]): string {
    const total = table.reduce((sum, [, w]) => sum + w, 0);
    let roll = this.rng() * total;
    for (const [value, weight] of table) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return (table[0] as readonly [string, number])[0];
  }
  token(length: number): string {
    const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
    let out = "";
    for (let i = 0; i < length; i++) out += alphabet[this.int(alphabet.length)];
    return out;
  }

  host(): string {
    const roll = this.rng();
    if (roll < 0.05) {
      return `[2001:db8:${this.int(0xffff).toString(16)}::${
        (this.int(0xfff) + 1).toString(16)
      }]`;
    }
    if (roll < 0.06) return "[::1]";
    if (roll < 0.14) {
      return `${this.int(223) + 1}.${this.int(256)}.${this.int(256)}.${
        this.int(256)
      }`;
    }
    const labels = [this.token(3 + this.int(8)), this.pick(TLDS)];
    if (this.chance(0.5)) labels.unshift(this.pick(["www", "api", "cdn", "m"]));
    const name = labels.join(".");
    return this.chance(0.05) ? name.toUpperCase() : name;
  }

  segment(): string {
    const roll = this.rng();
    if (roll < 0.08) return `${this.pick(WORDS)}%20${this.pick(WORDS)}`;
    if (roll < 0.13) return encodeURIComponent(this.pick(NON_ASCII));
    if (roll < 0.35) return String(this.int(100000));
    return this.pick(WORDS);
  }

  path(maxSegments: number): string {
    const count = this.int(maxSegments + 1);
    let path = "";
    for (let i = 0; i < count; i++) path += "/" + this.segment();
    if (count > 0 && this.chance(0.2)) {
      path += this.pick([".html", ".php", ".png", "/", ".tar.gz"]);
    }
    return path;
  }

  queryPair(): string {
    const key = this.pick(QUERY_KEYS);
    const roll = this.rng();
    if (roll < 0.1) return `${key}=${this.pick(WORDS)}+${this.pick(WORDS)}`;
    if (roll < 0.15) {
      return `${key}=${encodeURIComponent(this.pick(NON_ASCII))}`;
    }
    if (roll < 0.2) return `${key}=`;
    if (roll < 0.5) return `${key}=${this.int(1000000)}`;
    return `${key}=${this.pick(WORDS)}`;
  }

  query(pairs: number): string {
    const parts: string[] = [];
    for (let i = 0; i < pairs; i++) parts.push(this.queryPair());
    return parts.join("&");
  }

  authority(): string {
    let userinfo = "";
    const roll = this.rng();
    if (roll < 0.04) userinfo = `${this.token(5)}@`;
    else if (roll < 0.07) userinfo = `${this.token(5)}:${this.token(8)}@`;
    const port = this.chance(0.2)
      ? `:${this.pick([80, 443, 8000, 8080, 8443, 3000, 5432])}`
      : "";
    return userinfo + this.host() + port;
  }

  absoluteUrl(schemes: readonly (readonly [string, number])[]): string {
    const scheme = this.weighted(schemes);
    const path = this.path(5);
    let url = `${scheme}://${this.authority()}${path}`;
    // Params follow a path segment (ftp's ";type=a"), never the authority.
    if (path && this.chance(0.03)) {
      url += `;type=${this.pick(["a", "i", "d"])}`;
    }
    if (this.chance(0.5)) url += "?" + this.query(1 + this.int(6));
    if (this.chance(0.15)) url += "#" + this.pick(WORDS) + this.int(100);
    return url;
  }

  url(): string {
    const roll = this.rng();
    if (roll < 0.02) return `//${this.authority()}${this.path(4)}`;
    if (roll < 0.04) return `${this.path(4) || "/"}?${this.query(2)}`;
    if (roll < 0.05) {
      return `mailto:${this.token(6)}@${this.token(6)}.${this.pick(TLDS)}`;
    }
    return this.absoluteUrl(SCHEMES);
  }

  reference(): string {
    const word = () => this.pick(WORDS);
    const forms: (() => string)[] = [
      () => word(),
      () => `./${word()}`,
      () => `${word()}/`,
      () => `/${word()}/${word()}`,
      () => `//${this.host()}/${word()}`,
      () => `?${this.query(2)}`,
      () => `${word()}?${this.query(1)}`,
      () => `#${word()}`,
      () => `${word()};x?y=${this.int(100)}#s`,
      () => "..",
      () => `../${word()}`,
      () => `../../${word()}/${word()}`,
      () => `../../../../${word()}`,
      () => `./../${word()}/./${word()}`,
      () => this.absoluteUrl([["https", 1]]),
      () => "",
    ];
    return this.pick(forms)();
  }

  phrase(): string {
    // Mirrors what people quote by hand: path pieces, search phrases, names.
    let text = this.pick(WORDS);
    const parts = this.int(5);
    for (let i = 0; i < parts; i++) {
      const roll = this.rng();
      text += this.pick(SEPARATORS);
      if (roll < 0.3) text += this.pick(NON_ASCII);
      else if (roll < 0.5) text += String(this.int(10000));
      else text += this.pick(WORDS);
    }
    return text;
  }

  escaped(): string {
    const roll = this.rng();
    if (roll < 0.15) {
      return `${this.pick(WORDS)}/${this.pick(WORDS)}${this.int(1000)}`;
    }
    let text = "";
    const parts = 2 + this.int(5);
    for (let i = 0; i < parts; i++) {
      const piece = this.rng();
      if (piece < 0.35) text += encodeURIComponent(this.phrase());
      else if (piece < 0.5) text += this.pick(["%20", "%2F", "%3D", "%26"]);
      else if (piece < 0.53) text += this.pick(["%zz", "%", "%4"]);
      else text += this.pick(WORDS) + this.pick(["/", "-", "_", "."]);
    }
    return text;
  }
}

// Retries until `count` distinct values exist; the generators vary enough that
// collisions are rare, so this stays close to one draw per value.
function distinct<T>(count: number, key: (v: T) => string, make: () => T): T[] {
  const seen = new Set<string>();
  const out: T[] = [];
  let attempts = 0;
  while (out.length < count) {
    if (++attempts > count * 20) {
      throw new RangeError(`could not draw ${count} distinct inputs`);
    }
    const value = make();
    const k = key(value);
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(value);
  }
  return out;
}

/** Draws `count` distinct inputs per operation from `seed`. */
export function makeParseInputs(count: number, seed: number): ParseInputs {
  const g = new Gen(makeRng(seed));
  const urls = distinct(count, (u) => u, () => g.url());
  const joins = distinct(
    count,
    ([b, r]) => `${b}\n${r}`,
    (): [string, string] => [g.absoluteUrl(SCHEMES.slice(0, 2)), g.reference()],
  );
  const queries = distinct(count, (q) => q, () => g.query(QUERY_PAIRS));
  const forms = distinct(
    count,
    (pairs) => JSON.stringify(pairs),
    () => {
      const pairs: [string, string][] = [];
      for (let i = 0; i < QUERY_PAIRS; i++) {
        const value = g.chance(0.4) ? g.phrase() : String(g.int(100000));
        pairs.push([g.pick(QUERY_KEYS), value]);
      }
      return pairs;
    },
  );
  const quotes = distinct(count, (s) => s, () => g.phrase());
  const unquotes = distinct(count, (s) => s, () => g.escaped());
  return { seed, urls, joins, queries, forms, quotes, unquotes };
}
