/**
 * A stand-in for the response a cookie jar reads: `info()` gives headers
 * holding one `Set-Cookie` per argument, as `extract_cookies` and
 * `make_cookies` take them from a real response.
 */
import { HTTPMessage } from "../../../_util/http_message.ts";

/** A response whose headers are these `Set-Cookie` values, in order. */
export function response(...setCookies: string[]): { info(): HTTPMessage } {
  const headers = new HTTPMessage(
    setCookies.map((v) => ["Set-Cookie", v] as const),
  );
  return { info: () => headers };
}
