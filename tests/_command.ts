/**
 * Whether a program the tests run is installed, so that tests needing it
 * can be skipped at test level where it is missing.
 *
 * @module
 */

/** Whether `command` runs and succeeds with `args` (e.g. `["--version"]`). */
export function haveCommand(command: string, args: string[]): boolean {
  try {
    return new Deno.Command(command, {
      args,
      stdout: "null",
      stderr: "null",
    }).outputSync().success;
  } catch {
    return false;
  }
}
