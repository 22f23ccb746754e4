/**
 * Python's HTTP authentication handlers for `urllib.request`: Basic and
 * Digest, for servers (401) and proxies (407).
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `AbstractBasicAuthHandler` …
 * `ProxyDigestAuthHandler`.
 *
 * @module
 */
import { pyRepr } from "../../_util/py_repr.ts";
import { latin1Decode } from "../../_util/latin1.ts";
import { createHash } from "node:crypto";
import type { HTTPMessage } from "../../_util/http_message.ts";
import { pyArgs } from "../../_util/py_args.ts";
import { pySplit } from "../../_util/py_str.ts";
import { HTTPError, URLError } from "../error.ts";
import { urlparse } from "../parse/split.ts";
import {
  parseBasicChallenges,
  parseHttpList,
  parseKeqvList,
} from "./_auth_header.ts";
import { BaseHandler } from "./base_handler.ts";
import type { OpenerDirector } from "./opener.ts";
import { HTTPPasswordMgr } from "./password_mgr.ts";
import type { Request } from "./request.ts";
import type { addinfourl } from "./response.ts";

/** A response passed to `http_response`: only its status is read. */
export interface AuthResponse {
  /** The HTTP status code (`null` for non-HTTP responses). */
  readonly code: number | null;
}

interface PriorAuthManager {
  is_authenticated(authuri: string): boolean | null;
  update_authenticated(uri: string, is_authenticated?: boolean): void;
}

function hasPriorAuth(
  mgr: HTTPPasswordMgr,
): mgr is HTTPPasswordMgr & PriorAuthManager {
  const candidate = mgr as Partial<PriorAuthManager>;
  return typeof candidate.is_authenticated === "function" &&
    typeof candidate.update_authenticated === "function";
}

/** `text` in UTF-8, in base64: Basic credentials, as Python encodes them. */
export function base64Utf8(text: string): string {
  return btoa(latin1Decode(new TextEncoder().encode(text)));
}

/** Closes the error response we are about to replace with a retry. */
async function discard(fp: unknown): Promise<void> {
  const closable = fp as { close?: () => unknown } | null;
  if (closable && typeof closable.close === "function") {
    await closable.close();
  }
}

/**
 * The password manager given to a handler's constructor (Basic calls the
 * parameter `password_mgr`, Digest `passwd`, as Python does), or a new one.
 */
function managerArg(
  fn: string,
  name: string,
  args: readonly unknown[],
): HTTPPasswordMgr {
  const given = pyArgs({
    fn,
    names: [name],
    defaults: { [name]: null as HTTPPasswordMgr | null },
  }, args)[name];
  return given ?? new HTTPPasswordMgr();
}

/** A handler's `add_password`: handed on to its password manager. */
function forwardAddPassword(
  mgr: HTTPPasswordMgr,
  args: readonly unknown[],
): void {
  const add = mgr.add_password as (...args: unknown[]) => void;
  add.call(mgr, ...args);
}

/**
 * Python's error for a challenge scheme the handler cannot answer: the
 * Basic handler shows the scheme's repr, the Digest handler the scheme
 * between plain quotes.
 */
function unsupportedScheme(
  handler: "AbstractBasicAuthHandler" | "AbstractDigestAuthHandler",
  scheme: string,
): RangeError {
  const shown = handler === "AbstractBasicAuthHandler"
    ? pyRepr(scheme)
    : `'${scheme}'`;
  return new RangeError(
    `${handler} does not support the following scheme: ${shown}`,
  );
}

/**
 * Shared logic of {@linkcode HTTPBasicAuthHandler} and
 * {@linkcode ProxyBasicAuthHandler}: answers a `Basic` challenge with the
 * password manager's credentials, once. With an
 * `HTTPPasswordMgrWithPriorAuth` it sends credentials up front to URIs that
 * accepted them before.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { AbstractBasicAuthHandler, HTTPPasswordMgr } from "@pyport/web/urllib/request";
 * const handler = new AbstractBasicAuthHandler();
 * ok(handler.passwd instanceof HTTPPasswordMgr);
 * ```
 */
