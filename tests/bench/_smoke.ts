/**
 * Running a benchmark script's short mode from a test, to keep the script
 * working: the benchmarks need wrk (never installed by a test) and Linux's
 * `/proc`, so their tests are ignored elsewhere.
 *
 * @module
 */
import { equal } from "node:assert/strict";
import { haveWrk } from "../../bench/_server_wrk.ts";

/** Whether the benchmarks can run here. */
export const CANNOT_BENCH: boolean = Deno.build.os !== "linux" ||
  !(await haveWrk());

/**
 * Runs `bench/<script>` with `args`, failing the test when it exits with an
 * error or takes longer than `ms`, and resolves with what it printed.
 */
export async function benchOutput(
  script: string,
  args: string[],
  ms: number,
): Promise<string> {
  const path = new URL(`../../bench/${script}`, import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", path, ...args],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(ms),
  }).output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}
