/**
 * Quick run of the serve benchmark (`--quick`: one-second figures on
 * smaller trees), to keep the script working. Skips when wrk is not
 * installed: the test never installs it.
 */

import { equal, match } from "node:assert/strict";
import { haveWrk } from "../../bench/_server_wrk.ts";

const BENCH = new URL("../../bench/serve_bench.ts", import.meta.url).pathname;

Deno.test({
  name: "bench/serve_bench.ts --quick prints its tables and goals",
  ignore: Deno.build.os !== "linux" || !(await haveWrk()),
  async fn() {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", BENCH, "--quick"],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(150_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    equal(out.code, 0, new TextDecoder().decode(out.stderr));
    match(
      text,
      /^\| req\/s \| (nginx \| )?bare Deno\.serve \| ours \| ours uncached \| ours default \|/m,
    );
    match(text, /^\| 1 KiB file \| [\d,]+/m);
    match(text, /^\| 2,500 files of 16 KiB at random \(> cache\) \| [\d,]+/m);
    match(text, /^\| req\/CPU-s \|/m);
    match(text, /^\| 64 MiB file, peak RSS MiB \| [\d.]+/m);
    match(text, /^--workers 2 vs one worker, .*: [\d,]+ vs [\d,]+/m);
    match(text, /^goals: /m);
  },
});
