/**
 * Python's `DataHandler` for RFC 2397 `data:` URLs.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `DataHandler`.
 *
 * @module
 */
import { pyRepr } from "../../_util/py_repr.ts";
import { HTTPMessage } from "../../_util/http_message.ts";
import { unquote_to_bytes } from "../parse/mod.ts";
import { BaseHandler } from "./base_handler.ts";
import type { Request } from "./request.ts";
import { addinfourl } from "./response.ts";

const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Decodes base64 as Python's lenient `base64.decodebytes`: other bytes are skipped. */
function decodeBase64(data: Uint8Array): Uint8Array {
  let text = "";
  for (const byte of data) {
    const ch = String.fromCharCode(byte);
    if (ch === "=") {
      text += ch;
    } else if (B64.includes(ch) && !text.includes("=")) {
      text += ch;
    }
  }
  const body = text.replace(/=+$/, "");
  if (body.length % 4 === 1) {
    throw new TypeError(
      `Invalid base64-encoded string: number of data characters (${body.length}) cannot be 1 more than a multiple of 4`,
    );
  }
  if ((body.length + (text.length - body.length)) % 4 !== 0) {
    throw new TypeError("Incorrect padding");
  }
  const bin = atob(body + "=".repeat((4 - (body.length % 4)) % 4));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/**
 * Python's `urllib.request.DataHandler`: opens `data:` URLs, percent or
 * base64 encoded, with `Content-type` (default
 * `text/plain;charset=US-ASCII`) and `Content-length` headers.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { urlopen } from "@pyport/web/urllib/request";
 * const resp = await urlopen("data:text/plain;base64,SGk=");
 * assert(resp.headers?.get("content-type") === "text/plain");
 * assert(new TextDecoder().decode(await resp.read()) === "Hi");
 * ```
 */
export class DataHandler extends BaseHandler {
  /** Decodes the URL into a response. */
  data_open(req: Request): addinfourl {
    const url = req.full_url;
    const colon = url.indexOf(":");
    const rest = url.slice(colon + 1);
    const comma = rest.indexOf(",");
    if (comma < 0) {
      throw new TypeError(
        `data URL has no comma separating the media type: ${pyRepr(url)}`,
      );
    }
    let mediatype = rest.slice(0, comma);
    let data = unquote_to_bytes(rest.slice(comma + 1));
    if (mediatype.endsWith(";base64")) {
      data = decodeBase64(data);
      mediatype = mediatype.slice(0, -7);
    }
    if (!mediatype) mediatype = "text/plain;charset=US-ASCII";
    const headers = new HTTPMessage([
      ["Content-type", mediatype],
      ["Content-length", String(data.length)],
    ]);
    return new addinfourl(data, headers, url);
  }
}
