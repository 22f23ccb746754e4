/**
 * Smoke run of the server benchmark (`--smoke`: a few one-second figures),
 * to keep the script working. Skips when wrk is not installed: the test
 * never installs it.
 */

import { equal, match } from "node:assert/strict";
import { haveWrk } from "../../bench/_server_wrk.ts";

const BENCH = new URL("../../bench/server_bench.ts", import.meta.url).pathname;

Deno.test({
  name: "bench/server_bench.ts --smoke prints its table",
  ignore: Deno.build.os !== "linux" || !(await haveWrk()),
  async fn() {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", BENCH, "--smoke"],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(40_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    equal(out.code, 0, new TextDecoder().decode(out.stderr));
    match(text, /\| figure \| ours \| bare Deno\.serve \| python 3\.13 \|/);
    match(text, /\| 1 KiB file, req\/s \(32 conns\) \| [\d,]+/);
    match(text, /\| do_GET Hello World, req\/s \| [\d,]+/);
    match(text, /goals: /);
  },
});
