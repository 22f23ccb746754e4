/**
 * examples/custom_handler.ts: the mem: handler answers from its Map, and
 * the processor stamps real HTTP requests sent through the same opener.
 */
import { equal, match, ok } from "node:assert/strict";
import { runExample, serveLocal } from "./_run.ts";

Deno.test("custom_handler.ts opens mem: URLs and reports the missing one", async () => {
  const { code, stdout, stderr } = await runExample("custom_handler.ts");
  equal(code, 0, stderr);
  equal(
    stdout,
    [
      "mem:/hello.txt [text/plain]",
      "Hello from memory!",
      "mem:/data.json [application/json]",
      '{"spam": 1, "eggs": 2}',
      "mem:/missing failed: no such memory file: /missing",
      "",
    ].join("\n"),
  );
});

Deno.test("custom_handler.ts: http: through the same opener carries X-Stamp", async () => {
  await using site = serveLocal((req) =>
    new Response(`stamp=${req.headers.get("x-stamp")}\n`, {
      headers: { "content-type": "text/plain" },
    })
  );
  const { code, stdout, stderr } = await runExample("custom_handler.ts", [
    `${site.url}/page`,
    "mem:/hello.txt",
  ]);
  equal(code, 0, stderr);
  match(
    stdout,
    new RegExp(`^${site.url}/page \\[text/plain\\]\nstamp=custom-handler\n`),
  );
  ok(stdout.includes("Hello from memory!"));
  equal(site.requests.length, 1);
});

Deno.test("custom_handler.ts exits 1 when a URL it was given fails", async () => {
  const { code, stdout } = await runExample("custom_handler.ts", ["mem:/nope"]);
  equal(code, 1);
  equal(stdout, "mem:/nope failed: no such memory file: /nope\n");
});
