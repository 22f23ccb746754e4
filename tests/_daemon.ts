/**
 * Running a third-party server (tinyproxy, nginx) for a test or a
 * benchmark: on a free port, from a configuration written to a temp
 * folder, waited for until it accepts connections, and stopped (the folder
 * removed) by `close()` or `await using`.
 *
 * @module
 */

/** A running daemon. */
export interface Daemon extends AsyncDisposable {
  readonly child: Deno.ChildProcess;
  readonly port: number;
  /** Stops it (SIGTERM), waits for it, and removes its folder. */
  close(): Promise<void>;
}

/**
 * A port free on 127.0.0.1 now (another program may still take it before
 * the daemon binds it).
 */
export function freePort(): number {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  return listener.addr.port;
}

async function waitForPort(
  name: string,
  port: number,
  child: Deno.ChildProcess,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  let exited = false;
  child.status.then(() => (exited = true));
  while (Date.now() < deadline && !exited) {
    try {
      (await Deno.connect({ hostname: "127.0.0.1", port })).close();
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`${name} did not start listening on port ${port}`);
}

/**
 * Runs `cmd args` (its output discarded) and resolves once it accepts
 * connections on `port`; `dir`, its temp folder, goes when it stops.
 */
export async function startDaemon(
  name: string,
  cmd: string,
  args: readonly string[],
  port: number,
  dir: string,
): Promise<Daemon> {
  const child = new Deno.Command(cmd, {
    args: [...args],
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const close = async () => {
    try {
      child.kill("SIGTERM");
    } catch {
      // Already exited.
    }
    await child.status;
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  };
  try {
    await waitForPort(name, port, child);
  } catch (error) {
    await close();
    throw error;
  }
  return { child, port, close, [Symbol.asyncDispose]: close };
}
