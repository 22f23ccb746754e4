/**
 * Running the `serve` command (http_server/serve.ts) as a child process in
 * tests: its output as it comes, its port once it has started, and a bounded
 * stop so that a server that ignores its signal cannot hang the suite.
 *
 * @module
 */

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
      args: ["run", "-A", options.script ?? SERVE, ...args],
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      ...(options.env === undefined ? {} : { env: options.env }),
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
