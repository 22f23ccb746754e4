/**
 * Smoke run of the engine benchmark (`--quick --seconds=1`), to keep the
 * script working. Skips when wrk is not installed: the test never
 * installs it.
 */

import { match } from "node:assert/strict";
import { benchOutput, CANNOT_BENCH } from "./_smoke.ts";

Deno.test({
  name: "bench/engine_bench.ts --quick prints its table",
  ignore: CANNOT_BENCH,
  async fn() {
    const text = await benchOutput("engine_bench.ts", [
      "--quick",
      "--seconds=1",
      "--rounds=1",
    ], 40_000);
    match(
      text,
      /\| ours: do_GET on ThreadingHTTPServer \| [\d,]+ \| [\d.]+ \|/,
    );
    match(text, /\| bare Deno\.serve \(Content-Type only\) \| [\d,]+ \|/);
    match(
      text,
      /\| ours: do_GET on ThreadingHTTPServer, a browser's head \| [\d,]+ \|/,
    );
    match(text, /\| floor: a Deno\.listen loop writing prepared bytes/);
    match(text, /floor: the loop that parses nothing reaches [\d.]+x bare/);
    match(text, /goal: ours >= 1\.5x bare Deno\.serve: /);
  },
});