export class AbstractBasicAuthHandler extends BaseHandler {
  /** The request header the credentials go in. */
  auth_header = "Authorization";
  /** The password manager consulted for credentials. */
  passwd: HTTPPasswordMgr;

  /** `new AbstractBasicAuthHandler(password_mgr?)`; the default is a new `HTTPPasswordMgr`. */
  constructor(password_mgr?: HTTPPasswordMgr | null);
  /** Keyword form. */
  constructor(options: { password_mgr?: HTTPPasswordMgr | null });
  constructor(...args: unknown[]) {
    super();
    this.passwd = managerArg(new.target.name, "password_mgr", args);
  }

  /** Forwards to the password manager's `add_password`. */
  add_password(
    realm: string | null,
    uri: string | readonly string[],
    user: string,
    passwd: string,
    ...rest: unknown[]
  ): void {
    forwardAddPassword(this.passwd, [realm, uri, user, passwd, ...rest]);
  }

  /**
   * Reads the `authreq` headers (`www-authenticate` or
   * `proxy-authenticate`) and retries `req` with the credentials for the
   * first `Basic` challenge that names a realm. Resolves to `null` when
   * there is nothing to retry with.
   *
   * @throws {RangeError} When the only challenges use another scheme.
   */
  async http_error_auth_reqed(
    authreq: string,
    host: string,
    req: Request,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    const values = headers.get_all(authreq);
    if (!values || values.length === 0) return null;
    let unsupported: string | null = null;
    for (const value of values) {
      for (const { scheme, realm } of parseBasicChallenges(value)) {
        if (scheme.toLowerCase() !== "basic") {
          unsupported = scheme;
          continue;
        }
        // The first Basic challenge with a realm wins; later ones are ignored.
        if (realm !== null) {
          return await this.retry_http_basic_auth(host, req, realm);
        }
      }
    }
    if (unsupported !== null) {
      throw unsupportedScheme("AbstractBasicAuthHandler", unsupported);
    }
    return null;
  }

  /**
   * Retries `req` with Basic credentials for `realm` at `host`, unless the
   * request already carried exactly those (they were refused) or none are
   * known; then resolves to `null`.
   */
  async retry_http_basic_auth(
    host: string,
    req: Request,
    realm: string,
  ): Promise<addinfourl | null> {
    const [user, pw] = this.passwd.find_user_password(realm, host);
    if (pw === null) return null;
    const auth = `Basic ${base64Utf8(`${user}:${pw}`)}`;
    if (req.get_header(this.auth_header, null) === auth) return null;
    req.add_unredirected_header(this.auth_header, auth);
    return await reopenWithAuth(this.parent, req);
  }

  /**
   * With a prior-auth password manager, adds credentials to requests for
   * URIs known to accept them.
   */
  http_request(req: Request): Request {
    if (
      !hasPriorAuth(this.passwd) || !this.passwd.is_authenticated(req.full_url)
    ) {
      return req;
    }
    if (!req.has_header(this.auth_header)) {
      const [user, passwd] = this.passwd.find_user_password(null, req.full_url);
      // No password for it: nothing to send (Python sends "None:None").
      if (user === null) return req;
      const auth = `Basic ${base64Utf8(`${user}:${passwd}`)}`;
      req.add_unredirected_header(this.auth_header, auth);
    }
    return req;
  }

  /**
   * With a prior-auth password manager, records whether the credentials
   * were accepted (a 2xx status) for the request's URL.
   */
  http_response<R extends AuthResponse>(req: Request, response: R): R {
    if (hasPriorAuth(this.passwd)) {
      const code = response.code ?? 0;
      this.passwd.update_authenticated(req.full_url, code >= 200 && code < 300);
    }
    return response;
  }

