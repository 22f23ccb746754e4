/**
 * Proxies the urllib2 way: `ProxyHandler` + `build_opener` +
 * `install_opener`. Fetches one URL twice, once directly and once through
 * a proxy, and says what came back each time.
 *
 * Run it from a checkout:
 *
 * ```sh
 * deno run --allow-net examples/proxy.ts URL [PROXY_URL]
 * deno run --allow-net examples/proxy.ts http://www.python.org/ http://127.0.0.1:8888
 * http_proxy=http://127.0.0.1:8888 deno run --allow-net --allow-env=http_proxy examples/proxy.ts http://www.python.org/
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net jsr:@pyport/web/examples/proxy URL [PROXY_URL]
 * ```
 *
 * Each fetch prints its status, size, the `Via` header a proxy may add
 * and the first line of the page. Without `PROXY_URL` the proxy comes from the environment (`http_proxy`,
 * `https_proxy`, `no_proxy`), as `ProxyHandler()` with no argument reads
 * it, which needs env permission for them (`--allow-env`, or
 * `--allow-env=http_proxy,https_proxy,no_proxy`; without it they are not
 * seen); with neither, only the direct fetch runs. Credentials go in the
 * proxy URL (`http://user:password@proxy:3128`). The exit status is 1
 * when a fetch fails, 2 for a bad command line (no `URL`, or one with no
 * scheme, as in `www.python.org`).
 *
 * @module
 */
import { URLError } from "@pyport/web/urllib/error";
import {
  type addinfourl,
  build_opener,
  getproxies,
  install_opener,
  type OpenerDirector,
  ProxyHandler,
  urlopen,
} from "@pyport/web/urllib/request";
import { badUrl, fetchFailure } from "./_fetch_failure.ts";

/** Hides the password of a proxy URL before printing it. */
function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@/]*@/, "//$1:***@");
}

async function fetchOnce(
  label: string,
  open: () => Promise<addinfourl>,
): Promise<boolean> {
  try {
    await using resp = await open();
    const body = await resp.read();
    console.log(
      `${label}: ${resp.status} ${resp.reason}, ${body.length} bytes`,
    );
    // Proxies often say they were there.
    const via = resp.headers?.get("Via");
    if (via) console.log(`  Via: ${via}`);
    const firstLine = new TextDecoder().decode(body.subarray(0, 200))
      .split("\n")[0]?.trim().slice(0, 72);
    if (firstLine) console.log(`  first line: ${firstLine}`);
    return true;
  } catch (error) {
    if (error instanceof URLError) {
      console.log(`${label}: failed: ${error.message}`);
      return false;
    }
    const failure = fetchFailure(error);
    if (failure === null) throw error;
    console.log(`${label}: failed: ${failure}`);
    return false;
  }
}

async function main(args: string[]): Promise<number> {
  const [url, proxyArg] = args;
  const bad = url ? badUrl(url) : "";
  if (!url || bad !== null) {
    console.error(`usage: proxy.ts URL [PROXY_URL]${bad ? `\n${bad}` : ""}`);
    return 2;
  }
  let ok = true;

  // No proxy: an empty mapping turns proxies off, even those in the
  // environment (Python's ProxyHandler({})).
  const direct: OpenerDirector = build_opener(new ProxyHandler({}));
  ok = await fetchOnce("direct", () => direct.open(url, { timeout: 15 })) && ok;

  // With a proxy: one mapping per URL scheme.
  const proxies = proxyArg ? { http: proxyArg, https: proxyArg } : getproxies();
  const proxied = Object.entries(proxies).filter(([scheme]) => scheme !== "no");
  if (proxied.length === 0) {
    // getproxies() reads only what env permission covers, and never asks.
    const readable =
      Deno.permissions.querySync({ name: "env" }).state === "granted";
    console.log(
      readable
        ? "no proxy given and none in the environment: skipping the proxied fetch"
        : "no proxy given, and none in the environment variables env permission covers (--allow-env): skipping the proxied fetch",
    );
    return ok ? 0 : 1;
  }
  for (const [scheme, proxy] of proxied) {
    console.log(`proxy for ${scheme}: ${redact(proxy)}`);
  }
  // install_opener makes every later urlopen() in the program use it.
  install_opener(build_opener(new ProxyHandler(proxies)));
  ok = await fetchOnce("via proxy", () => urlopen(url, { timeout: 15 })) && ok;
  return ok ? 0 : 1;
}

// Run as a program, not when imported.
if (import.meta.main) Deno.exit(await main(Deno.args));
