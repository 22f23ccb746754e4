/**
 * Quick run of the compression benchmark (`--quick`: one-second rounds),
 * to keep the script working. Skips when wrk is not installed: the test
 * never installs it.
 */

import { match } from "node:assert/strict";
import { benchOutput, CANNOT_BENCH } from "./_smoke.ts";

Deno.test({
  name: "bench/compress_bench.ts --quick prints its table",
  ignore: CANNOT_BENCH,
  async fn() {
    const text = await benchOutput("compress_bench.ts", ["--quick"], 60_000);
    match(text, /^\| server \(20 KB script, 32 keep-alive connections\) \|/m);
    match(text, /^\| ours, --compress \| [\d,]+ \| [\d.]+ \|/m);
    match(text, /^\| ours, no coding asked \| [\d,]+ \| [\d.]+ \|/m);
  },
});
