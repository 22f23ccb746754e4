/**
 * Quick run of the serve benchmark (`--quick`: one-second figures on
 * smaller trees), to keep the script working. Skips when wrk is not
 * installed: the test never installs it.
 */

import { match } from "node:assert/strict";
import { benchOutput, CANNOT_BENCH } from "./_smoke.ts";

Deno.test({
  name: "bench/serve_bench.ts --quick prints its tables and goals",
  ignore: CANNOT_BENCH,
  async fn() {
    const text = await benchOutput("serve_bench.ts", ["--quick"], 150_000);
    match(
      text,
      /^\| req\/s \| (nginx \| )?bare Deno\.serve \| ours \| ours uncached \| ours default \|/m,
    );
    match(text, /^\| 1 KiB file \| [\d,]+/m);
    match(text, /^\| 2,500 files of 16 KiB at random \(> cache\) \| [\d,]+/m);
    match(text, /^\| req\/CPU-s \|/m);
    match(text, /^\| 64 MiB file, peak RSS MiB \| [\d.]+/m);
    match(text, /^--workers 2 vs one worker, .*: [\d,]+ vs [\d,]+/m);
    match(
      text,
      /^files beyond the cache, taken in turns, .*: [\d,]+ vs [\d,]+ requests per server CPU-second \([\d.]+x\); [\d,]+ vs [\d,]+ req\/s/m,
    );
    match(
      text,
      /^goal files > cache at random, ours\/uncached per CPU-second: /m,
    );
    match(text, /^goals: /m);
  },
});
