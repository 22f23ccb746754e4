/**
 * Runs every `bench/*_bench.ts` script in turn, each printing its own table.
 *
 *     deno task bench [--quick] [name ...] [-- script args ...]
 *
 * Flags (`--quick`, `--count=N`) are passed to every script; bare words keep
 * only the scripts whose file name contains one of them
 * (`deno task bench parse`); everything after `--` is passed on verbatim, for
 * flags that take a separate value (`-- --runs 5`).
 * Scripts run in separate processes, one at a time, so that no benchmark
 * shares a CPU or a heap with another. Exits non-zero if any script fails.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** The `*_bench.ts` file names in `dir`, sorted for a stable order. */
async function discover(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith("_bench.ts")) {
      names.push(entry.name);
    }
  }
  return names.sort();
}

async function main(args: string[]): Promise<number> {
  const end = args.includes("--") ? args.indexOf("--") : args.length;
  const own = args.slice(0, end);
  const flags = [
    ...own.filter((a) => a.startsWith("-")),
    ...args.slice(end + 1),
  ];
  const filters = own.filter((a) => !a.startsWith("-"));
  const scripts = (await discover(BENCH_DIR)).filter((name) =>
    filters.length === 0 || filters.some((f) => name.includes(f))
  );
  if (scripts.length === 0) {
    console.error(`no bench/*_bench.ts script matches ${filters.join(", ")}`);
    return 1;
  }
  const failed: string[] = [];
  for (const name of scripts) {
    console.log(`\n=== bench/${name} ${flags.join(" ")}`.trimEnd());
    const { code } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", `bench/${name}`, ...flags],
      cwd: ROOT,
      stdout: "inherit",
      stderr: "inherit",
    }).output();
    if (code !== 0) failed.push(`${name} (exit code ${code})`);
  }
  if (failed.length > 0) {
    console.error(`\nfailed: ${failed.join(", ")}`);
    return 1;
  }
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
