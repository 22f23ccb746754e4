/**
 * A URL typed without its scheme (`www.python.org`) is a bad command line:
 * the fetching examples say so in two lines (usage, then why) and exit 2,
 * as robots_check.ts does for its SITE, instead of dying with a stack trace.
 */
import { equal, ok } from "node:assert/strict";
import { runExample } from "./_run.ts";

for (
  const [name, usage] of [
    ["download.ts", "usage: download.ts URL [FILE]"],
    ["scrape_links.ts", "usage: scrape_links.ts [URL]"],
    ["proxy.ts", "usage: proxy.ts URL [PROXY_URL]"],
  ] as const
) {
  Deno.test(`${name}: a URL without a scheme is a usage error, not a stack trace`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      // download.ts would write its file here, were the URL fetched.
      const result = await runExample(name, ["www.python.org"], { cwd: dir });
      equal(result.code, 2, result.stderr);
      ok(result.stderr.startsWith(`${usage}\n`), result.stderr);
      ok(
        result.stderr.includes("unknown url type: 'www.python.org'"),
        result.stderr,
      );
      ok(!result.stderr.includes("    at "), result.stderr);
      equal(result.stderr.trimEnd().split("\n").length, 2, result.stderr);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}
