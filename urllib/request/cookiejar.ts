/**
 * An `http.cookiejar`-style cookie jar for `urllib.request`, storing and
 * matching cookies with the `tough-cookie` library (RFC 6265) rather than a
 * hand-written parser. The jars kept in files are in `file_cookiejar.ts`.
 *
 * Follows CPython 3.13 `Lib/http/cookiejar.py`, `Cookie` and `CookieJar`
 * (the API; the cookie rules are RFC 6265's, through `tough-cookie`).
 *
 * @module
 */
import { pyInt } from "../../_util/py_int.ts";
import { pyStrip } from "../../_util/py_str.ts";
import { pyRepr } from "../../_util/py_repr.ts";
import {
  Cookie as ToughCookie,
  CookieJar as ToughCookieJar,
  MemoryCookieStore,
  pathMatch,
} from "tough-cookie";
import {
  missingArguments,
  type MixedArgs,
  pyArgs,
} from "../../_util/py_args.ts";
import { quote } from "../parse/quote.ts";
import { urlsplit } from "../parse/split.ts";

/**
 * The parts of a `Request` a {@linkcode CookieJar} reads and writes. The
 * `Request` class of `urllib.request` has all of them.
 */
export interface CookieRequest {
  /** The absolute URL the request is for. */
  readonly full_url: string;
  /** Whether a header of this name is already set. */
  has_header(name: string): boolean;
  /** Adds a header that is not carried over to redirected requests. */
  add_unredirected_header(name: string, value: string): void;
}

/**
 * The parts of a response a {@linkcode CookieJar} reads: its headers, as
 * returned by `info()`.
 */
export interface CookieResponse {
  /** The response headers. */
  info(): { get_all(name: string): string[] | null } | null;
}

/** The fields of a {@linkcode Cookie}, as Python's `Cookie(...)` keywords. */
export interface CookieInit {
  /** `0` for Netscape cookies, `1` for RFC 2109 ones; `null` when unknown. */
  version?: number | null;
  /** The cookie name. */
  name: string;
  /** The cookie value; `null` for a bare `Set-Cookie: name`. */
  value: string | null;
  /** The ports of an RFC 2965 cookie (always `null` here). */
  port?: string | null;
  /** Whether a port was given. */
  port_specified?: boolean;
  /** The domain: a host, or `.example.com` for a domain cookie. */
  domain: string;
  /** Whether the server sent a `Domain` attribute. */
  domain_specified?: boolean;
  /** Whether that `Domain` attribute began with a dot. */
  domain_initial_dot?: boolean;
  /** The path the cookie applies under. */
  path?: string;
  /** Whether the server sent a `Path` attribute. */
  path_specified?: boolean;
  /** Whether the cookie is only sent over https. */
  secure?: boolean;
  /** Expiry in seconds since the epoch; `null` for a session cookie. */
  expires?: number | null;
  /** Whether the cookie ends with the session. Defaults to `expires === null`. */
  discard?: boolean;
  /** The RFC 2965 comment (always `null` for Netscape cookies). */
  comment?: string | null;
  /** The RFC 2965 comment URL (always `null` for Netscape cookies). */
  comment_url?: string | null;
  /** Other attributes, such as `HttpOnly` (value `null`) or `SameSite`. */
  rest?: Record<string, string | null>;
  /** Whether this was an RFC 2109 cookie treated as Netscape. */
  rfc2109?: boolean;
}

/** `Cookie(...)`'s parameters in Python's order. */
const COOKIE_PARAMS = [
  "version",
  "name",
  "value",
  "port",
  "port_specified",
  "domain",
  "domain_specified",
  "domain_initial_dot",
  "path",
  "path_specified",
  "secure",
  "expires",
  "discard",
  "comment",
  "comment_url",
  "rest",
  "rfc2109",
] as const;

/** Nothing given: each field then takes the default {@linkcode Cookie} gives it. */
const NO_COOKIE_FIELDS = Object.fromEntries(
  COOKIE_PARAMS.map((name) => [name, undefined]),
) as unknown as CookieInit;

/**
 * One HTTP cookie, with the attributes of Python's `http.cookiejar.Cookie`.
 *
 * Iterating a {@linkcode CookieJar} yields snapshots: changing a field of
 * one does not change the jar; pass it to `jar.set_cookie()` to store it.
 *
 * @example Build a cookie and read it back
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { Cookie } from "@pyport/web/urllib/request";
 * const c = new Cookie({ name: "sid", value: "42", domain: "example.com" });
 * ok(c.path === "/" && c.expires === null && c.discard);
 * equal(String(c), "<Cookie sid=42 for example.com/>");
 * ```
 */
