/**
 * Where a request body ends, from its headers (RFC 9112 section 6), with
 * every ambiguity an attacker could use to smuggle a second request
 * refused: Content-Length together with Transfer-Encoding, differing or
 * malformed Content-Lengths, a Transfer-Encoding whose last coding is not
 * `chunked`. Python's `http.server` does not look at either header. Pure.
 *
 * @module
 */
import { pyRepr } from "../_util/py_repr.ts";
import { pyStrip } from "../_util/py_str.ts";
import { OWS } from "../_util/http_token.ts";

/** How the body of a request is delimited. */
export type BodyFraming =
  /** No body: nothing follows the head. */
  | { readonly kind: "none" }
  /** `length` bytes follow the head. */
  | { readonly kind: "length"; readonly length: number }
  /** A chunked body follows the head. */
  | { readonly kind: "chunked" }
  /** The framing is ambiguous or malformed: answer 400 and close. */
  | { readonly kind: "invalid"; readonly message: string };

const NONE: BodyFraming = { kind: "none" };
const CHUNKED: BodyFraming = { kind: "chunked" };
const DECIMAL = /^[0-9]+$/;

/** The framing headers found while the head was read. */
export interface FramingHeaders {
  /** Every `Content-Length` value, in order. */
  readonly contentLength: readonly string[];
  /** Every `Transfer-Encoding` value, in order. */
  readonly transferEncoding: readonly string[];
}

function invalid(message: string): BodyFraming {
  return { kind: "invalid", message: `Bad request: ${message}` };
}

/** The framing the headers declare. */
export function requestFraming(found: FramingHeaders): BodyFraming {
  const { contentLength, transferEncoding } = found;
  if (transferEncoding.length > 0) {
    if (contentLength.length > 0) {
      return invalid("both Content-Length and Transfer-Encoding");
    }
    const codings = transferEncoding.join(",").split(",")
      .map((coding) => pyStrip(coding, OWS).toLowerCase())
      .filter((coding) => coding !== "");
    const chunked = codings.filter((coding) => coding === "chunked").length;
    if (codings[codings.length - 1] !== "chunked" || chunked !== 1) {
      return invalid("Transfer-Encoding must end with one chunked");
    }
    return CHUNKED;
  }
  if (contentLength.length === 0) return NONE;
  let length = -1;
  for (const raw of contentLength) {
    const text = pyStrip(raw, OWS);
    const value = Number(text);
    if (!DECIMAL.test(text) || !Number.isSafeInteger(value)) {
      return invalid(`invalid Content-Length (${pyRepr(raw)})`);
    }
    if (length !== -1 && value !== length) {
      return invalid("differing Content-Length values");
    }
    length = value;
  }
  return length === 0 ? NONE : { kind: "length", length };
}
