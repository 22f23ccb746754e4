/**
 * Runs an example as its header comment says (`deno run FLAGS examples/x.ts
 * ...`, from the repository root) and serves local pages for it.
 *
 * @module
 */
import { fileURLToPath } from "node:url";

/** The repository root: examples are run from here, as documented. */
export const ROOT: string = fileURLToPath(new URL("../../", import.meta.url));

/** What a finished example printed. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Options for {@linkcode runExample}. */
export interface RunOptions {
  /** Extra environment variables (proxies, for example). */
  env?: Record<string, string>;
  /** Kill the example after this many milliseconds (default 20 s). */
  timeoutMs?: number;
  /**
   * `deno run` permission flags (default: those of the first `deno run`
   * line of the example's header, so the headers stay true).
   */
  permissions?: string[];
  /**
   * Run in this folder instead of the repository root (for examples that
   * write files); the example is then named by its absolute path.
   */
  cwd?: string;
  /** Text typed on the example's stdin, which then ends (default: none). */
  input?: string;
}

/**
 * Runs `deno run -A examples/<name> ...args` and collects its output.
 * The child is killed when it outlives the timeout, so a hung example
 * fails the test instead of blocking it.
 */
export async function runExample(
  name: string,
  args: string[] = [],
  options: RunOptions = {},
): Promise<RunResult> {
  // Proxy settings of the machine running the tests must not leak into the
  // examples: each test decides whether a proxy is in play.
  const child = spawnExample(name, args, options);
  if (options.input !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.input));
    await writer.close();
  }
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch {
      // Already exited.
    }
  }, options.timeoutMs ?? 20_000);
  try {
    const out = await child.output();
    return {
      code: out.code,
      stdout: new TextDecoder().decode(out.stdout),
      stderr: new TextDecoder().decode(out.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The permission flags the header of `examples/<name>` runs it with: the
 * flags between `deno run` and the file in its first command line.
 */
export function headerPermissions(name: string): string[] {
  const source = Deno.readTextFileSync(`${ROOT}examples/${name}`);
  const escaped = name.replace(/[.]/g, "\\.");
  const line = new RegExp(`deno run((?: -[-\\w=.,/]+)*) examples/${escaped}`)
    .exec(source);
  if (line === null) throw new Error(`examples/${name} has no deno run line`);
  return line[1]!.split(" ").filter((flag) => flag !== "");
}

/** `deno run FLAGS examples/<name> ...args` as a child, its output piped. */
function spawnExample(
  name: string,
  args: string[],
  options: RunOptions,
): Deno.ChildProcess {
  // Proxy settings of the machine running the tests must not leak into the
  // examples: each test decides whether a proxy is in play.
  const env = Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([k]) => !/_proxy$/i.test(k)),
  );
  Object.assign(env, { NO_COLOR: "1" }, options.env);
  return new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      // Deno's own notes ("Download ..." on a fresh cache) are not the
      // example's output, which the tests compare line by line.
      "--quiet",
      ...(options.permissions ?? headerPermissions(name)),
      options.cwd ? `${ROOT}examples/${name}` : `examples/${name}`,
      ...args,
    ],
    cwd: options.cwd ?? ROOT,
    clearEnv: true,
    env,
    stdin: options.input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** An example that keeps running (a server, an interactive client). */
export interface RunningExample extends AsyncDisposable {
  /** Everything it has printed on stdout so far. */
  readonly stdout: string;
  /**
   * Waits until stdout matches `pattern` (searched from where the last
   * match ended); rejects when the example exits first or after
   * `timeoutMs` (default 10 s).
   */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpExecArray>;
  /** Types `text` on its stdin (started with `interactive`). */
  type(text: string): Promise<void>;
  /** Ends its stdin, as Ctrl-D does. */
  endInput(): Promise<void>;
  /** Waits for it to exit (killing it after `timeoutMs`, default 10 s). */
  exited(timeoutMs?: number): Promise<RunResult>;
  /** Sends `signal` (default SIGINT, as Ctrl-C), then waits for the exit. */
  stop(signal?: Deno.Signal): Promise<RunResult>;
}

/**
 * Starts `deno run -A examples/<name> ...args` and leaves it running, for
 * servers and interactive clients. With `interactive`, its stdin is a pipe
 * the test types into. Disposing of it kills it if it still runs.
 */
export function startExample(
  name: string,
  args: string[] = [],
  options: RunOptions & { interactive?: boolean } = {},
): RunningExample {
  const child = spawnExample(name, args, {
    ...options,
    ...(options.interactive ? { input: "" } : {}),
  });
  const stdin = options.interactive ? child.stdin.getWriter() : null;
  const encoder = new TextEncoder();
  let stdout = "";
  let searchFrom = 0;
  let wake = null as (() => void) | null;
  let ended = false;
  const reading = (async () => {
    for await (
      const chunk of child.stdout.pipeThrough(new TextDecoderStream())
    ) {
      stdout += chunk;
      wake?.();
    }
    ended = true;
    wake?.();
  })();
  const stderr = new Response(child.stderr).text();
  const status = child.status;
  const exited = async (timeoutMs = 10_000): Promise<RunResult> => {
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
    }, timeoutMs);
    try {
      const { code } = await status;
      await reading;
      return { code, stdout, stderr: await stderr };
    } finally {
      clearTimeout(timer);
    }
  };
  const endInput = async () => {
    try {
      await stdin?.close();
    } catch {
      // It exited and closed its end.
    }
  };
  return {
    get stdout() {
      return stdout;
    },
    async waitFor(pattern, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      const sticky = new RegExp(pattern.source, pattern.flags.replace("g", ""));
      while (true) {
        const match = sticky.exec(stdout.slice(searchFrom));
        if (match) {
          searchFrom += match.index + match[0].length;
          return match;
        }
        const left = deadline - Date.now();
        if (ended || left <= 0) {
          throw new Error(
            `${name}: no ${pattern} in its output ${JSON.stringify(stdout)}` +
              `${ended ? " (it exited)" : ""}; stderr: ${
                ended ? await stderr : "(running)"
              }`,
          );
        }
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            wake = null;
            resolve();
          };
        });
      }
    },
    async type(text) {
      await stdin!.write(encoder.encode(text));
    },
    endInput,
    exited,
    async stop(signal = "SIGINT") {
      try {
        child.kill(signal);
      } catch {
        // Already exited.
      }
      await endInput();
      return await exited();
    },
    async [Symbol.asyncDispose]() {
      await endInput();
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
      await exited();
    },
  };
}

/** What a local site saw of one request (Deno's Request is gone once answered). */
export interface SeenRequest {
  method: string;
  url: string;
  headers: Headers;
}

/** A local HTTP server for one test. */
export interface LocalSite extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  url: string;
  /** The requests seen so far. */
  requests: SeenRequest[];
  close(): Promise<void>;
}

/** Serves `handler` on 127.0.0.1, on a free port. */
export function serveLocal(
  handler: (req: Request) => Response | Promise<Response>,
): LocalSite {
  const requests: SeenRequest[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req) => {
      requests.push({
        method: req.method,
        url: req.url,
        headers: new Headers(req.headers),
      });
      return handler(req);
    },
  );
  const close = async () => {
    await server.shutdown();
  };
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    requests,
    close,
    [Symbol.asyncDispose]: close,
  };
}