  /**
   * This class's {@linkcode http_request}, which Python binds under this
   * name too: a subclass that overrides `http_request` alone leaves
   * `https:` requests as they were.
   */
  https_request(req: Request): Request {
    return AbstractBasicAuthHandler.prototype.http_request.call(this, req);
  }

  /** This class's {@linkcode http_response}, as `https_request` is. */
  https_response<R extends AuthResponse>(req: Request, response: R): R {
    return AbstractBasicAuthHandler.prototype.http_response.call(
      this,
      req,
      response,
    ) as R;
  }
}

/**
 * Answers a server's `401` with Basic credentials from its password manager.
 * A second `401` for the same credentials is not retried: it ends in
 * `HTTPError`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { build_opener, HTTPBasicAuthHandler } from "@pyport/web/urllib/request";
 * const handler = new HTTPBasicAuthHandler();
 * handler.add_password("Admin area", "http://127.0.0.1/", "alice", "s3cret");
 * const opener = build_opener(handler);
 * equal(handler.parent, opener);
 * ```
 */
export class HTTPBasicAuthHandler extends AbstractBasicAuthHandler {
  /** Retries with credentials for the `WWW-Authenticate` challenge. */
  async http_error_401(
    req: Request,
    fp: unknown,
    _code: number,
    _msg: string,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    const retried = this.http_error_auth_reqed(
      "www-authenticate",
      req.full_url,
      req,
      headers,
    );
    return await closeWhenRetried(fp, retried);
  }
}

/**
 * Answers a proxy's `407` with Basic credentials for the proxy
 * (`Proxy-authorization`), looked up by the proxy's `host:port`.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ProxyBasicAuthHandler } from "@pyport/web/urllib/request";
 * const handler = new ProxyBasicAuthHandler();
 * handler.add_password(null, "proxy.local:3128", "me", "pw");
 * equal(handler.auth_header, "Proxy-authorization");
 * ```
 */
export class ProxyBasicAuthHandler extends AbstractBasicAuthHandler {
  /** The request header the proxy credentials go in. */
  override auth_header = "Proxy-authorization";

  /** Retries with credentials for the `Proxy-Authenticate` challenge. */
  async http_error_407(
    req: Request,
    fp: unknown,
    _code: number,
    _msg: string,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    // The proxy is addressed by req.host once ProxyHandler has set it (a
    // request without a host never reaches a proxy).
    const retried = this.http_error_auth_reqed(
      "proxy-authenticate",
      req.host ?? "",
      req,
      headers,
    );
    return await closeWhenRetried(fp, retried);
  }
}

/**
 * Most retries with credentials one request may nest: each answer may be
 * another challenge, and a server that keeps changing its challenge
 * (Basic, then Digest, then Basic; or realm A, then B) would otherwise be
 * answered for ever, each round holding its 401 open. CPython stops at its
 * recursion limit (a `RecursionError` after about 140 requests); here the
 * last 401 is reported as the `HTTPError`.
 */
const MAX_AUTH_RETRIES = 20;

/** Retries with credentials now in progress, per request. */
const authRetries = new WeakMap<Request, number>();

/**
 * Opens `req` again with the credentials just added, unless
 * {@linkcode MAX_AUTH_RETRIES} retries of it are in progress already
 * (then resolves to `null`: no retry).
 */
async function reopenWithAuth(
  parent: OpenerDirector,
  req: Request,
): Promise<addinfourl | null> {
  const depth = authRetries.get(req) ?? 0;
  if (depth >= MAX_AUTH_RETRIES) return null;
  authRetries.set(req, depth + 1);
  try {
    return await parent.open(req, { timeout: req.timeout, signal: req.signal });
  } finally {
    if (depth === 0) authRetries.delete(req);
    else authRetries.set(req, depth);
  }
}

/**
 * Awaits a retry; when one was made, the first error response is no longer
 * needed and is closed so its connection is released. When none was made,
 * the default error handler still needs it to build the `HTTPError`.
 */
