/**
 * Runs a small TypeScript program in a child `deno run` with only the
 * permissions a test gives it: how the tests check what a script gets, and
 * what it is told, under Deno's permission system.
 *
 * @module
 */

/** The repository's deno.json, so the program's imports resolve. */
const CONFIG = new URL("../deno.json", import.meta.url).pathname;

/** Where and how the program runs. */
export interface ScriptOptions {
  /** The working directory (default: the test's). */
  cwd?: string;
  /** Variables set for the program. */
  env?: Record<string, string>;
  /** Start from an empty environment rather than the test's. */
  clearEnv?: boolean;
}

/** What the program printed, and its exit code. */
export interface ScriptOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `source` with `permissions` (`--allow-...` flags) and `--no-prompt`,
 * so a permission it lacks is refused, never asked for; 30 s at most. The
 * program's file lives in a folder of its own, removed afterwards.
 */
export async function runScript(
  source: string,
  permissions: readonly string[],
  options: ScriptOptions = {},
): Promise<ScriptOutput> {
  const dir = await Deno.makeTempDir({ prefix: "pyport_script_" });
  const script = `${dir}/main.ts`;
  try {
    await Deno.writeTextFile(script, source);
    const out = await new Deno.Command(Deno.execPath(), {
      // --quiet: Deno's own notes ("Download ..." on a fresh cache) are not
      // the program's output, which the tests read.
      args: [
        "run",
        "--no-prompt",
        "--quiet",
        "--config",
        CONFIG,
        ...permissions,
        script,
      ],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.env === undefined ? {} : { env: options.env }),
      clearEnv: options.clearEnv ?? false,
      stdin: "null",
      signal: AbortSignal.timeout(30_000),
    }).output();
    const decoder = new TextDecoder();
    return {
      code: out.code,
      stdout: decoder.decode(out.stdout),
      stderr: decoder.decode(out.stderr),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
