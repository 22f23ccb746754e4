/**
 * Importing an entry point evaluates none of the npm packages behind
 * optional features (legacy codecs, cookies, MIME types, uploads): they are
 * `import defer`red, as Python's `urllib.request` imports `http.cookiejar`
 * only when a cookie processor is made, so that a script importing
 * `urlparse` pays neither their memory nor their start-up time. Each
 * program lists the npm packages whose CommonJS modules it evaluated
 * (`require.cache`; an ES module package, such as tough-cookie, shows by
 * its CommonJS dependencies); using a feature shows its package there,
 * which proves the listing sees them.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { runScript } from "./_deno_script.ts";

const ROOT = new URL("../", import.meta.url);

/** The npm packages the program evaluated, after running `body`. */
async function evaluatedPackages(
  entry: string,
  body = "",
): Promise<string[]> {
  const source = `
import * as entry from ${JSON.stringify(new URL(entry, ROOT).href)};
import { createRequire } from "node:module";
${body}
const names = new Set<string>();
for (const path of Object.keys(createRequire(import.meta.url).cache)) {
  const at = path.lastIndexOf("/node_modules/") >= 0
    ? path.lastIndexOf("/node_modules/") + 14
    : path.indexOf("registry.npmjs.org/") + 19;
  const parts = path.slice(at).split("/");
  names.add(parts[0]!.startsWith("@") ? parts[0] + "/" + parts[1] : parts[0]!);
}
void entry;
console.log(JSON.stringify([...names].sort()));
`;
  const out = await runScript(source, ["--allow-all"]);
  equal(out.code, 0, out.stderr);
  return JSON.parse(out.stdout) as string[];
}

const ENTRIES = [
  "mod.ts",
  "urllib/parse/mod.ts",
  "urllib/request/mod.ts",
  "urllib/error.ts",
  "urllib/robotparser/mod.ts",
  "socketserver/mod.ts",
  "http_server/mod.ts",
  "http_server/serve.ts",
];

for (const entry of ENTRIES) {
  Deno.test(`importing ${entry} evaluates no npm package`, async () => {
    deepEqual(await evaluatedPackages(entry), []);
  });
}

Deno.test("a legacy codec evaluates iconv-lite when first used", async () => {
  const packages = await evaluatedPackages(
    "urllib/parse/mod.ts",
    'if (entry.quote("\\u20ac", "", "cp1252") !== "%80") throw new Error("cp1252");',
  );
  ok(packages.includes("iconv-lite"), String(packages));
});

Deno.test("the first cookie jar evaluates tough-cookie", async () => {
  const packages = await evaluatedPackages(
    "urllib/request/mod.ts",
    "new entry.CookieJar();",
  );
  // tough-cookie is an ES module; its CommonJS dependency shows it ran.
  ok(packages.includes("tldts"), String(packages));
});

Deno.test("the first MIME type looked up evaluates mime-db", async () => {
  const types = JSON.stringify(new URL("_util/mime_types.ts", ROOT).href);
  const packages = await evaluatedPackages(
    "http_server/mod.ts",
    `const { guessFileType } = await import(${types});
if (guessFileType("app.webmanifest") === undefined) throw new Error("type");`,
  );
  ok(packages.includes("mime-db"), String(packages));
});
