/**
 * Smoke test for bench/startup_bench.ts, so the benchmark cannot rot: one
 * run of each row must work and print its table.
 */
import { match } from "node:assert/strict";
import { benchOutput } from "./_smoke.ts";

Deno.test({
  name: "startup bench --runs=1 prints a row per program",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const out = await benchOutput("startup_bench.ts", ["--runs=1"], 60_000);
    match(out, /^\| program \| ours ms \| CPython ms \|/m);
    for (
      const row of [
        "empty program",
        "import urllib.parse",
        "import urllib.request",
        "import socketserver",
        "import http.server",
        "import all of them",
        "serve: first answer",
      ]
    ) {
      match(out, new RegExp(`^\\| ${row} \\| \\d+ \\| (\\d+|-) \\|`, "m"));
    }
  },
});
