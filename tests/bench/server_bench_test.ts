/**
 * Smoke run of the server benchmark (`--smoke`: a few one-second figures),
 * to keep the script working. Skips when wrk is not installed: the test
 * never installs it.
 */

import { match } from "node:assert/strict";
import { benchOutput, CANNOT_BENCH } from "./_smoke.ts";

Deno.test({
  name: "bench/server_bench.ts --smoke prints its table",
  ignore: CANNOT_BENCH,
  async fn() {
    const text = await benchOutput("server_bench.ts", ["--smoke"], 40_000);
    match(text, /\| figure \| ours \| bare Deno\.serve \| python 3\.13 \|/);
    match(text, /\| 1 KiB file, req\/s \(32 conns\) \| [\d,]+/);
    match(text, /\| do_GET Hello World, req\/s \| [\d,]+/);
    match(text, /goals: /);
  },
});
