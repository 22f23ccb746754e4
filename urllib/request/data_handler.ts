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

/** Each byte's 6-bit value in the base64 alphabet, or -1. */
const B64_VALUE: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let i = 0; i < B64.length; i++) table[B64.charCodeAt(i)] = i;
  return table;
})();

/**
 * Decodes base64 as Python's lenient `base64.decodebytes` (binascii's
 * `a2b_base64`) does: bytes outside the alphabet are skipped; an `=` that
 * comes before two characters of a group is ignored, and enough of them to
 * complete a group end the data (what follows is ignored); a group left
 * unfinished at the end is an error.
 */
function decodeBase64(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(Math.floor(data.length / 4) * 3 + 3);
  let length = 0;
  let inGroup = 0; // characters of the current 4-character group read
  let pads = 0;
  let carry = 0;
  let characters = 0;
  for (const byte of data) {
    if (byte === 0x3d) { // "="
      if (inGroup >= 2 && inGroup + ++pads >= 4) {
        return out.slice(0, length);
      }
      continue;
    }
    const value = B64_VALUE[byte]!;
    if (value < 0) continue;
    characters++;
    pads = 0;
    if (inGroup === 0) carry = value;
    else if (inGroup === 1) {
      out[length++] = (carry << 2) | (value >> 4);
      carry = value & 0x0f;
    } else if (inGroup === 2) {
      out[length++] = (carry << 4) | (value >> 2);
      carry = value & 0x03;
    } else out[length++] = (carry << 6) | value;
    inGroup = (inGroup + 1) % 4;
  }
  if (inGroup === 1) {
    throw new TypeError(
      `Invalid base64-encoded string: number of data characters (${characters}) cannot be 1 more than a multiple of 4`,
    );
  }
  if (inGroup !== 0) throw new TypeError("Incorrect padding");
  return out.slice(0, length);
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
      // As Python's email parser reads the header: leading blanks dropped
      // (`data: ,x` keeps its blank type, not the default).
      ["Content-type", mediatype.replace(/^[ \t]+/, "")],
      ["Content-length", String(data.length)],
    ]);
    return new addinfourl(data, headers, url);
  }
}