export class Cookie {
  /** `0` for Netscape cookies; `null` when unknown. */
  version: number | null;
  /** The cookie name. */
  name: string;
  /** The cookie value; `null` for a bare `Set-Cookie: name`. */
  value: string | null;
  /** RFC 2965 ports; always `null` here. */
  port: string | null;
  /** Whether a port was given. */
  port_specified: boolean;
  /** A host, or `.example.com` for a domain cookie. */
  domain: string;
  /** Whether the server sent a `Domain` attribute. */
  domain_specified: boolean;
  /** Whether that attribute began with a dot. */
  domain_initial_dot: boolean;
  /** The path the cookie applies under. */
  path: string;
  /** Whether the server sent a `Path` attribute. */
  path_specified: boolean;
  /** Whether the cookie is only sent over https. */
  secure: boolean;
  /** Expiry in whole seconds since the epoch; `null` for session cookies. */
  expires: number | null;
  /** Whether the cookie ends with the session. */
  discard: boolean;
  /** RFC 2965 comment; `null` here. */
  comment: string | null;
  /** RFC 2965 comment URL; `null` here. */
  comment_url: string | null;
  /** Whether this was an RFC 2109 cookie. */
  rfc2109: boolean;
  #rest: Map<string, string | null>;

  /**
   * Creates a cookie from Python's keyword fields, of which `name`,
   * `value` and `domain` are needed (the others as {@linkcode CookieInit}
   * says).
   */
  constructor(init: CookieInit);
  /**
   * Python's positional form: `new Cookie(version, name, value, port,
   * port_specified, domain, domain_specified, domain_initial_dot, path,
   * path_specified, secure, expires, discard, comment, comment_url, rest,
   * rfc2109?)`; the fields after any of them may go in a trailing
   * keywords object instead.
   */
  constructor(
    version: number | null,
    name: string,
    value: string | null,
    port: string | null,
    port_specified: boolean,
    domain: string,
    domain_specified: boolean,
    domain_initial_dot: boolean,
    path: string,
    path_specified: boolean,
    secure: boolean,
    expires: number | null,
    discard: boolean,
    comment: string | null,
    comment_url: string | null,
    rest: Record<string, string | null>,
    rfc2109?: boolean,
  );
  constructor(...args: unknown[]) {
    // `rest` is a dict: a plain object at its place is taken as `rest`
    // unless all its names are Cookie's keywords.
    const init = pyArgs({
      fn: "Cookie",
      names: COOKIE_PARAMS,
      defaults: NO_COOKIE_FIELDS,
      objectParams: ["rest"],
    }, args);
    const missing = (["name", "value", "domain"] as const).filter((key) =>
      init[key] === undefined
    );
    if (missing.length > 0) throw missingArguments("Cookie", missing);
    this.version = init.version === undefined ? 0 : init.version;
    this.name = init.name;
    this.value = init.value;
    this.port = init.port ?? null;
    this.port_specified = init.port_specified ?? false;
    this.domain = init.domain.toLowerCase();
    this.domain_specified = init.domain_specified ??
      this.domain.startsWith(".");
    this.domain_initial_dot = init.domain_initial_dot ?? false;
    this.path = init.path ?? "/";
    this.path_specified = init.path_specified ?? false;
    this.secure = init.secure ?? false;
    this.expires = init.expires === undefined || init.expires === null
      ? null
      : Math.trunc(init.expires);
    this.discard = init.discard ?? this.expires === null;
    this.comment = init.comment ?? null;
    this.comment_url = init.comment_url ?? null;
    this.rfc2109 = init.rfc2109 ?? false;
    this.#rest = new Map(Object.entries(init.rest ?? {}));
  }