async function closeWhenRetried(
  fp: unknown,
  retried: Promise<addinfourl | null>,
): Promise<addinfourl | null> {
  let result: addinfourl | null;
  try {
    result = await retried;
  } catch (error) {
    await discard(fp);
    throw error;
  }
  if (result !== null && result !== undefined) await discard(fp);
  return result ?? null;
}

/** A digest hash: text (UTF-8) in, lowercase hex out. */
export type DigestHash = (text: string) => string;

function hasher(name: string): DigestHash {
  return (text) => createHash(name).update(text, "utf8").digest("hex");
}

const DIGEST_ALGORITHMS: Readonly<Record<string, DigestHash>> = {
  "MD5": hasher("md5"),
  "SHA": hasher("sha1"),
  "SHA-256": hasher("sha256"),
};

/**
 * Shared logic of {@linkcode HTTPDigestAuthHandler} and
 * {@linkcode ProxyDigestAuthHandler} (RFC 2617 / RFC 7616): computes the
 * `Digest` answer to a challenge with `MD5`, `SHA` or `SHA-256`, with or
 * without `qop=auth`, counting nonces, and gives up after Python's limit of
 * retries with `HTTPError` 401 "digest auth failed".
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { HTTPDigestAuthHandler } from "@pyport/web/urllib/request";
 * const handler = new HTTPDigestAuthHandler();
 * equal(handler.handler_order, 490);
 * equal(handler.retried, 0);
 * ```
 */
export class AbstractDigestAuthHandler extends BaseHandler {
  /** The request header the answer goes in. */
  auth_header = "Authorization";
  /** The password manager consulted for credentials. */
  passwd: HTTPPasswordMgr;
  /** How many times in a row a challenge was answered. */
  retried = 0;
  /** The `nc` sent with the last answer. */
  nonce_count = 0;
  /** The nonce of the last challenge answered. */
  last_nonce: string | null = null;

  /** `new AbstractDigestAuthHandler(passwd?)`; the default is a new `HTTPPasswordMgr`. */
  constructor(passwd?: HTTPPasswordMgr | null);
  /** Keyword form. */
  constructor(options: { passwd?: HTTPPasswordMgr | null });
  constructor(...args: unknown[]) {
    super();
    this.passwd = managerArg(new.target.name, "passwd", args);
  }

  /** Forwards to the password manager's `add_password`. */
  add_password(
    realm: string | null,
    uri: string | readonly string[],
    user: string,
    passwd: string,
    ...rest: unknown[]
  ): void {
    forwardAddPassword(this.passwd, [realm, uri, user, passwd, ...rest]);
  }

  /** Starts counting retries afresh. */
  reset_retry_count(): void {
    this.retried = 0;
  }

  /**
   * Answers the first `auth_header` challenge if it is `Digest`; resolves
   * to `null` for `Basic` (left to the Basic handler).
   *
   * @throws {HTTPError} 401 "digest auth failed" after more than five
   * retries in a row.
   * @throws {RangeError} For a scheme that is neither Digest nor Basic.
   */
  async http_error_auth_reqed(
    auth_header: string,
    _host: string,
    req: Request,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    const authreq = headers.get(auth_header);
    if (this.retried > 5) {
      // Without a limit a server that keeps refusing would make us retry forever.
      throw new HTTPError(
        req.full_url,
        401,
        "digest auth failed",
        headers,
        null,
      );
    }
    this.retried++;
    if (!authreq) return null;
    const scheme = pySplit(authreq)[0] ?? "";
    if (scheme.toLowerCase() === "digest") {
      return await this.retry_http_digest_auth(req, authreq);
    }
    if (scheme.toLowerCase() !== "basic") {
      throw unsupportedScheme("AbstractDigestAuthHandler", scheme);
    }
    return null;
  }

