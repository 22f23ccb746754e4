/**
 * Running CPython 3.13 next to our code in differential tests. Every helper
 * reports "not available" rather than failing, so the suite still passes on a
 * machine without `PYENV_VERSION=3.13.0 python3`.
 *
 * @module
 */
import { equal } from "node:assert/strict";

/** The environment that selects CPython 3.13 through pyenv. */
export const PYTHON_ENV = { PYENV_VERSION: "3.13.0" };

/** Whether `python3` runs and is CPython 3.13 (any patch release). */
export function havePython313(): boolean {
  try {
    return new Deno.Command("python3", {
      args: ["-c", "import sys; sys.exit(sys.version_info[:2] != (3, 13))"],
      env: PYTHON_ENV,
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    // No python3 on PATH, or no --allow-run.
    return false;
  }
}

/**
 * Runs `script` with `input` as JSON on its stdin and returns what it prints
 * as JSON, or null when CPython cannot run it (absent, failing, or printing
 * something other than JSON).
 */
export async function pythonJson<T>(
  script: string,
  input: unknown,
): Promise<T | null> {
  try {
    const child = new Deno.Command("python3", {
      args: ["-c", script],
      env: PYTHON_ENV,
      stdin: "piped",
      stdout: "piped",
      stderr: "null",
    }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(JSON.stringify(input)));
    await writer.close();
    const out = await child.output();
    if (!out.success) return null;
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } catch {
    return null;
  }
}

/**
 * Runs a generator `script` (which prints JSON) with `args` under CPython
 * 3.13, for at most 60 s, and returns what it printed. A failing script
 * fails the calling test, with its stderr as the message.
 */
export async function pythonGenerated<T>(
  script: string,
  ...args: string[]
): Promise<T> {
  const { success, stdout, stderr } = await new Deno.Command("python3", {
    args: ["-c", script, ...args],
    env: PYTHON_ENV,
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  equal(success, true, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout));
}

/**
 * Runs `python3` with `args` and returns its output (stdout captured, stderr
 * dropped), or null when it cannot be started at all.
 */
export async function pythonOutput(
  args: string[],
): Promise<Deno.CommandOutput | null> {
  try {
    return await new Deno.Command("python3", {
      args,
      env: PYTHON_ENV,
      stdout: "piped",
      stderr: "null",
    }).output();
  } catch {
    // Spawning throws synchronously when python3 is not on PATH.
    return null;
  }
}

/** Records, as an ignored step, that the comparison could not run. */
export async function skipWithoutPython(t: Deno.TestContext): Promise<void> {
  await t.step({
    name: "CPython 3.13 not available",
    ignore: true,
    fn: () => {},
  });
}
