/**
 * May this user agent fetch these URLs? Reads a site's `robots.txt` with
 * `RobotFileParser` and answers for each URL, as a polite crawler asks
 * before every request.
 *
 * Run it from a checkout:
 *
 * ```sh
 * deno run --allow-net examples/robots_check.ts SITE [URL_OR_PATH ...] [--agent NAME]
 * deno run --allow-net examples/robots_check.ts https://www.python.org /about/ /search/ --agent MyBot/1.0
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net jsr:@pyport/web/examples/robots_check https://www.python.org /about/
 * ```
 *
 * `SITE` is the site's address (its `/robots.txt` is read) or the full URL
 * of a robots file. Paths are taken relative to the site. The agent
 * defaults to `*` (any crawler). Prints one line per URL, then the
 * `Crawl-delay`, `Request-rate` and `Sitemap` lines that apply. The exit
 * status is 0 when every URL may be fetched, 1 when some may not, 2 for a
 * bad command line and 3 when robots.txt could not be read.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { urljoin, urlparse } from "@pyport/web/urllib/parse";
import { RobotFileParser } from "@pyport/web/urllib/robotparser";
import { fetchFailure } from "./_fetch_failure.ts";

const USAGE = "usage: robots_check.ts SITE [URL_OR_PATH ...] [--agent NAME]";

function robotsUrl(site: string): string {
  // A bare site ("https://example.com") means its robots.txt at the root.
  return urlparse(site).path.endsWith("robots.txt")
    ? site
    : urljoin(site, "/robots.txt");
}

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: { agent: { type: "string", short: "a", default: "*" } },
    });
  } catch (error) {
    console.error(`${USAGE}\n${(error as Error).message}`);
    return 2;
  }
  const [site, ...targets] = parsed.positionals;
  if (!site || !urlparse(site).netloc) {
    console.error(
      `${USAGE}\nSITE must be an http(s) address, e.g. https://www.python.org`,
    );
    return 2;
  }
  const agent = parsed.values.agent;
  const rp = new RobotFileParser(robotsUrl(site));
  try {
    await rp.read();
  } catch (error) {
    const failure = fetchFailure(error);
    if (failure === null) throw error;
    console.error(`cannot read ${rp.url}: ${failure}`);
    return 3;
  }
  // read() answers 401/403 with "nothing allowed" and other 4xx (such as a
  // missing file) with "everything allowed", as Python's does.
  console.log(`robots.txt: ${rp.url}`);
  if (rp.disallow_all) {
    console.log("(access to robots.txt denied: every URL is off limits)");
  }
  if (rp.allow_all) console.log("(no robots.txt: every URL is allowed)");
  console.log(`user agent: ${agent}`);

  let refused = 0;
  for (const target of targets.length > 0 ? targets : ["/"]) {
    const url = urljoin(rp.url, target);
    const ok = rp.can_fetch(agent, url);
    if (!ok) refused++;
    console.log(`${ok ? "allowed   " : "disallowed"} ${url}`);
  }
  const delay = rp.crawl_delay(agent);
  if (delay !== null) console.log(`crawl delay: ${delay} s`);
  const rate = rp.request_rate(agent);
  if (rate !== null) {
    console.log(`request rate: ${rate.requests} per ${rate.seconds} s`);
  }
  for (const sitemap of rp.site_maps() ?? []) {
    console.log(`sitemap: ${sitemap}`);
  }
  return refused > 0 ? 1 : 0;
}

// Run as a program, not when imported.
if (import.meta.main) Deno.exit(await main(Deno.args));