  /** Retries `req` with the answer to the challenge `auth`. */
  async retry_http_digest_auth(
    req: Request,
    auth: string,
  ): Promise<addinfourl | null> {
    const space = auth.indexOf(" ");
    const challenge = space < 0 ? "" : auth.slice(space + 1);
    const chal = parseKeqvList(
      parseHttpList(challenge).filter((item) => item !== ""),
    );
    const answer = this.get_authorization(req, chal);
    if (!answer) return null;
    const value = `Digest ${answer}`;
    if (req.headers[this.auth_header] === value) return null;
    req.add_unredirected_header(this.auth_header, value);
    return await reopenWithAuth(this.parent, req);
  }

  /** A fresh client nonce: 16 hex digits from a random source. */
  get_cnonce(_nonce: string): string {
    const bytes = crypto.getRandomValues(new Uint8Array(8));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /**
   * The parameters of the `Digest` answer to the challenge `chal`, or
   * `null` when the challenge lacks a realm or nonce or no credentials are
   * known.
   *
   * @throws {RangeError} For an algorithm other than MD5, SHA or SHA-256.
   * @throws {URLError} For a `qop` that does not offer `auth`.
   */
  get_authorization(
    req: Request,
    chal: Readonly<Record<string, string>>,
  ): string | null {
    const realm = chal["realm"];
    const nonce = chal["nonce"];
    if (realm === undefined || nonce === undefined) return null;
    const qop = chal["qop"];
    const algorithm = chal["algorithm"] ?? "MD5";
    const opaque = chal["opaque"];
    const [H, KD] = this.get_algorithm_impls(algorithm);
    // As Python: an override may answer no hash for an algorithm it
    // declines, and then the challenge goes unanswered.
    if (H === null || H === undefined) return null;
    const [user, pw] = this.passwd.find_user_password(realm, req.full_url);
    if (user === null) return null;
    // Called as Python calls it, for a request with a body: an override's
    // digest goes into the answer.
    const entdig = req.data === null
      ? null
      : this.get_entity_digest(req.data, chal as Record<string, string>);
    // An empty selector goes on the wire as "/", so the digest must cover
    // "/" too (Python uses "" here and servers then refuse the answer).
    const uri = req.selector || "/";
    const a1 = `${user}:${realm}:${pw}`;
    const a2 = `${req.get_method()}:${uri}`;
    let response: string;
    let qopPart = "";
    if (qop === undefined) {
      response = KD(H(a1), `${nonce}:${H(a2)}`);
    } else if (qop.split(",").some((q) => q.trim() === "auth")) {
      this.nonce_count = nonce === this.last_nonce ? this.nonce_count + 1 : 1;
      this.last_nonce = nonce;
      const nc = this.nonce_count.toString(16).padStart(8, "0");
      const cnonce = this.get_cnonce(nonce);
      response = KD(H(a1), `${nonce}:${nc}:${cnonce}:auth:${H(a2)}`);
      qopPart = `, qop=auth, nc=${nc}, cnonce="${cnonce}"`;
    } else {
      throw new URLError(`qop '${qop}' is not supported.`);
    }
    let base = `username="${user}", realm="${realm}", nonce="${nonce}", ` +
      `uri="${uri}", response="${response}"`;
    if (opaque) base += `, opaque="${opaque}"`;
    if (entdig) base += `, digest="${entdig}"`;
    base += `, algorithm="${algorithm}"`;
    return base + qopPart;
  }

  /**
   * The hash `H` and keyed digest `KD` for a challenge's `algorithm`
   * (case-insensitive): `MD5`, `SHA` (SHA-1) or `SHA-256`.
   *
   * @throws {RangeError} For any other algorithm.
   */
  get_algorithm_impls(
    algorithm: string,
  ): [H: DigestHash, KD: (secret: string, data: string) => string] {
    const H = DIGEST_ALGORITHMS[algorithm.toUpperCase()];
    if (!H) {
      throw new RangeError(
        `Unsupported digest authentication algorithm ${pyRepr(algorithm)}`,
      );
    }
    return [H, (secret, data) => H(`${secret}:${data}`)];
  }

  /**
   * Entity digests (`auth-int`) are not implemented, as in Python: `null`.
   * `get_authorization` calls it for a request with a body, and a
   * subclass's value goes into the answer as `digest="..."`.
   */
  get_entity_digest(
    _data: unknown,
    _chal: Record<string, string>,
  ): string | null {
    return null;
  }

  /**
   * Runs one challenge round, starting the retry count afresh once it is
   * over, whether it succeeded or failed (Python leaves the count at its
   * limit after a failure, so that handler refuses every later challenge).
   */
  protected async answer(
    authHeader: string,
    host: string,
    req: Request,
    fp: unknown,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    try {
      return await closeWhenRetried(
        fp,
        this.http_error_auth_reqed(authHeader, host, req, headers),
      );
    } finally {
      this.reset_retry_count();
    }
  }
}

/**
 * Answers a server's `401` `Digest` challenge (RFC 2617, RFC 7616). Runs
 * before {@linkcode HTTPBasicAuthHandler} (`handler_order` 490).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { build_opener, HTTPDigestAuthHandler, HTTPPasswordMgrWithDefaultRealm } from "@pyport/web/urllib/request";
 * const mgr = new HTTPPasswordMgrWithDefaultRealm();
 * mgr.add_password(null, "http://127.0.0.1/", "alice", "s3cret");
 * const opener = build_opener(new HTTPDigestAuthHandler(mgr));
 * ok(opener.handlers.some((h) => h instanceof HTTPDigestAuthHandler));
 * ```
 */
export class HTTPDigestAuthHandler extends AbstractDigestAuthHandler {
  /** Before the Basic handler, as in Python. */
  override handler_order = 490;

