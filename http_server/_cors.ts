/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol) for a
 * public file server: every origin may read every response, without
 * credentials.
 *
 * `Access-Control-Allow-Origin: *` is the same for every request, so no
 * `Vary: Origin` is needed; a preflight answer echoes the request headers
 * the page asked for, so it varies by `Access-Control-Request-Headers`.
 *
 * @module
 */

import { isToken } from "../_util/http_token.ts";

/** How long a browser may keep a preflight answer (Chromium caps it at 2 h). */
const PREFLIGHT_MAX_AGE = "7200";

/**
 * The headers that open every response to every origin, its headers
 * (`ETag`, `Content-Range`, …) included.
 */
export const CORS_HEADERS: readonly (readonly [string, string])[] = [
  ["Access-Control-Allow-Origin", "*"],
  ["Access-Control-Expose-Headers", "*"],
];

/** What a preflight `OPTIONS` request asks for. */
export interface PreflightRequest {
  /** `Access-Control-Request-Method`, or `null` for a plain `OPTIONS`. */
  readonly method: string | null;
  /** `Access-Control-Request-Headers`, or `null`. */
  readonly headers: string | null;
}

/**
 * The headers answering an `OPTIONS` request when the server offers
 * `methods`: the CORS preflight headers when it is one (the requested
 * headers allowed back, if they are all header names), else just `Allow`.
 */
export function optionsHeaders(
  request: PreflightRequest,
  methods: readonly string[],
): [string, string][] {
  const allowed = methods.join(", ");
  const out: [string, string][] = [["Allow", allowed]];
  if (request.method === null) return out;
  out.push(["Access-Control-Allow-Methods", allowed]);
  const asked = (request.headers ?? "").split(",").map((h) => h.trim())
    .filter((h) => h !== "");
  if (asked.length > 0 && asked.every(isToken)) {
    out.push(["Access-Control-Allow-Headers", asked.join(", ")]);
  }
  out.push(["Access-Control-Max-Age", PREFLIGHT_MAX_AGE]);
  out.push(["Vary", "Access-Control-Request-Headers"]);
  return out;
}
