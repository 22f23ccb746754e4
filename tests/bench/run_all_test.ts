/**
 * bench/run_all.ts, run from a scratch copy of the bench folder holding
 * stand-in scripts, so the test does not pay for the real benchmarks.
 */
import { deepEqual, equal, match } from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const RUNNER = fileURLToPath(
  new URL("../../bench/run_all.ts", import.meta.url),
);

async function withScratchBench(
  scripts: Record<string, string>,
  body: (root: string) => Promise<void>,
): Promise<void> {
  const root = await Deno.makeTempDir({ prefix: "run_all_test_" });
  try {
    await Deno.mkdir(join(root, "bench"));
    await Deno.copyFile(RUNNER, join(root, "bench", "run_all.ts"));
    for (const [name, source] of Object.entries(scripts)) {
      await Deno.writeTextFile(join(root, "bench", name), source);
    }
    await body(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

async function runAll(
  root: string,
  args: string[],
): Promise<{ code: number; out: string; err: string }> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "bench/run_all.ts", ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code, out: decode(stdout), err: decode(stderr) };
}

// Each stand-in prints its name, its arguments and the directory it runs in.
const echo = (tag: string, exit = 0) =>
  `console.log("${tag}", JSON.stringify(Deno.args), Deno.cwd());\n` +
  `Deno.exit(${exit});\n`;

Deno.test("run_all runs every *_bench.ts in name order from the root, passing flags", async () => {
  await withScratchBench({
    "b_bench.ts": echo("B"),
    "a_bench.ts": echo("A"),
    "_helper.ts": echo("HELPER"),
    "notes_bench.py": "",
  }, async (root) => {
    const { code, out, err } = await runAll(root, [
      "--quick",
      "--",
      "--runs",
      "5",
    ]);
    equal(code, 0, err);
    const lines = out.split("\n").filter((l) => /^[AB] /.test(l));
    const realRoot = await Deno.realPath(root);
    deepEqual(lines, [
      `A ["--quick","--runs","5"] ${realRoot}`,
      `B ["--quick","--runs","5"] ${realRoot}`,
    ]);
    match(out, /=== bench\/a_bench\.ts --quick --runs 5/);
  });
});

Deno.test("run_all keeps only scripts matching a bare word and fails if one fails", async () => {
  await withScratchBench({
    "parse_bench.ts": echo("PARSE", 3),
    "server_bench.ts": echo("SERVER"),
  }, async (root) => {
    const { code, out, err } = await runAll(root, ["parse"]);
    equal(code, 1);
    match(out, /^PARSE \[\]/m);
    equal(out.includes("SERVER"), false);
    match(err, /failed: parse_bench\.ts \(exit code 3\)/);
    const none = await runAll(root, ["nothing"]);
    equal(none.code, 1);
    match(none.err, /no bench\/\*_bench\.ts script matches nothing/);
  });
});
