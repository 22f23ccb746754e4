/**
 * Python's `UnknownHandler`: the last handler in the open chain.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `UnknownHandler`.
 *
 * @module
 */
import { URLError } from "../error.ts";
import { BaseHandler } from "./base_handler.ts";
import type { Request } from "./request.ts";

/**
 * Python's `urllib.request.UnknownHandler`: refuses any scheme no other
 * handler opened, with `URLError("unknown url type: <scheme>")`. FTP is
 * out of scope for this package, so `ftp:` URLs end here too.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { urlopen } from "@pyport/web/urllib/request";
 * import { URLError } from "@pyport/web/urllib/error";
 * try {
 *   await urlopen("gopher://example.com/");
 * } catch (e) {
 *   assert(e instanceof URLError && e.reason === "unknown url type: gopher");
 * }
 * ```
 */
export class UnknownHandler extends BaseHandler {
  /** Throws `URLError`. */
  unknown_open(req: Request): never {
    throw new URLError(`unknown url type: ${req.type}`);
  }
}
