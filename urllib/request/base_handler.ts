/**
 * Python's `urllib.request.BaseHandler`, the base of every handler an
 * {@linkcode OpenerDirector} dispatches to.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `BaseHandler`.
 *
 * @module
 */
import { adoptClassFields } from "../../_util/class_attributes.ts";
import type { OpenerDirector } from "./opener.ts";

/**
 * Python's `urllib.request.BaseHandler`.
 *
 * Subclass it and define methods named as in Python; the opener finds them
 * by name when the handler is added:
 * `<scheme>_open(req)`, `<protocol>_request(req)`,
 * `<protocol>_response(req, response)`,
 * `http_error_<code>(req, fp, code, msg, headers)`, `http_error_default(...)`,
 * `default_open(req)`, `unknown_open(req)`. Each may return its result
 * directly or as a Promise; returning `null` or `undefined` passes the
 * request to the next handler, as returning `None` does in Python.
 * Handlers run in ascending `handler_order` (500 by default).
 *
 * @example A handler that answers one scheme
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { addinfourl, BaseHandler, build_opener, Request } from "@pyport/web/urllib/request";
 * class HelloHandler extends BaseHandler {
 *   hello_open(req: Request) {
 *     const body = new TextEncoder().encode(`hi ${req.selector}`);
 *     return new addinfourl(body, null, req.full_url, 200);
 *   }
 * }
 * const resp = await build_opener(HelloHandler).open("hello:world");
 * assert(new TextDecoder().decode(await resp.read()) === "hi world");
 * ```
 */
export class BaseHandler {
  /** Lower runs earlier; Python's default is 500. */
  handler_order = 500;
  /** The opener this handler was added to. */
  parent!: OpenerDirector;

  /**
   * Makes a subclass's static fields for Python's class attributes
   * (`static override max_redirections = 3`) what its instances read.
   */
  constructor() {
    adoptClassFields(new.target);
  }

  /** Called by `OpenerDirector.add_handler`; remembers the opener. */
  add_parent(parent: OpenerDirector): void {
    this.parent = parent;
  }

  /** Releases resources; the default does nothing. */
  close(): void {}
}
