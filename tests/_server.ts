/**
 * Servers in tests, each with a deadline so that a bug fails fast instead
 * of hanging the suite:
 *
 * - {@linkcode withHTTPServer}: our `HTTPServer` in this process, for
 *   handler tests;
 * - {@linkcode ServeProcess}: the `serve` command (http_server/serve.ts) as
 *   a child process: its output as it comes, its port once it has started,
 *   and a bounded stop so that a server that ignores its signal cannot hang
 *   the suite;
 * - {@linkcode within} and {@linkcode deadline}: the time limits themselves,
 *   for any other test that waits on a server.
 *
 * @module
 */
import { HTTPServer, type RequestHandlerClass } from "../http_server/mod.ts";

/** How long one server test may run before it fails as hung. */
export const TEST_DEADLINE_MS = 20_000;

/**
 * How long one client call to a server child process may take: give it as
 * `signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS)`, so a hung server fails
 * the call and `await using` still stops the child.
 */
export const CLIENT_TIMEOUT_MS = 10_000;

/** How long a server may take to shut down once its test is done. */
const SHUTDOWN_MS = 5_000;

/**
 * `promise`, or a rejection naming `what` once `ms` have passed: the caller
 * fails at once instead of waiting on a hang.
 */
export async function within<T>(
  promise: Promise<T>,
  ms: number,
  what: string,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const expired = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} took longer than ${ms} ms: hung?`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A test function that fails once `ms` have passed:
 * `Deno.test("...", deadline(async () => { ... }))`.
 */
export function deadline(
  fn: (t: Deno.TestContext) => Promise<void>,
  ms: number = TEST_DEADLINE_MS,
): (t: Deno.TestContext) => Promise<void> {
  return (t) => within(fn(t), ms, "the test");
}

/**
 * Serves `Handler` on 127.0.0.1 (a free port) while `fn` runs with the base
 * URL, then shuts the server down. `fn` has `ms` to finish and the shutdown
 * five seconds: past either, the server is closed (ending any hung client
 * call) and the test fails.
 */
export async function withHTTPServer(
  Handler: RequestHandlerClass,
  fn: (base: string, server: HTTPServer) => Promise<void>,
  ms: number = TEST_DEADLINE_MS,
): Promise<void> {
  const server = new HTTPServer(["127.0.0.1", 0], Handler);
  const done = server.serve_forever();
  const base = `http://127.0.0.1:${server.server_port}`;
  const errors: unknown[] = [];
  await within(fn(base, server), ms, "the test").catch((e) => errors.push(e));
  const stopped = (async () => {
    await server.shutdown();
    await done;
    await server.server_close();
  })();
  await within(stopped, SHUTDOWN_MS, "shutting the server down")
    .catch((e) => errors.push(e));
  // The test's own failure first: a hang there also delays the shutdown.
  if (errors.length > 0) throw errors[0];
}

/** serve.ts by absolute path, so tests run from any working directory. */
export const SERVE = new URL("../http_server/serve.ts", import.meta.url)
  .pathname;

const decoder = new TextDecoder();
const WAIT_MS = 15_000;

/** How to start {@linkcode ServeProcess}. */
export interface ServeOptions {
  /** The script argument of `deno run` (default {@linkcode SERVE}). */
  script?: string;
  /** The working directory of the child. */
  cwd?: string;
  /** Variables added to the inherited environment. */
  env?: Record<string, string>;
  /** `deno run` permission flags (default `-A`). */
  permissions?: string[];
}

/** What a `serve` that exited by itself printed, and its exit code. */
export interface ServeOutput {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `serve` with `args` to completion (for commands that exit by
 * themselves: `--help`, bad flags, startup failures), killed after 20 s.
 */
export async function runServe(
  args: string[],
  options: ServeOptions = {},
): Promise<ServeOutput> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", options.script ?? SERVE, ...args],
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.env === undefined ? {} : { env: options.env }),
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(20_000),
  }).output();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

/** A running `serve`: its output so far, its port once started. */
export class ServeProcess implements AsyncDisposable {
  readonly child: Deno.ChildProcess;
  stdout = "";
  stderr = "";
  /** The exit code once the child has exited, else null. */
  exitCode: number | null = null;
  #readers: Promise<void>[] = [];

  constructor(args: string[], options: ServeOptions = {}) {
    this.child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        ...(options.permissions ?? ["-A"]),
        options.script ?? SERVE,
        ...args,
      ],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      // Deno's check for a newer release runs on a thread of its own soon
      // after the start, reading the CA file and resolving names: reads
      // that tests counting serve's file reads (/proc/PID/io) took for the
      // server's (221 KB of SSL_CERT_FILE, where no release file is cached
      // because the check cannot reach the network).
      env: { DENO_NO_UPDATE_CHECK: "1", ...options.env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    this.#readers.push(
      this.#collect(this.child.stdout, (t) => this.stdout += t),
      this.#collect(this.child.stderr, (t) => this.stderr += t),
    );
    this.child.status.then((s) => this.exitCode = s.code);
  }

  async #collect(stream: ReadableStream<Uint8Array>, add: (t: string) => void) {
    for await (const chunk of stream) add(decoder.decode(chunk));
  }

  /** Waits until `test()` holds; throws if serve exits first or on timeout. */
  async until(test: () => boolean, what: string): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!test()) {
      if (this.exitCode !== null) {
        await Promise.all(this.#readers);
        if (test()) return;
        throw new Error(
          `serve exited (${this.exitCode}) before ${what}: ${this.stdout}${this.stderr}`,
        );
      }
      if (Date.now() > deadline) {
        throw new Error(
          `timed out waiting for ${what}: ${this.stdout}${this.stderr}`,
        );
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Waits for the "Serving ... ) ..." line and returns the port it names. */
  async started(): Promise<number> {
    await this.until(() => this.stdout.includes(") ..."), "the startup line");
    return Number(/ port (\d+) /.exec(this.stdout)?.[1]);
  }

  /**
   * Sends `signal` and returns the exit code; a child still running after
   * the wait is killed, which shows as a non-zero code.
   */
  async stop(signal: Deno.Signal = "SIGINT"): Promise<number> {
    this.child.kill(signal);
    const killer = setTimeout(() => this.#kill(), WAIT_MS);
    try {
      const status = await this.child.status;
      await Promise.all(this.#readers);
      return status.code;
    } finally {
      clearTimeout(killer);
    }
  }

  #kill(): void {
    try {
      this.child.kill("SIGKILL");
    } catch {
      // Already gone.
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    this.#kill();
    await this.child.status;
    await Promise.all(this.#readers).catch(() => {});
  }
}
