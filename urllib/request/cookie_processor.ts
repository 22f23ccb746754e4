/**
 * Python's `urllib.request.HTTPCookieProcessor`.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `HTTPCookieProcessor`.
 *
 * @module
 */
import { pyArgs } from "../../_util/py_args.ts";
import { BaseHandler } from "./base_handler.ts";
import {
  CookieJar,
  type CookieRequest,
  type CookieResponse,
} from "./cookiejar.ts";

/**
 * Sends the cookies of its {@linkcode CookieJar} with every http and https
 * request and stores the cookies every response sets, so a session lasts
 * across requests (and redirects) made through one opener.
 *
 * @example Keep one jar for a whole session
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { build_opener, CookieJar, HTTPCookieProcessor } from "@pyport/web/urllib/request";
 * const jar = new CookieJar();
 * const processor = new HTTPCookieProcessor(jar);
 * build_opener(processor);
 * ok(processor.cookiejar === jar);
 * ```
 */
export class HTTPCookieProcessor extends BaseHandler {
  /** The jar cookies are read from and stored in. */
  cookiejar: CookieJar;

  /** `new HTTPCookieProcessor(cookiejar?)`; the default is a new, empty jar. */
  constructor(cookiejar?: CookieJar | null);
  /** Keyword form. */
  constructor(options: { cookiejar?: CookieJar | null });
  constructor(...args: unknown[]) {
    super();
    const { cookiejar } = pyArgs({
      fn: "HTTPCookieProcessor",
      names: ["cookiejar"],
      defaults: { cookiejar: null as CookieJar | null },
    }, args);
    this.cookiejar = cookiejar ?? new CookieJar();
  }

  /** Adds the jar's matching cookies to `request` (unless it has a `Cookie` header). */
  http_request<R extends CookieRequest>(request: R): R {
    this.cookiejar.add_cookie_header(request);
    return request;
  }

  /** Stores the cookies `response` sets. */
  http_response<S extends CookieResponse>(
    request: CookieRequest,
    response: S,
  ): S {
    this.cookiejar.extract_cookies(response, request);
    return response;
  }

  /**
   * This class's {@linkcode http_request}, which Python binds under this
   * name too: a subclass that overrides `http_request` alone leaves
   * `https:` requests as they were.
   */
  https_request<R extends CookieRequest>(request: R): R {
    return HTTPCookieProcessor.prototype.http_request.call(this, request) as R;
  }

  /** This class's {@linkcode http_response}, as `https_request` is. */
  https_response<S extends CookieResponse>(
    request: CookieRequest,
    response: S,
  ): S {
    return HTTPCookieProcessor.prototype.http_response.call(
      this,
      request,
      response,
    ) as S;
  }
}
