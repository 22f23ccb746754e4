/**
 * Helpers for the file cache tests: waiting until files are old enough to
 * be cached, and fetching with a deadline.
 *
 * @module
 */
import { SETTLE_MS } from "../../http_server/_file_stamp.ts";

/**
 * Waits until every path's last change is {@linkcode SETTLE_MS} old, so
 * the next request for it fills the cache (a file changed more recently
 * is read from disk every time and would prove nothing).
 */
export async function settle(...paths: string[]): Promise<void> {
  let latest = 0;
  for (const path of paths) {
    latest = Math.max(latest, Deno.statSync(path).ctime?.getTime() ?? 0);
  }
  const wait = latest + SETTLE_MS + 20 - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}

/** A GET (or other method) with a 10 s deadline; resolves with status, headers, text. */
export async function get(
  url: string,
  init: RequestInit = {},
): Promise<{ status: number; headers: Headers; text: string }> {
  const res = await fetch(url, {
    ...init,
    signal: AbortSignal.timeout(10_000),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}
