/**
 * `serve_workers`: one `HTTPServer` on several processes sharing a port,
 * to use every CPU core.
 *
 * @module
 */
import { Supervisor } from "./_supervisor.ts";
import { serveAsWorker, workerSlot } from "./_worker.ts";
import type { RequestHandlerClass } from "./base_handler.ts";
import {
  type HTTPServer,
  type ServerAddress,
  ThreadingHTTPServer,
} from "./server.ts";

/** Keyword options of {@linkcode serve_workers}. */
export interface ServeWorkersOptions {
  /** How many processes: a number, or `"auto"` for one per CPU (default). */
  workers?: number | "auto";
  /**
   * The server class each worker runs (default `ThreadingHTTPServer`, as
   * `python -m http.server` runs: with a plain `HTTPServer` one idle
   * connection holds up every client its worker is given). Its
   * `daemon_threads` is `true`, as Python's, so stopping the workers ends
   * requests still running; a class with `daemon_threads = false` lets
   * them finish (within the 5 s a worker is given to stop).
   */
  server_class?: typeof HTTPServer;
  /**
   * More `deno run` flags for the workers, e.g. `--config deno.json` or
   * `--allow-read=./public` (they get every permission the supervisor
   * holds in full, plus `--unstable-net`).
   */
  deno_args?: readonly string[];
}

/** The running workers, as the supervising process sees them. */
export interface WorkerGroup extends AsyncDisposable {
  /** The address they all listen on, with the real port. */
  readonly server_address: readonly [string, number];
  /** The port they listen on. */
  readonly server_port: number;
  /** The process ids of the workers running now. */
  readonly pids: readonly number[];
  /**
   * Resolves with the exit status once the workers have stopped: 0 after
   * SIGINT, SIGTERM or `shutdown()`, 1 when every worker died.
   */
  serve_forever(): Promise<number>;
  /** Stops every worker; resolves once all have exited. */
  shutdown(): Promise<void>;
}

function workerCount(workers: number | "auto"): number {
  const count = workers === "auto" ? navigator.hardwareConcurrency : workers;
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(
      `workers must be "auto" or a whole number of at least 1, not ${
        // A string quoted; a number as it is (JSON would write NaN as null).
        typeof workers === "string"
          ? JSON.stringify(workers)
          : String(workers)}`,
    );
  }
  return count;
}

/**
 * Serves `RequestHandlerClass` on `server_address` with several processes
 * listening on the same port; Linux spreads connections among them
 * (`SO_REUSEPORT`). Not in Python, where `http.server` uses one process.
 *
 * Call it from your main module. The supervising process checks the
 * address (so a port in use fails here, as with `HTTPServer`), then
 * starts the workers: each runs your main module again with the same
 * arguments, and there this same call serves (the address the supervisor
 * found, with `allow_reuse_port`) until the worker is told to stop, then
 * ends the process. In the supervisor it resolves once all workers
 * listen. Their output (the request log) is merged into the supervisor's,
 * line by line; a worker that dies is reported and replaced; SIGINT and
 * SIGTERM stop them all, and a worker whose supervisor is gone (even
 * killed) stops by itself. Code before the call runs in every process.
 * Workers need Deno's `--unstable-net`, which the supervisor passes them;
 * Linux only.
 *
 * @throws {RangeError} When `workers` is not a positive whole number or `"auto"`.
 * @throws {Deno.errors.AddrInUse} When the port is taken.
 *
 * The whole program, as `examples/workers_server.ts` runs it:
 *
 *     class Hello extends BaseHTTPRequestHandler { do_GET() { ... } }
 *     await using group = await serve_workers(["", 8000], Hello);
 *     console.log(`Serving on port ${group.server_port}`);
 *     Deno.exit(await group.serve_forever());
 *
 * @example A worker count is checked before anything starts
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { BaseHTTPRequestHandler, serve_workers } from "@pyport/web/http/server";
 * const refused = await serve_workers(["127.0.0.1", 0], BaseHTTPRequestHandler, {
 *   workers: 0,
 * }).then(() => false, (error) => error instanceof RangeError);
 * ok(refused);
 * ```
 */
export async function serve_workers(
  server_address: ServerAddress,
  RequestHandlerClass: RequestHandlerClass,
  options: ServeWorkersOptions = {},
): Promise<WorkerGroup> {
  const count = workerCount(options.workers ?? "auto");
  const ServerClass = options.server_class ?? ThreadingHTTPServer;
  const slot = workerSlot();
  if (slot) {
    const server = new ServerClass(
      [slot.host, slot.port],
      RequestHandlerClass,
      {
        bind_and_activate: false,
      },
    );
    server.allow_reuse_port = true;
    server.server_bind();
    server.server_activate();
    await serveAsWorker(server);
    Deno.exit(0);
  }
  if (count > 1 && Deno.build.os !== "linux") {
    throw new Error("serve_workers with more than one worker needs Linux");
  }
  const check = new ServerClass(server_address, RequestHandlerClass);
  const [host, port] = check.server_address;
  await check.server_close();
  const supervisor = new Supervisor({
    workers: count,
    host,
    port,
    denoArgs: options.deno_args ?? [],
  });
  await supervisor.start();
  return {
    server_address: [host, port],
    server_port: port,
    get pids() {
      return supervisor.pids;
    },
    serve_forever: () => supervisor.untilStopped(),
    shutdown: () => supervisor.stop(),
    [Symbol.asyncDispose]: () => supervisor.stop(),
  };
}
