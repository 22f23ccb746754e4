/**
 * Running CPython 3.13 next to our code: the one place that knows how to
 * find it, the environment it runs in, and how its answers come back.
 *
 * A test that needs CPython is skipped at test level, so the summary counts
 * it as "ignored" (never "passed"):
 *
 * ```ts ignore
 * Deno.test({ name: "...", ignore: !havePython313(), async fn() { ... } });
 * ```
 *
 * Once a test runs, every helper below fails it when Python fails: a script
 * that raises, exits non-zero or prints something other than JSON is a test
 * failure, never "no Python". With `REQUIRE_CPYTHON=1` in the environment
 * (`.ci/run` sets it) a missing CPython 3.13 fails every file that imports
 * this one, so CI cannot skip a differential.
 *
 * @module
 */
import { equal } from "node:assert/strict";

/**
 * The environment every CPython child runs in: pyenv's 3.13.0, fixed str
 * hashing (so anything iterating a set is the same on every run), UTF-8
 * stdio and unbuffered output (so a server's startup line arrives at once).
 */
export const PYTHON_ENV: Readonly<Record<string, string>> = {
  PYENV_VERSION: "3.13.0",
  PYTHONHASHSEED: "0",
  PYTHONIOENCODING: "utf-8",
  PYTHONUNBUFFERED: "1",
};

/** The command, found on PATH; pyenv's shim picks 3.13.0 from PYTHON_ENV. */
export const PYTHON = "python3";

/** The exact release the committed fixtures were recorded with. */
export const REFERENCE_VERSION = "3.13.0";

/**
 * What `python3 -c code` prints under PYTHON_ENV, trimmed; null when it
 * fails or no python3 runs.
 */
export function pythonPrints(code: string): string | null {
  try {
    const out = new Deno.Command(PYTHON, {
      args: ["-c", code],
      env: PYTHON_ENV,
      stdout: "piped",
      stderr: "null",
    }).outputSync();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    // No python3 on PATH (or no --allow-run).
    return null;
  }
}

/** The CPython version found, e.g. "3.13.0", or null when none runs. */
export const pythonVersion: string | null = pythonPrints(
  "import sys; print('%d.%d.%d' % sys.version_info[:3])",
);

/** Whether CPython 3.13 (any patch release) runs as `python3`. */
export function havePython313(): boolean {
  return pythonVersion?.startsWith("3.13.") ?? false;
}

/**
 * Whether the exact release the fixtures were recorded with runs, for the
 * tests that check a committed fixture is what its generator writes today.
 */
export function haveReferencePython(): boolean {
  return pythonVersion === REFERENCE_VERSION;
}

if (Deno.env.get("REQUIRE_CPYTHON") === "1" && !haveReferencePython()) {
  throw new Error(
    `REQUIRE_CPYTHON=1 but \`PYENV_VERSION=3.13.0 ${PYTHON}\` is ` +
      `${pythonVersion ?? "not runnable"}: install it with ` +
      "`pyenv install 3.13.0`",
  );
}

/** How to run a script: its arguments, JSON for its stdin, where. */
export interface PythonRun {
  /** `sys.argv[1:]`. */
  args?: string[];
  /** Sent as JSON on stdin. */
  input?: unknown;
  /** The working directory. */
  cwd?: string;
  /** Kill it after this long (default 60 s), failing the test. */
  timeoutMs?: number;
}

/**
 * Runs `python3` with `args` under PYTHON_ENV and returns its output. A
 * non-zero exit fails the calling test, with Python's stderr as the message.
 */
export async function pythonOutput(
  args: string[],
  options: Omit<PythonRun, "args"> = {},
): Promise<Deno.CommandOutput> {
  const child = new Deno.Command(PYTHON, {
    args,
    env: PYTHON_ENV,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    stdin: options.input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(options.timeoutMs ?? 60_000),
  }).spawn();
  if (options.input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(options.input)));
    await writer.close();
  }
  const out = await child.output();
  equal(
    out.success,
    true,
    `python3 ${
      args[0] === "-c" ? "-c <script>" : args[0]
    } failed (${out.code}):\n` +
      new TextDecoder().decode(out.stderr),
  );
  return out;
}

/**
 * Runs `script` (`python3 -c`) and returns what it printed, parsed as JSON.
 * A script that fails, or prints something other than JSON, fails the test.
 */
export async function pythonJson<T>(
  script: string,
  options: PythonRun = {},
): Promise<T> {
  const { args = [], ...rest } = options;
  const { stdout } = await pythonOutput(["-c", script, ...args], rest);
  return JSON.parse(new TextDecoder().decode(stdout));
}

/**
 * Runs a generator `script` (which prints JSON) with `args` and returns what
 * it printed; a failing script fails the calling test.
 */
export function pythonGenerated<T>(
  script: string,
  ...args: string[]
): Promise<T> {
  return pythonJson<T>(script, { args });
}
