/**
 * Runs an example as its header comment says (`deno run -A examples/x.ts
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
  /** `deno run` permission flags (default `-A`, as the headers say). */
  permissions?: string[];
  /**
   * Run in this folder instead of the repository root (for examples that
   * write files); the example is then named by its absolute path.
   */
  cwd?: string;
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
  const env = Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([k]) => !/_proxy$/i.test(k)),
  );
  Object.assign(env, { NO_COLOR: "1" }, options.env);
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      ...(options.permissions ?? ["-A"]),
      options.cwd ? `${ROOT}examples/${name}` : `examples/${name}`,
      ...args,
    ],
    cwd: options.cwd ?? ROOT,
    clearEnv: true,
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
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
