/**
 * Smoke run of the engine benchmark (`--quick --seconds=1`), to keep the
 * script working. Skips when wrk is not installed: the test never
 * installs it.
 */

import { equal, match } from "node:assert/strict";
import { haveWrk } from "../../bench/_server_wrk.ts";

const BENCH = new URL("../../bench/engine_bench.ts", import.meta.url).pathname;

Deno.test({
  name: "bench/engine_bench.ts --quick prints its table",
  ignore: Deno.build.os !== "linux" || !(await haveWrk()),
  async fn() {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", BENCH, "--quick", "--seconds=1", "--rounds=1"],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(40_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    equal(out.code, 0, new TextDecoder().decode(out.stderr));
    match(
      text,
      /\| ours: do_GET on ThreadingHTTPServer \| [\d,]+ \| [\d.]+ \|/,
    );
    match(text, /\| bare Deno\.serve \(Content-Type only\) \| [\d,]+ \|/);
    match(text, /goal: ours >= 1\.5x bare Deno\.serve: /);
  },
});
