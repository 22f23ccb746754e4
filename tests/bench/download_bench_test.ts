/**
 * Quick run of the download benchmark (`--quick`: a 64 MiB file, one run
 * per client), to keep the script working.
 */

import { match } from "node:assert/strict";
import { benchOutput } from "./_smoke.ts";

Deno.test({
  name: "bench/download_bench.ts --quick prints its table and goals",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const text = await benchOutput("download_bench.ts", ["--quick"], 120_000);
    match(text, /^download of 64 MiB from a local raw-TCP file server/m);
    for (
      const client of [
        "fetch",
        "node:http",
        "urlopen read\\(65536\\)",
        "urlopen readinto\\(64 KiB\\)",
        "urlretrieve",
        "urlopen, lines",
      ]
    ) {
      match(text, new RegExp(`^${client} +\\d+ +\\d+% +[\\d.]+$`, "m"));
    }
    match(text, /^goal urlopen >= 90% of fetch: \d+% (MET|MISSED)$/m);
    match(text, /^goal peak RSS < 100 MiB \(urlopen, urlretrieve\): /m);
  },
});
