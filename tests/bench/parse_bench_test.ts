/**
 * Smoke test for bench/parse_bench.ts, so the benchmark cannot rot: it must
 * type-check against the current urllib.parse API, run, and print its table.
 */
import { equal, match } from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const OPERATIONS = [
  "urlsplit",
  "new URL()",
  "urlparse",
  "urljoin",
  "parse_qsl",
  "urlencode",
  "quote",
  "unquote",
];
const HEADER = /^operation\s+Deno ns\/op\s+CPython ns\/op\s+CPython\/Deno$/m;

async function runQuickBench(
  env: Record<string, string> = {},
): Promise<string> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      "--check",
      "bench/parse_bench.ts",
      "--quick",
      "--count=1000",
    ],
    cwd: ROOT,
    env,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  const out = new TextDecoder().decode(stdout);
  equal(
    code,
    0,
    `exit code ${code}\n${out}\n${new TextDecoder().decode(stderr)}`,
  );
  return out;
}

function rowOf(out: string, operation: string): string[] {
  const line = out.split("\n").find((l) => l.trim().startsWith(operation));
  if (line === undefined) throw new Error(`no row for ${operation}:\n${out}`);
  return line.trim().slice(operation.length).trim().split(/\s+/);
}

Deno.test("parse bench --quick prints a row per operation and a verdict", async () => {
  const out = await runQuickBench();
  match(out, HEADER);
  match(out, /1,000 distinct inputs per operation/);
  for (const op of OPERATIONS) match(rowOf(out, op)[0] ?? "", /^\d+\.\d$/);
  match(
    out,
    /^(Goal \(every operation >= 5x faster than CPython\): (MET|NOT MET)|NOTE: CPython 3\.13 unavailable)/m,
  );
});

Deno.test("parse bench without python3 on PATH shows Deno figures and says why", async () => {
  const emptyDir = await Deno.makeTempDir();
  try {
    const out = await runQuickBench({ PATH: emptyDir });
    match(out, HEADER);
    match(out, /NOTE: CPython 3\.13 unavailable \(python3 not found\)/);
    for (const op of OPERATIONS) {
      const [deno, python, ratio] = rowOf(out, op);
      match(deno ?? "", /^\d+\.\d$/);
      equal(python, "-");
      equal(ratio, "-");
    }
  } finally {
    await Deno.remove(emptyDir);
  }
});