  /** Other attributes, such as `{ HttpOnly: null, SameSite: "Lax" }`. */
  get rest(): Record<string, string | null> {
    return Object.fromEntries(this.#rest);
  }

  /** Whether a non-standard attribute is present (case-sensitive, as in Python). */
  has_nonstandard_attr(name: string): boolean {
    return this.#rest.has(name);
  }

  /** A non-standard attribute's value, or `default` when it is absent. */
  get_nonstandard_attr<T = null>(name: string, default_?: T): string | null | T;
  /** Keyword form: `get_nonstandard_attr(name, { default })`. */
  get_nonstandard_attr<T = null>(
    name: string,
    options: { default?: T },
  ): string | null | T;
  get_nonstandard_attr(name: string, ...args: unknown[]): unknown {
    const fallback = pyArgs({
      fn: "get_nonstandard_attr",
      names: ["default"],
      defaults: { default: null as unknown },
    }, args).default;
    return this.#rest.has(name) ? this.#rest.get(name) ?? null : fallback;
  }

  /** Sets a non-standard attribute. */
  set_nonstandard_attr(name: string, value: string | null): void {
    this.#rest.set(name, value);
  }

  /**
   * Whether the cookie has expired at `now` (seconds since the epoch,
   * default the current time).
   */
  is_expired(now?: number | null): boolean;
  /** Keyword form: `is_expired({ now })`. */
  is_expired(options: { now?: number | null }): boolean;
  is_expired(...args: unknown[]): boolean {
    const { now } = pyArgs({
      fn: "is_expired",
      names: ["now"],
      defaults: { now: null as number | null },
    }, args);
    const at = now ?? Date.now() / 1000;
    return this.expires !== null && this.expires <= at;
  }

  /** Python's `str(cookie)`: `<Cookie name=value for domain/path>`. */
  toString(): string {
    const where =
      (this.port === null ? this.domain : `${this.domain}:${this.port}`) +
      this.path;
    const nameValue = this.value === null
      ? this.name
      : `${this.name}=${this.value}`;
    return `<Cookie ${nameValue} for ${where}>`;
  }

  /** Python's `repr(cookie)`: `Cookie(version=0, name='a', …)`. */
  repr(): string {
    const fields: [string, unknown][] = [
      ["version", this.version],
      ["name", this.name],
      ["value", this.value],
      ["port", this.port],
      ["port_specified", this.port_specified],
      ["domain", this.domain],
      ["domain_specified", this.domain_specified],
      ["domain_initial_dot", this.domain_initial_dot],
      ["path", this.path],
      ["path_specified", this.path_specified],
      ["secure", this.secure],
      ["expires", this.expires],
      ["discard", this.discard],
      ["comment", this.comment],
      ["comment_url", this.comment_url],
      ["rest", this.rest],
      ["rfc2109", this.rfc2109],
    ];
    return `Cookie(${fields.map(([k, v]) => `${k}=${pyRepr(v)}`).join(", ")})`;
  }
}

/** Options for {@linkcode CookieJar.clear}, as Python's keywords. */
export interface CookieClearOptions {
  /** Only cookies of this domain (as shown by `cookie.domain`). */
  domain?: string | null;
  /** Only cookies of this path; needs `domain`. */
  path?: string | null;
  /** Only the cookie of this name; needs `domain` and `path`. */
  name?: string | null;
}

/**
 * Where a `Domain` attribute of a raw `Set-Cookie` value began with a dot.
 * tough-cookie drops the dot while parsing, and Python reports it.
 */
function domainHadInitialDot(setCookie: string): boolean {
  let dotted = false;
  for (const attr of setCookie.split(";").slice(1)) {
    const [name, value] = splitExtension(attr);
    if (value === null || name.toLowerCase() !== "domain") continue;
    dotted = value.startsWith(".");
  }
  return dotted;
}

/**
 * Whether a cookie is HttpOnly. Set-Cookie gives `HttpOnly` and Python's
 * cookies.txt loader `HTTPOnly`; Python's own save only knows the latter
 * and so drops the flag of received cookies, which this keeps.
 */
export function isHttpOnly(cookie: Cookie): boolean {
  return Object.keys(cookie.rest).some((key) =>
    key.toLowerCase() === "httponly"
  );
}

function sameSiteOf(cookie: Cookie): string | undefined {
  for (const [key, value] of Object.entries(cookie.rest)) {
    if (key.toLowerCase() === "samesite" && value) return value.toLowerCase();
  }
  return undefined;
}

/** The attributes Python refuses a cookie for when they come without `=`. */
const NEED_VALUES = new Set(["domain", "path", "version", "max-age"]);

/** Python's `strip_quotes`: one `"` off each end, where there is one. */
function stripQuotes(text: string): string {
  if (text.startsWith('"')) text = text.slice(1);
  if (text.endsWith('"')) text = text.slice(0, -1);
  return text;
}

/**
 * Whether Python's cookiejar throws a `Set-Cookie` line away before its
 * policy sees it, where tough-cookie's loose mode would store something:
 * a first pair without a name (`=x`, ` ; a=1`: Python's header has no
 * cookie then), a Domain, Path, Version or Max-Age with no value
 * (`Path`, `Domain=`), a Max-Age that is no integer (a bad cookie to
 * Python), or a Version that is no integer once its quotes are off
 * (`Version=x`, `Version=`: Python ignores the cookie) or is above 1
 * (refused by Python's default policy).
 */
function droppedByPython(header: string): boolean {
  const [first = "", ...attributes] = header.split(";");
  if (splitExtension(first)[0] === "") return true;
  // As Python reads them: in order, each attribute judged where it first
  // counts (a later repeat is ignored; an Expires without a value does not
  // count). Every Max-Age is judged: Python files it as an expiry, under
  // another name, so its repeats are read too.
  const judged = new Set<string>();
  for (const attribute of attributes) {
    const [name, value] = splitExtension(attribute);
    // Python skips an attribute without a name (`=b`).
    if (name === "") continue;
    const lower = name.toLowerCase();
    if (judged.has(lower) || (lower === "expires" && value === null)) continue;
    if (lower !== "max-age") judged.add(lower);
    if (value === null && NEED_VALUES.has(lower)) return true;
    if (lower === "domain" && value === "") return true;
    if (lower === "max-age" && value !== null && pyInt(value) === null) {
      return true;
    }
    if (lower === "version" && value !== null) {
      // Python's int(), then its default policy, which refuses versions
      // above 1 (RFC 2965 is off; 1 is RFC 2109, read as Netscape).
      const version = pyInt(stripQuotes(value));
      if (version === null || version > 1) return true;
    }
  }
  return false;
}

/** RFC 2965 attributes that are a Python cookie's fields, not its `rest`. */
const STANDARD_EXTENSIONS = new Set(["discard", "comment", "commenturl"]);

/**
 * `name=value` as name and value (`null`: no `=`), both stripped as
 * Python's `str.strip()` strips them (`\x1c` and `\x85` too, not `\ufeff`).
 */
function splitExtension(text: string): [string, string | null] {
  const eq = text.indexOf("=");
  return eq < 0
    ? [pyStrip(text), null]
    : [pyStrip(text.slice(0, eq)), pyStrip(text.slice(eq + 1))];
}

/** The value of `cookie`'s extension `name` (any case): `undefined` when absent. */
function extension(
  cookie: ToughCookie,
  name: string,
): string | null | undefined {
  for (const ext of cookie.extensions ?? []) {
    const [key, value] = splitExtension(ext);
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

function capitalised(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const TOUGH_OPTIONS = {
  looseMode: true,
  rejectPublicSuffixes: true,
  allowSecureOnLocal: false,
  enforceSecureOriginOnStorage: true,
  prefixSecurity: "silent",
} as const;

/** What Python leaves unescaped in a cookie path (`HTTP_PATH_SAFE`). */
const HTTP_PATH_SAFE = "%/;:@&=+$,!~*'()";

/**
 * A path as Python's `http.cookiejar` compares cookie paths (its
 * `escape_path`): every other character escaped, and the hex digits of
 * every escape upper-cased, so `/my docs`, `/my%20docs` and `/caf%c3%a9`
 * match `/my%20docs` and `/caf%C3%A9`.
 */
function escapePath(path: string): string {
  return quote(path, HTTP_PATH_SAFE).replace(
    /%[0-9a-fA-F]{2}/g,
    (escape) => escape.toUpperCase(),
  );
}

/**
 * `header` (a `Set-Cookie` value) as tough-cookie should read it to store
 * what Python stores: each pair's name and value stripped as Python strips
 * them (`\x1c`, `\x85`, which JavaScript's `trim()` keeps), an attribute
 * without a name (`=b`) left out as Python skips it, its `Path` escaped as
 * Python escapes a cookie's path, and a `Max-Age` that Python's `int()`
 * reads (`+60`, ` 6_0`) written as the plain number the RFC's grammar
 * takes.
 */
function asPythonReadsIt(header: string): string {
  const [first = "", ...attributes] = header.split(";");
  const pair = (name: string, value: string | null) =>
    value === null ? name : `${name}=${value}`;
  const parts = [pair(...splitExtension(first))];
  for (const attribute of attributes) {
    const [written, value] = splitExtension(attribute);
    if (written === "") continue;
    const name = written.toLowerCase();
    if (name === "path" && value !== null && value !== "") {
      parts.push(`Path=${escapePath(value)}`);
    } else if (name === "max-age" && value !== null && !/^-?\d+$/.test(value)) {
      const seconds = pyInt(value);
      parts.push(
        seconds === null ? pair(written, value) : `Max-Age=${seconds}`,
      );
    } else parts.push(pair(written, value));
  }
  return parts.join("; ");
}

/**
 * The URL as tough-cookie should see it. Its path is escaped as Python
 * escapes a request's path for cookies, and keeps those escapes
 * (tough-cookie decodes the path it is given, so `/caf%C3%A9` would never
 * match a cookie whose `Path` is written so); its host loses a final dot
 * (tough-cookie stores a cookie for `www.example.com.` that it then never
 * sends back).
 */
function cookieContext(url: string): URL {
  const parsed = new URL(url);
  const path = escapePath(urlsplit(url).path);
  parsed.pathname = (path.startsWith("/") ? path : `/${path}`)
    .replaceAll("%", "%25");
  if (parsed.hostname.endsWith(".")) {
    parsed.hostname = parsed.hostname.slice(0, -1);
  }
  return parsed;
}

/** tough-cookie's callback for the found cookies (its type is not exported). */
type FoundCallback = Parameters<MemoryCookieStore["findCookies"]>[3];

/**
 * tough-cookie's memory store, except that a host without a dot is looked
 * up under its own name alone, the only domain such a host matches.
 * tough-cookie throws for a one-label host that it counts a special-use
 * domain (`example`, `local`, `test`), so those hosts' cookies were stored
 * and never sent back; Python sends them.
 */
class CookieStore extends MemoryCookieStore {
  override findCookies(
    domain: string,
    path: string,
    allowSpecialUseDomain?: boolean,
  ): Promise<ToughCookie[]>;
  override findCookies(
    domain: string,
    path: string,
    allowSpecialUseDomain?: boolean,
    callback?: FoundCallback,
  ): void;
  override findCookies(
    domain: string,
    path: string,
    allowSpecialUseDomain?: boolean,
    callback?: FoundCallback,
  ): Promise<ToughCookie[]> | void {
    if (!domain || domain.includes(".")) {
      return super.findCookies(domain, path, allowSpecialUseDomain, callback);
    }
    const found: ToughCookie[] = [];
    for (const [cookiePath, byName] of Object.entries(this.idx[domain] ?? {})) {
      if (path && !pathMatch(path, cookiePath)) continue;
      found.push(...Object.values(byName));
    }
    if (!callback) return Promise.resolve(found);
    callback(null, found);
  }
}

/** What tells two stored cookies apart: domain, path and name. */
function identity(cookie: ToughCookie): string {
  return `${cookie.domain}\n${cookie.path}\n${cookie.key}`;
}

/**
 * The fields of a Python `Cookie` that tough-cookie has no place for (and
 * its expiry, which tough-cookie's dates cut at the year 275760).
 */
type PythonOnlyFields = Pick<
  Cookie,
  | "expires"
  | "version"
  | "port"
  | "port_specified"
  | "discard"
  | "comment"
  | "comment_url"
  | "rest"
  | "rfc2109"
  | "domain_specified"
>;

/** The last moment a `Date` holds (8.64e15 ms: the year 275760). */
const LAST_DATE_MS = 8.64e15;

/** What `MemoryCookieStore` keeps: domain, then path, then name. */
type CookieIndex = MemoryCookieStore["idx"];

/**
 * Puts `cookies` (none for `null`) in `jar`'s store, returning what was
 * there: `FileCookieJar.revert` sets the cookies aside as Python's does.
 */
export let swapCookies: (
  jar: CookieJar,
  cookies: CookieIndex | null,
) => CookieIndex;

/**
 * Holds the cookies of HTTP responses and adds the matching ones to later
 * requests, like Python's `http.cookiejar.CookieJar`. Storage, domain and
 * path matching, expiry and `Secure` handling follow RFC 6265 as
 * implemented by `tough-cookie` (paths compared with their escapes as
 * written, and sent longest first in the jar's order, as Python does; the
 * README lists where the rules differ). Two rules are stricter than Python's
 * default policy: cookies for a public suffix (`co.uk`) are refused, and
 * a `Secure` cookie is only stored when it arrives over https (RFC 6265bis).
 * Python's `policy` objects are not supported.
 *
 * Iteration yields {@linkcode Cookie} snapshots grouped by domain, then
 * path, in the order they were first stored, as Python does.
 *
 * @example Store a cookie from a response and send it back
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { CookieJar } from "@pyport/web/urllib/request";
 * const jar = new CookieJar();
 * const request = {
 *   full_url: "http://example.com/app/login",
 *   headers: new Map<string, string>(),
 *   has_header(name: string) { return this.headers.has(name); },
 *   add_unredirected_header(name: string, value: string) { this.headers.set(name, value); },
 * };
 * const response = {
 *   info: () => ({ get_all: (_name: string) => ["sid=42; Path=/app"] }),
 * };
 * jar.extract_cookies(response, request);
 * equal(jar.length, 1);
 * const [cookie] = jar;
 * equal(cookie?.name, "sid");
 * equal(cookie?.domain, "example.com");
 * jar.add_cookie_header(request);
 * equal(request.headers.get("Cookie"), "sid=42");
 * ```
 */
export class CookieJar implements Iterable<Cookie> {
  #store = new CookieStore();
  #jar = new ToughCookieJar(this.#store, TOUGH_OPTIONS);
  #initialDot = new WeakSet<ToughCookie>();
  /**
   * What a `Cookie` given to `set_cookie` holds and tough-cookie cannot:
   * its version, port, comment, `discard`, `rest`, `rfc2109` and
   * `domain_specified` as written. The jar reports them back as given.
   */
  #given = new WeakMap<ToughCookie, PythonOnlyFields>();
  /** In `make_cookies`' scratch jar: the expired cookies a response named. */
  #expiredSeen: ToughCookie[] | null = null;

  static {
    swapCookies = (jar, cookies) => {
      const before = jar.#store.idx;
      jar.#store.idx = cookies ?? Object.create(null);
      return before;
    };
  }

  /**
   * An empty jar. Python's `policy` may be given only as `null`: there are
   * no cookie policy objects here (cookies follow RFC 6265bis, README:
   * Differences from Python), and a policy silently dropped would let
   * through cookies it was meant to block.
   */
  constructor(policy?: null);
  /** Keyword form: `new CookieJar({ policy: null })`. */
  constructor(options: { policy?: null });
  constructor(...args: unknown[]) {
    refusePolicy(
      "CookieJar",
      pyArgs({
        fn: "CookieJar",
        names: ["policy"],
        defaults: { policy: null as unknown },
      }, args).policy,
    );
  }

  /**
   * Adds a `Cookie` header with the cookies that match `request`, unless
   * the request already has one; expired cookies are never sent. Then
   * calls `clear_expired_cookies()`, as Python does (an override that keeps
   * them keeps them in the jar).
   */
  add_cookie_header(request: CookieRequest): void {
    this.#addCookieHeader(request);
    this.clear_expired_cookies();
  }

  #addCookieHeader(request: CookieRequest): void {
    let matched: ToughCookie[];
    try {
      // Not `expire`: tough-cookie would delete the expired cookies it
      // meets, which is clear_expired_cookies' to do (or not do).
      matched = this.#jar.getCookiesSync(cookieContext(request.full_url), {
        expire: false,
      });
    } catch {
      // A URL tough-cookie cannot place (no host) has no cookies to send.
      return;
    }
    const now = Date.now();
    matched = matched.filter((c) => {
      const expiry = c.expiryTime();
      return expiry === undefined || expiry > now;
    });
    if (matched.length === 0 || request.has_header("Cookie")) return;
    if (matched.length > 1) {
      // Python's order: longest path first, ties in the jar's own order
      // (tough-cookie breaks ties by creation time instead).
      const slot = new Map(
        this.#toughCookies().map((c, i) => [identity(c), i]),
      );
      const rank = (c: ToughCookie) => slot.get(identity(c)) ?? 0;
      matched.sort((a, b) =>
        (b.path ?? "").length - (a.path ?? "").length || rank(a) - rank(b)
      );
    }
    request.add_unredirected_header(
      "Cookie",
      matched.map((c) => c.cookieString()).join("; "),
    );
  }

  /**
   * Stores the cookies of `response`'s `Set-Cookie` headers that the
   * rules allow for `request`. A cookie that arrives already expired
   * deletes the stored one of the same name, domain and path. As in
   * Python, this is `make_cookies()` then `set_cookie()` for each cookie:
   * a subclass overriding either has it called here (and so for every
   * response an `HTTPCookieProcessor` sees).
   */
  extract_cookies(response: CookieResponse, request: CookieRequest): void {
    if (
      this.make_cookies === OWN_MAKE_COOKIES &&
      this.set_cookie === OWN_SET_COOKIE
    ) {
      // What the two hooks would do, without the round trip through Cookie.
      for (const header of response.info()?.get_all("Set-Cookie") ?? []) {
        this.#setFromHeader(header, request.full_url);
      }
      return;
    }
    for (const cookie of this.make_cookies(response, request)) {
      this.set_cookie(cookie);
    }
  }

  /**
   * The cookies `response` would set for `request`, without storing them.
   * A cookie that arrives already expired is not among them: as in Python,
   * it deletes the stored one it names, with `clear()`.
   */
  make_cookies(response: CookieResponse, request: CookieRequest): Cookie[] {
    const scratch = new CookieJar();
    scratch.#expiredSeen = [];
    scratch.extract_cookies(response, request);
    for (const gone of scratch.#expiredSeen) {
      const stored = this.#store.idx[gone.domain ?? ""]?.[gone.path ?? "/"]
        ?.[gone.key];
      if (stored === undefined) continue;
      this.clear(
        this.#viewDomain(stored),
        stored.path ?? "/",
        this.#viewName(stored),
      );
    }
    return [...scratch];
  }

  #setFromHeader(header: string, url: string): void {
    if (droppedByPython(header)) return;
    const read = asPythonReadsIt(header);
    let stored: ToughCookie | undefined;
    try {
      stored = this.#jar.setCookieSync(
        read,
        cookieContext(url),
        {
          ignoreError: true,
        },
      );
    } catch {
      // Malformed URLs and cookies are ignored, as Python ignores them.
      return;
    }
    if (!stored) return;
    const expiry = stored.expiryTime();
    if (expiry !== undefined && expiry <= Date.now()) {
      // tough-cookie stores it to replace the old one; Python stores neither.
      this.#expiredSeen?.push(stored);
      this.#store.removeCookie(
        stored.domain ?? "",
        stored.path ?? "/",
        stored.key,
        () => {},
      );
      return;
    }
    if (!stored.hostOnly && domainHadInitialDot(read)) {
      this.#initialDot.add(stored);
    }
  }

  /** Stores `cookie`, replacing one with the same domain, path and name. */
  set_cookie(cookie: Cookie): void {
    const hostOnly = !cookie.domain.startsWith(".");
    const tough = new ToughCookie({
      key: cookie.value === null ? "" : cookie.name,
      value: cookie.value === null ? cookie.name : cookie.value,
      domain: hostOnly ? cookie.domain : cookie.domain.slice(1),
      path: cookie.path,
      secure: cookie.secure,
      httpOnly: isHttpOnly(cookie),
      hostOnly,
      pathIsDefault: !cookie.path_specified,
      // Dates end in the year 275760; a later expiry waits as long.
      expires: cookie.expires === null
        ? "Infinity"
        : new Date(Math.min(cookie.expires * 1000, LAST_DATE_MS)),
      sameSite: sameSiteOf(cookie),
      // Other attributes ride along as tough-cookie extensions, which the
      // jar reports back in `rest`.
      extensions: Object.entries(cookie.rest)
        .filter(([k]) => !["httponly", "samesite"].includes(k.toLowerCase()))
        .map(([k, v]) => v === null ? k : `${k}=${v}`),
    });
    if (cookie.domain_initial_dot) this.#initialDot.add(tough);
    this.#given.set(tough, {
      expires: cookie.expires,
      version: cookie.version,
      port: cookie.port,
      port_specified: cookie.port_specified,
      discard: cookie.discard,
      comment: cookie.comment,
      comment_url: cookie.comment_url,
      rest: cookie.rest,
      rfc2109: cookie.rfc2109,
      domain_specified: cookie.domain_specified,
    });
    // A replaced cookie keeps its place in the jar's order, as in Python.
    const replaced = this.#store.idx[tough.domain ?? ""]?.[tough.path ?? "/"]
      ?.[tough.key];
    if (replaced) {
      tough.creation = replaced.creation;
      tough.creationIndex = replaced.creationIndex;
    }
    this.#store.putCookie(tough, () => {});
  }

  /**
   * Removes cookies: all of them; or those of one `domain`; or of one
   * `domain` and `path`; or the one cookie with that `domain`, `path` and
   * `name`.
   *
   * @throws {TypeError} When `path` is given without `domain`, or `name`
   * without both.
   * @throws {RangeError} When the given domain, path or name is not in
   * the jar (Python's `KeyError`).
   */
  clear(
    domain?: string | null,
    path?: string | null,
    name?: string | null,
  ): void;
  /**
   * Some by position, the rest as keywords: `clear(domain, { path })`,
   * `clear(domain, path, { name })`.
   */
  clear(
    ...args: MixedArgs<
      [domain?: string | null, path?: string | null, name?: string | null],
      CookieClearOptions,
      ["domain", "path", "name"]
    >
  ): void;
  /** Keyword form: `clear({ domain, path, name })`. */
  clear(options: CookieClearOptions): void;
  clear(...args: unknown[]): void {
    const { domain, path, name } = pyArgs({
      fn: "clear",
      names: ["domain", "path", "name"],
      defaults: {
        domain: null as string | null,
        path: null as string | null,
        name: null as string | null,
      },
    }, args);
    if (name !== null && (domain === null || path === null)) {
      throw new TypeError(
        "clear(): domain and path must be given to remove a cookie by name",
      );
    }
    if (path !== null && domain === null) {
      throw new TypeError(
        "clear(): domain must be given to remove cookies by path",
      );
    }
    if (domain === null) {
      this.#store.idx = Object.create(null);
      return;
    }
    const before = this.length;
    this.#removeWhere((c) =>
      this.#viewDomain(c) === domain &&
      (path === null || c.path === path) &&
      (name === null || this.#viewName(c) === name)
    );
    if (this.length === before) {
      const what = [domain, path, name].filter((x) => x !== null).join(", ");
      throw new RangeError(`clear(): no cookies for ${what}`);
    }
  }

  /**
   * Removes every cookie whose `discard` is set (by default: those with no
   * expiry), each with `clear(domain, path, name)` as in Python.
   */
  clear_session_cookies(): void {
    this.#clearEach((c) =>
      this.#given.get(c)?.discard ??
        (!c.isPersistent() || extension(c, "discard") !== undefined)
    );
  }

  /**
   * Removes every cookie whose expiry has passed, each with
   * `clear(domain, path, name)` as in Python.
   */
  clear_expired_cookies(): void {
    const now = Date.now();
    this.#clearEach((c) => {
      const expiry = c.expiryTime();
      return expiry !== undefined && expiry <= now;
    });
  }

  /** Removes the cookies `predicate` picks, through a `clear` override if any. */
  #clearEach(predicate: (cookie: ToughCookie) => boolean): void {
    if (this.clear === OWN_CLEAR) {
      this.#removeWhere(predicate);
      return;
    }
    for (const cookie of this.#toughCookies().filter(predicate)) {
      this.clear(
        this.#viewDomain(cookie),
        cookie.path ?? "/",
        this.#viewName(cookie),
      );
    }
  }

  #removeWhere(predicate: (cookie: ToughCookie) => boolean): void {
    for (const byPath of Object.values(this.#store.idx)) {
      for (const byName of Object.values(byPath)) {
        for (const [key, cookie] of Object.entries(byName)) {
          if (predicate(cookie)) delete byName[key];
        }
      }
    }
  }

  /**
   * Every stored cookie, grouped as Python's jar iterates: by domain (a
   * host-only and a domain cookie of one host are different groups), then
   * path, each group in the order it first appeared. tough-cookie keeps a
   * cookie's creation index when it is replaced, as Python keeps its slot.
   */
  #toughCookies(): ToughCookie[] {
    const all: ToughCookie[] = [];
    for (const byPath of Object.values(this.#store.idx)) {
      for (const byName of Object.values(byPath)) {
        all.push(...Object.values(byName));
      }
    }
    all.sort((a, b) => a.creationIndex - b.creationIndex);
    const domains = new Map<string, Map<string, ToughCookie[]>>();
    for (const cookie of all) {
      const domain = this.#viewDomain(cookie);
      let paths = domains.get(domain);
      if (!paths) domains.set(domain, paths = new Map());
      const path = cookie.path ?? "/";
      let group = paths.get(path);
      if (!group) paths.set(path, group = []);
      group.push(cookie);
    }
    const ordered: ToughCookie[] = [];
    for (const paths of domains.values()) {
      for (const group of paths.values()) ordered.push(...group);
    }
    return ordered;
  }

  #viewDomain(cookie: ToughCookie): string {
    const domain = cookie.domain ?? "";
    return cookie.hostOnly ? domain : `.${domain}`;
  }

  #viewName(cookie: ToughCookie): string {
    return cookie.key === "" ? cookie.value : cookie.key;
  }

  #toCookie(cookie: ToughCookie): Cookie {
    const rest: Record<string, string | null> = {};
    if (cookie.httpOnly) rest["HttpOnly"] = null;
    if (cookie.sameSite !== undefined && cookie.sameSite !== "none") {
      rest["SameSite"] = capitalised(cookie.sameSite);
    }
    // Python's standard attributes among the rest are fields, not `rest`.
    const standard: Record<string, string | null> = {};
    for (const ext of cookie.extensions ?? []) {
      const [name, value] = splitExtension(ext);
      const lower = name.toLowerCase();
      if (STANDARD_EXTENSIONS.has(lower)) {
        if (!(lower in standard)) standard[lower] = value;
      } else rest[name] = value;
    }
    const expiry = cookie.expiryTime();
    const nameless = cookie.key === "";
    const given = this.#given.get(cookie);
    return new Cookie({
      ...(given === undefined
        ? {
          comment: standard["comment"] ?? null,
          comment_url: standard["commenturl"] ?? null,
          ...("discard" in standard ? { discard: true } : {}),
        }
        : given),
      name: nameless ? cookie.value : cookie.key,
      value: nameless ? null : cookie.value,
      domain: this.#viewDomain(cookie),
      domain_specified: given?.domain_specified ?? !cookie.hostOnly,
      domain_initial_dot: this.#initialDot.has(cookie),
      path: cookie.path ?? "/",
      path_specified: !cookie.pathIsDefault,
      secure: cookie.secure,
      expires: given !== undefined
        ? given.expires
        : expiry === undefined || !Number.isFinite(expiry)
        ? null
        : Math.floor(expiry / 1000),
      rest: given?.rest ?? rest,
    });
  }

  /** The number of cookies stored (Python's `len(jar)`). */
  get length(): number {
    let count = 0;
    for (const byPath of Object.values(this.#store.idx)) {
      for (const byName of Object.values(byPath)) {
        count += Object.keys(byName).length;
      }
    }
    return count;
  }

  /** Yields a snapshot of every stored cookie. */
  *[Symbol.iterator](): Iterator<Cookie> {
    for (const cookie of this.#toughCookies()) {
      yield this.#toCookie(cookie);
    }
  }

  /** Python's `str(jar)`: `<CookieJar[<Cookie a=1 for host/>, …]>`. */
  toString(): string {
    return `<${this.constructor.name}[${[...this].join(", ")}]>`;
  }

  /** Python's `repr(jar)`, listing each cookie's `repr`. */
  repr(): string {
    const cookies = [...this].map((c) => c.repr()).join(", ");
    return `<${this.constructor.name}[${cookies}]>`;
  }
}

const OWN_MAKE_COOKIES = CookieJar.prototype.make_cookies;
const OWN_SET_COOKIE = CookieJar.prototype.set_cookie;
const OWN_CLEAR = CookieJar.prototype.clear;

/** The TypeError for a cookie policy object, which we do not have. */
export function refusePolicy(fn: string, policy: unknown): void {
  if (policy !== null) {
    throw new TypeError(
      `${fn}(): cookie policy objects are not supported; the jar applies RFC 6265bis's rules`,
    );
  }
}
