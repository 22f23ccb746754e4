/**
 * Starts `python3 -m http.server` (CPython 3.13) or our `serve` command as a
 * child process on 127.0.0.1 port 0, and learns the port from the startup
 * line both print: `Serving HTTP on 127.0.0.1 port N (http://...) ...`.
 *
 * @module
 */

import { PYTHON, PYTHON_ENV } from "../_python.ts";

/** Which server to start. */
export type ServerKind = "python" | "ours";

/** Path of our `serve` command. */
export const SERVE_TS: string = new URL(
  "../../http_server/serve.ts",
  import.meta.url,
).pathname;

/** A running server child process. */
export interface ServerProcess extends AsyncDisposable {
  kind: string;
  hostname: string;
  port: number;
  pid: number;
  /** Everything written to stderr so far (the tail, capped). */
  stderr(): string;
  /** How many bytes were written to stderr so far (not capped). */
  stderrBytes(): number;
  /** Stops the process and waits for it. */
  close(): Promise<void>;
}

/** Options for {@linkcode startServer}. */
export interface StartOptions {
  /** Extra command-line flags, e.g. `["-p", "HTTP/1.1"]`. */
  args?: string[];
  /** Wrap the command, e.g. `["taskset", "-c", "0"]`. */
  prefix?: string[];
  /** How long to wait for the startup line (default 20 s). */
  timeoutMs?: number;
  /** Override which `serve` script "ours" runs. */
  script?: string;
}

function commandFor(
  kind: ServerKind,
  dir: string,
  options: StartOptions,
): { cmd: string; args: string[]; env: Record<string, string> } {
  const common = ["0", "-b", "127.0.0.1", "-d", dir, ...(options.args ?? [])];
  // A test harness hook: point "ours" at Python to check the harness itself.
  const oursIsPython = Deno.env.get("DIFF_OURS") === "python";
  let cmd: string;
  let args: string[];
  let env: Record<string, string> = {};
  if (kind === "python" || oursIsPython) {
    cmd = PYTHON;
    args = ["-u", "-m", "http.server", ...common];
    env = { ...PYTHON_ENV };
  } else {
    cmd = Deno.execPath();
    args = ["run", "-A", options.script ?? SERVE_TS, ...common];
  }
  const prefix = options.prefix ?? [];
  if (prefix.length) {
    args = [...prefix.slice(1), cmd, ...args];
    cmd = prefix[0]!;
  }
  return { cmd, args, env };
}

/** Drains a stream into a capped text tail so the child never blocks on a full pipe. */
function drain(
  stream: ReadableStream<Uint8Array>,
  onText: (text: string) => void,
): Promise<void> {
  const decoder = new TextDecoder();
  return stream.pipeTo(
    new WritableStream({
      write(chunk) {
        onText(decoder.decode(chunk, { stream: true }));
      },
    }),
  ).catch(() => {});
}

const STARTUP = /Serving HTTP on (\S+) port (\d+) \(/;
const TAIL = 256 * 1024;

/** Starts a server on `dir` and resolves once it printed its startup line. */
export function startServer(
  kind: ServerKind,
  dir: string,
  options: StartOptions = {},
): Promise<ServerProcess> {
  const { cmd, args, env } = commandFor(kind, dir, options);
  return spawnServer(kind, cmd, args, env, options.timeoutMs);
}

/**
 * Runs any command that prints Python's startup line, and resolves once it
 * has (so benchmarks can start other servers the same way).
 */
export async function spawnServer<K extends string>(
  kind: K,
  cmd: string,
  args: string[],
  env: Record<string, string> = {},
  timeoutMs = 20_000,
  keepStderr = true,
): Promise<ServerProcess & { kind: K }> {
  const child = new Deno.Command(cmd, {
    args,
    // A Deno server would check for a newer release on a thread of its
    // own (reading the CA file, resolving names): not the server's work.
    env: { DENO_NO_UPDATE_CHECK: "1", ...env },
    stdin: "null",
    stdout: "piped",
    // Benchmarks send the request log to /dev/null: reading it here would
    // put our own process in the measurement.
    stderr: keepStderr ? "piped" : "null",
  }).spawn();
  let out = "";
  let err = "";
  let errBytes = 0;
  let resolveStart: (m: RegExpExecArray) => void = () => {};
  const started = new Promise<RegExpExecArray>((r) => (resolveStart = r));
  const outDone = drain(child.stdout, (t) => {
    out = (out + t).slice(-TAIL);
    const m = STARTUP.exec(out);
    if (m) resolveStart(m);
  });
  const errDone = keepStderr
    ? drain(child.stderr, (t) => {
      err = (err + t).slice(-TAIL);
      errBytes += t.length;
    })
    : Promise.resolve();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((r) => {
    timer = setTimeout(() => r("timeout"), timeoutMs);
  });
  const first = await Promise.race([started, status, timeout]);
  clearTimeout(timer);

  const close = async () => {
    if (!exited) {
      try {
        child.kill("SIGTERM");
      } catch {
        // exited meanwhile
      }
      let killTimer: ReturnType<typeof setTimeout> | undefined;
      const forced = new Promise<void>((r) => {
        killTimer = setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch {
            // exited meanwhile
          }
          r();
        }, 3000);
      });
      await Promise.race([status, forced]);
      clearTimeout(killTimer);
    }
    await status;
    await Promise.all([outDone, errDone]);
  };

  if (!(first instanceof Array)) {
    await close();
    throw new Error(
      `${kind} server did not start (${cmd} ${args.join(" ")}):\n` +
        `stdout: ${out}\nstderr: ${err}`,
    );
  }
  return {
    kind,
    hostname: first[1]!,
    port: Number(first[2]),
    pid: child.pid,
    stderr: () => err,
    stderrBytes: () => errBytes,
    close,
    [Symbol.asyncDispose]: close,
  };
}