  /** Answers the `WWW-Authenticate` challenge. */
  async http_error_401(
    req: Request,
    fp: unknown,
    _code: number,
    _msg: string,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    const host = urlparse(req.full_url).netloc;
    return await this.answer("www-authenticate", host, req, fp, headers);
  }
}

/**
 * Answers a proxy's `407` `Digest` challenge (`Proxy-Authorization`).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { ProxyDigestAuthHandler } from "@pyport/web/urllib/request";
 * equal(new ProxyDigestAuthHandler().auth_header, "Proxy-Authorization");
 * ```
 */
export class ProxyDigestAuthHandler extends AbstractDigestAuthHandler {
  /** The request header the proxy answer goes in. */
  override auth_header = "Proxy-Authorization";
  /** Before the Basic handler, as in Python. */
  override handler_order = 490;

  /** Answers the `Proxy-Authenticate` challenge. */
  async http_error_407(
    req: Request,
    fp: unknown,
    _code: number,
    _msg: string,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    const proxy = req.host ?? ""; // set by ProxyHandler, as above
    return await this.answer("proxy-authenticate", proxy, req, fp, headers);
  }
}

/**
 * Splits a comma-separated HTTP list (RFC 2068 section 2), keeping commas
 * inside double-quoted strings, as Python's
 * `urllib.request.parse_http_list`.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { parse_http_list } from "@pyport/web/urllib/request";
 * deepEqual(parse_http_list('a, b="c, d", e'), ["a", 'b="c, d"', "e"]);
 * ```
 */
export function parse_http_list(s: string): string[] {
  return parseHttpList(s);
}

/**
 * Turns `key=value` strings into a record, unquoting double-quoted values,
 * as Python's `urllib.request.parse_keqv_list` (which raises `IndexError`
 * for an empty value, `key=`; here it is `""`).
 *
 * @throws {TypeError} When an item has no `=`.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { parse_keqv_list } from "@pyport/web/urllib/request";
 * deepEqual({ ...parse_keqv_list(['realm="x"', "qop=auth"]) }, { realm: "x", qop: "auth" });
 * ```
 */
export function parse_keqv_list(l: Iterable<string>): Record<string, string> {
  return parseKeqvList(l);
}
