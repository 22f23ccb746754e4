/**
 * Python's `HTTPErrorProcessor` and `HTTPDefaultErrorHandler`: turn
 * non-2xx answers into handler calls and, finally, `HTTPError`.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `HTTPErrorProcessor` and
 * `HTTPDefaultErrorHandler`.
 *
 * @module
 */
import type { HTTPMessage } from "../../_util/http_message.ts";
import { HTTPError } from "../error.ts";
import { BaseHandler } from "./base_handler.ts";
import type { Request } from "./request.ts";
import type { addinfourl } from "./response.ts";

/**
 * Python's `urllib.request.HTTPErrorProcessor` (order 1000): passes a
 * non-2xx response to `parent.error("http", ...)`, which runs the
 * `http_error_<code>` handlers.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPErrorProcessor } from "@pyport/web/urllib/request";
 * assert(new HTTPErrorProcessor().handler_order === 1000);
 * ```
 */
export class HTTPErrorProcessor extends BaseHandler {
  /** Runs after the other response processors (Python's 1000). */
  override handler_order = 1000;

  /**
   * Hands a non-2xx response to the error handlers. This class answers
   * with a promise; an override may return the response as it is (the
   * Python recipe that lets every status through), since the opener
   * awaits what its processors return.
   */
  http_response(
    request: Request,
    response: addinfourl,
  ): addinfourl | Promise<addinfourl> {
    return this.#process(request, response);
  }

  async #process(
    request: Request,
    response: addinfourl,
  ): Promise<addinfourl> {
    // Python reads `code`, which a response processor may have changed.
    const code = response.code ?? 0;
    if (!(code >= 200 && code < 300)) {
      return await this.parent.error(
        "http",
        request,
        response,
        code,
        response.msg ?? response.reason ?? "",
        response.info(),
      ) as addinfourl;
    }
    return response;
  }

  /**
   * This class's `http_response` for `https:`, as Python binds it: a
   * subclass that overrides `http_response` alone (to return error
   * responses, say) still has `https:` errors raised, as in Python.
   */
  https_response(
    request: Request,
    response: addinfourl,
  ): addinfourl | Promise<addinfourl> {
    return HTTPErrorProcessor.prototype.http_response.call(
      this,
      request,
      response,
    );
  }
}

/**
 * Python's `urllib.request.HTTPDefaultErrorHandler`: the last resort,
 * throwing {@linkcode HTTPError} (whose body is the response's).
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPDefaultErrorHandler, Request } from "@pyport/web/urllib/request";
 * import { HTTPError } from "@pyport/web/urllib/error";
 * try {
 *   new HTTPDefaultErrorHandler().http_error_default(new Request("http://h/"), null, 500, "Oops", null);
 * } catch (e) {
 *   assert(e instanceof HTTPError && e.code === 500);
 * }
 * ```
 */
export class HTTPDefaultErrorHandler extends BaseHandler {
  /**
   * Throws `HTTPError(req.full_url, code, msg, hdrs, fp)`. An override may
   * answer instead, as Python's may: with a response, or the `HTTPError`
   * itself (it reads as one), which `open` then resolves to; or `null` to
   * leave the error to the next handler.
   */
  http_error_default(
    req: Request,
    fp: addinfourl | null,
    code: number,
    msg: string,
    hdrs: HTTPMessage | null,
  ):
    | addinfourl
    | HTTPError
    | null
    | Promise<addinfourl | HTTPError | null> {
    // The opener always passes the response's headers; a `null` given by
    // hand (Python's None) is kept as given.
    throw new HTTPError(req.full_url, code, msg, hdrs, fp);
  }
}
