/**
 * Python's `HTTPRedirectHandler`, with one deliberate hardening: credentials
 * are not carried to another origin.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `HTTPRedirectHandler`.
 *
 * @module
 */
import { classAttributes } from "../../_util/class_attributes.ts";
import type { HTTPMessage } from "../../_util/http_message.ts";
import { quote, urljoin, urlparse, urlunparse } from "../parse/mod.ts";
import { HTTPError } from "../error.ts";
import { BaseHandler } from "./base_handler.ts";
import { Request } from "./request.ts";
import type { addinfourl } from "./response.ts";

const PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
const CONTENT_HEADERS = new Set(["content-length", "content-type"]);
const CREDENTIAL_HEADERS = new Set([
  "authorization",
  "cookie",
  "proxy-authorization",
]);

/**
 * The scheme, host and port of `url`; its netloc as written when the port
 * is not a number (the request then fails as Python's does, with
 * `InvalidURL`, when it is opened); `null` when it cannot be split (a
 * broken IPv6 bracket), which no other URL shares: Python still returns
 * the new request, which fails when it is opened.
 */
function origin(url: string): string | null {
  let parts;
  try {
    parts = urlparse(url);
  } catch {
    return null;
  }
  const scheme = parts.scheme.toLowerCase();
  let port: number | null;
  try {
    port = parts.port;
  } catch {
    return `${scheme}://${parts.netloc}`;
  }
  port ??= scheme === "https" ? 443 : scheme === "http" ? 80 : null;
  return `${scheme}://${(parts.hostname ?? "").toLowerCase()}:${port}`;
}

/**
 * Python's `urllib.request.HTTPRedirectHandler` (3.13 rules): follows 301,
 * 302, 303, 307 and 308 for GET and HEAD; 301/302/303 turn a POST into a
 * GET without body or content headers; a POST answered with 307/308 is
 * an `HTTPError`; at most `max_redirections` (10) hops and
 * `max_repeats` (4) visits of one URL; only `http`, `https` and `ftp`
 * targets.
 *
 * Better than Python: on a redirect to another origin (scheme, host or
 * port), the `Authorization`, `Cookie` and `Proxy-Authorization` headers
 * are dropped instead of being sent to the new host.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPRedirectHandler, Request } from "@pyport/web/urllib/request";
 * const h = new HTTPRedirectHandler();
 * const post = new Request("http://a.test/form", { data: new Uint8Array(1), headers: { Authorization: "x" } });
 * const next = h.redirect_request(post, null, 303, "See Other", null, "http://b.test/done");
 * assert(next?.get_method() === "GET" && next.data === null);
 * assert(!next?.has_header("Authorization"));
 * ```
 */
export class HTTPRedirectHandler extends BaseHandler {
  /** How often one URL may be visited in one redirect chain. */
  declare max_repeats: number;
  /** How many redirects one request may follow. */
  declare max_redirections: number;
  /** The message prefix of the loop error, as Python's. */
  declare inf_msg: string;

  /**
   * Python's `HTTPRedirectHandler.max_redirections = n`: the limit every
   * handler of this class (and of subclasses that set none) follows.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { HTTPRedirectHandler } from "@pyport/web/urllib/request";
   * class Short extends HTTPRedirectHandler {}
   * Short.max_redirections = 2;
   * equal(new Short().max_redirections, 2);
   * equal(new HTTPRedirectHandler().max_redirections, 10);
   * ```
   */
  declare static max_redirections: number;
  /** `max_repeats` for the class and its subclasses (a Python class attribute). */
  declare static max_repeats: number;
  /** `inf_msg` for the class and its subclasses (a Python class attribute). */
  declare static inf_msg: string;

  static {
    classAttributes<HTTPRedirectHandler>(this, {
      max_repeats: 4,
      max_redirections: 10,
      inf_msg:
        "The HTTP server returned a redirect error that would lead to an infinite loop.\nThe last 30x error message was:\n",
    });
  }

  /**
   * Python's `redirect_request`: the `Request` to follow, `null` to let
   * another handler decide, or a thrown `HTTPError` to refuse.
   */
  redirect_request(
    req: Request,
    fp: addinfourl | null,
    code: number,
    msg: string,
    headers: HTTPMessage | null,
    newurl: string,
  ): Request | null {
    const m = req.get_method();
    const allowed = ([301, 302, 303, 307, 308].includes(code) &&
      (m === "GET" || m === "HEAD")) ||
      ([301, 302, 303].includes(code) && m === "POST");
    if (!allowed) {
      // As in HTTPDefaultErrorHandler: `null` only when passed by hand.
      throw new HTTPError(req.full_url, code, msg, headers, fp);
    }
    const target = newurl.replaceAll(" ", "%20");
    const to = origin(target);
    const crossOrigin = to === null || to !== origin(req.full_url);
    const newheaders: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) {
      const lower = k.toLowerCase();
      if (CONTENT_HEADERS.has(lower)) continue;
      if (crossOrigin && CREDENTIAL_HEADERS.has(lower)) continue;
      newheaders[k] = v;
    }
    return new Request(target, {
      method: m === "HEAD" ? "HEAD" : "GET",
      headers: newheaders,
      origin_req_host: req.origin_req_host,
      unverifiable: true,
    });
  }

  /** Follows a 302 (and, through the aliases below, 301/303/307/308). Async. */
  async http_error_302(
    req: Request,
    fp: addinfourl,
    code: number,
    msg: string,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    const location = headers.get("location") ?? headers.get("uri");
    if (location === null) return null;
    const parts = urlparse(location);
    if (!["http", "https", "ftp", ""].includes(parts.scheme)) {
      throw new HTTPError(
        location,
        code,
        `${msg} - Redirection to url '${location}' is not allowed`,
        headers,
        fp,
      );
    }
    let fixed = location;
    if (!parts.path && parts.netloc) {
      fixed = urlunparse([
        parts.scheme,
        parts.netloc,
        "/",
        parts.params,
        parts.query,
        parts.fragment,
      ]);
    } else {
      fixed = urlunparse(parts);
    }
    fixed = quote(fixed, { encoding: "iso-8859-1", safe: PUNCTUATION });
    const newurl = urljoin(req.full_url, fixed);
    const next = this.redirect_request(req, fp, code, msg, headers, newurl);
    if (next === null) return null;
    let visited = req.redirect_dict;
    if (visited) {
      next.redirect_dict = visited;
      if (
        (visited.get(newurl) ?? 0) >= this.max_repeats ||
        visited.size >= this.max_redirections
      ) {
        throw new HTTPError(
          req.full_url,
          code,
          this.inf_msg + msg,
          headers,
          fp,
        );
      }
    } else {
      visited = new Map();
      next.redirect_dict = req.redirect_dict = visited;
    }
    visited.set(newurl, (visited.get(newurl) ?? 0) + 1);
    await discardBody(fp);
    return await this.parent.open(next, {
      timeout: req.timeout,
      signal: req.signal,
    });
  }

  // Python binds http_error_301, 303, 307 and 308 to its http_error_302
  // itself: a subclass that overrides http_error_302 alone changes how
  // 302s are followed and no others. Each calls this class's, not this's.
  /** Follows a 301. */
  http_error_301(
    req: Request,
    fp: addinfourl,
    code: number,
    msg: string,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    return follow(this, req, fp, code, msg, headers);
  }

  /** Follows a 303. */
  http_error_303(
    req: Request,
    fp: addinfourl,
    code: number,
    msg: string,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    return follow(this, req, fp, code, msg, headers);
  }

  /** Follows a 307. */
  http_error_307(
    req: Request,
    fp: addinfourl,
    code: number,
    msg: string,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    return follow(this, req, fp, code, msg, headers);
  }

  /** Follows a 308. */
  http_error_308(
    req: Request,
    fp: addinfourl,
    code: number,
    msg: string,
    headers: HTTPMessage,
  ): Promise<addinfourl | null> {
    return follow(this, req, fp, code, msg, headers);
  }
}

/** `HTTPRedirectHandler`'s own `http_error_302`, on `handler`. */
function follow(
  handler: HTTPRedirectHandler,
  ...args: Parameters<HTTPRedirectHandler["http_error_302"]>
): Promise<addinfourl | null> {
  return HTTPRedirectHandler.prototype.http_error_302.apply(handler, args);
}

/** The most of a redirect's body read before following it. */
const MAX_DISCARD = 1 << 20;

/**
 * Reads the redirect's body away and closes it, as Python does before
 * following, through one reused buffer and at most 1 MiB: a redirect page
 * is small, and a server sending one without end must not hold us.
 */
async function discardBody(fp: addinfourl): Promise<void> {
  const scratch = new Uint8Array(65536);
  try {
    let read = 0;
    while (read < MAX_DISCARD) {
      const n = await fp.readinto(scratch);
      if (n === 0) break;
      read += n;
    }
  } finally {
    fp.close();
  }
}
