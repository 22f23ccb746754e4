/**
 * `BaseServer`: the request loop every server class of Python's
 * `socketserver` shares — wait for a request, verify it, process it, close
 * it — with `serve_forever`, `handle_request` and `shutdown` as promises.
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, `BaseServer`.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import {
  adoptClassFields,
  classAttributes,
} from "../_util/class_attributes.ts";
import { flushStderr, traceOf, writeStderr } from "../_util/stderr.ts";
import type { BaseRequestHandler } from "./request_handler.ts";
import { runHandler } from "./_run.ts";
import { pyArgs } from "../_util/py_args.ts";
import { printedAddress } from "./_address.ts";

/**
 * An address as Python's `socket` module gives it: `[host, port]` for
 * TCP and UDP, a path for Unix sockets.
 */
export type Address = readonly [host: string, port: number] | string;

/**
 * A request handler class: constructed with `(request, client_address,
 * server)` for each request (or connection), then run.
 */
export type RequestHandlerClass<R = unknown> = new (
  request: R,
  client_address: Address,
  server: BaseServer<R>,
) => BaseRequestHandler<R>;

/** The `poll_interval` keyword of `serve_forever()`. */
export interface ServeForeverOptions {
  /** Seconds between calls of `service_actions()` while idle (default 0.5). */
  poll_interval?: number;
}

const SHUTDOWN = Symbol("shutdown");
const POLL = Symbol("poll");
const NOTHING = Symbol("nothing");

/**
 * Serving a closed server: Python's `ValueError` (from registering the
 * closed socket, "Invalid file descriptor: -1"), a malformed use here.
 */
function closedServer(method: string): TypeError {
  return new TypeError(
    `${method}() on a server that is closed or not bound`,
  );
}

/**
 * An accepted request, `null` when accepting failed as a socket fails, or
 * an override's error.
 */
type Accepted<R> = [R, Address] | AcceptFailure | null;

/**
 * An error `get_request()` raised that is not the socket's own (Python's
 * `OSError`, after which a server waits for the next request): it ends
 * `serve_forever()` or `handle_request()`, as in Python.
 */
class AcceptFailure {
  constructor(readonly error: unknown) {}
}

/**
 * Whether `error` is a failure of the system (Python's `OSError`): one of
 * Deno's I/O errors, one it leaves unnamed (`Too many open files (os error
 * 24)`), or a `node:` socket's (with its `code`, `EMFILE`).
 */
function isOSError(error: unknown): boolean {
  if (Object.values(Deno.errors).some((kind) => error instanceof kind)) {
    return true;
  }
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return /\(os error \d+\)/.test(error.message) ||
    (typeof code === "string" && /^E[A-Z0-9]+$/.test(code));
}

/**
 * The server whose `serve_forever()` loop is handling the request the
 * running code belongs to: a handler that calls `shutdown()` must not
 * wait for the loop, which waits for that handler.
 */
const loopRequestOf = new AsyncLocalStorage<object>();

/**
 * Python's `socketserver.BaseServer`: the loop that waits for a request,
 * checks it with `verify_request`, hands it to `process_request` and closes
 * it with `shutdown_request`, calling `handle_error` when handling throws.
 * Subclasses provide `get_request()`; see {@linkcode TCPServer}.
 *
 * As in Python, a plain server handles one request at a time: the next is
 * accepted once the previous one is finished. {@linkcode ThreadingMixIn}
 * makes each request its own concurrent task.
 *
 * Differences from Python: `serve_forever()`, `handle_request()`,
 * `shutdown()` and `server_close()` return promises; `shutdown()` may be
 * awaited from a handler or anywhere else (Python's deadlocks when called
 * from the serving thread); `handle_error` also receives the error, since
 * JavaScript has no `sys.exc_info()`.
 *
 * @example A server whose requests are numbers, handled one at a time
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { BaseRequestHandler, BaseServer } from "@pyport/web/socketserver";
 * const seen: number[] = [];
 * class Numbers extends BaseServer<number> {
 *   #next = 0;
 *   protected override get_request(): Promise<[number, string]> {
 *     return Promise.resolve([this.#next++, "local"]);
 *   }
 * }
 * class Record extends BaseRequestHandler<number> {
 *   override handle(): void {
 *     seen.push(this.request);
 *   }
 * }
 * const server = new Numbers("local", Record);
 * await server.handle_request();
 * await server.handle_request();
 * deepEqual(seen, [0, 1]);
 * ```
 */
export abstract class BaseServer<R = unknown> implements AsyncDisposable {
  /** Seconds `handle_request()` waits for a request; `null`: for ever. */
  declare timeout: number | null;
  /** The address served (for most servers, the real one once bound). */
  server_address: Address;
  /** The class instantiated to handle each request. */
  RequestHandlerClass: RequestHandlerClass<R>;

  /** `timeout` for the class and its subclasses (a Python class attribute). */
  declare static timeout: number | null;

  static {
    classAttributes<BaseServer<unknown>>(this, { timeout: null });
  }

  #shutdownRequested = false;
  /** Whether the `serve_forever()` loop is waiting for a request in hand. */
  #handling = false;
  #wakeForShutdown: (() => void) | null = null;
  #loopDone: Promise<void> | null = null;
  /** Whether a `get_request()` is in progress. */
  #accepting = false;
  /** What an accept brought while no wait was waiting for it. */
  #acceptedEarly: Accepted<R> | typeof NOTHING = NOTHING;
  /**
   * The waits in progress, first come first served: `serve_forever()`'s
   * and any `handle_request()` calls beside it each get a request of their
   * own.
   */
  #waiters: ((next: Accepted<R>) => void)[] = [];

  /** Records the address and handler class; binds nothing. */
  constructor(
    server_address: Address,
    RequestHandlerClass: RequestHandlerClass<R>,
  ) {
    adoptClassFields(new.target);
    this.server_address = server_address;
    this.RequestHandlerClass = RequestHandlerClass;
  }

  /** Waits for and returns the next request and its client's address. */
  protected abstract get_request(): Promise<[R, Address]>;

  /** Whether the server can no longer produce requests (it was closed). */
  protected get_request_closed(): boolean {
    return false;
  }

  /** Called by constructors to start listening; a hook (no-op here). */
  server_activate(): void {}

  /**
   * Handles requests one after another until `shutdown()` is called, then
   * resolves. `service_actions()` runs after each request and every
   * `poll_interval` seconds while idle. Rejects with a `TypeError` (Python's
   * `ValueError`) when the server is closed.
   */
  serve_forever(poll_interval?: number): Promise<void>;
  /** `serve_forever()` with `poll_interval` given as a keyword. */
  serve_forever(options: ServeForeverOptions): Promise<void>;
  serve_forever(...args: unknown[]): Promise<void> {
    let poll: number;
    try {
      poll = pyArgs({
        fn: "serve_forever",
        names: ["poll_interval"] as const,
        defaults: { poll_interval: 0.5 as number },
      }, args).poll_interval;
    } catch (e) {
      return Promise.reject(e);
    }
    if (this.#loopDone) {
      return Promise.reject(new Error("serve_forever() is already running"));
    }
    if (this.get_request_closed()) {
      return Promise.reject(closedServer("serve_forever"));
    }
    const done = this.#serve(poll).finally(() => {
      this.#shutdownRequested = false;
      this.#loopDone = null;
    });
    this.#loopDone = done;
    return done;
  }

  async #serve(pollInterval: number): Promise<void> {
    // Python's loop wakes every poll_interval so that service_actions() runs
    // while idle; only a server that overrides it needs the timer.
    const polls = this.service_actions !== BaseServer.prototype.service_actions;
    try {
      while (!this.#shutdownRequested) {
        const next = await this.#waitForRequest(
          true,
          polls ? pollInterval : null,
        );
        if (next instanceof AcceptFailure) throw next.error;
        if (next === SHUTDOWN || this.#shutdownRequested) break;
        if (next === null) {
          // The server was closed under the loop; or accepting failed (out
          // of file descriptors, say): wait a moment rather than spin.
          if (this.get_request_closed()) break;
          await new Promise((resolve) => setTimeout(resolve, 10));
        } else if (next !== POLL) {
          this.#handling = true;
          try {
            await loopRequestOf.run(this, handleAccepted, this, ...next);
          } finally {
            this.#handling = false;
          }
        }
        this.service_actions();
      }
    } finally {
      this.#wakeForShutdown = null;
    }
  }

  /**
   * The next request, or `SHUTDOWN` (when `shutdown()` may wake it), or
   * `POLL` when `seconds` pass first, or `null` when getting it failed. A
   * request that arrives after a shutdown or timeout is kept for the next
   * call, as a listen queue would.
   */
  #waitForRequest(
    wakesOnShutdown: boolean,
    seconds: number | null,
  ): Promise<Accepted<R> | typeof SHUTDOWN | typeof POLL> {
    const early = this.#acceptedEarly;
    if (early !== NOTHING) {
      this.#acceptedEarly = NOTHING;
      return Promise.resolve(early);
    }
    return new Promise((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const wake = () => settle(SHUTDOWN);
      const settle = (next: Accepted<R> | typeof SHUTDOWN | typeof POLL) => {
        const waiters = this.#waiters;
        const at = waiters.indexOf(settle);
        if (at !== -1) waiters.splice(at, 1);
        if (this.#wakeForShutdown === wake) this.#wakeForShutdown = null;
        clearTimeout(timer);
        resolve(next);
      };
      this.#waiters.push(settle);
      if (wakesOnShutdown) this.#wakeForShutdown = wake;
      if (seconds !== null) {
        timer = setTimeout(() => settle(POLL), Math.max(0, seconds * 1000));
      }
      this.#accept();
    });
  }

  /**
   * Starts an accept unless one is running. One at a time, with one
   * reaction: a wait that ends first (shutdown, poll) leaves it running for
   * the next wait. Racing each wait against long-lived promises would
   * leave a reaction on them per wait, kept for as long as the server runs.
   */
  #accept(): void {
    if (this.#accepting) return;
    this.#accepting = true;
    let request: Promise<[R, Address]>;
    try {
      request = this.get_request();
    } catch (error) {
      request = Promise.reject(error);
    }
    request.then(
      (request) => this.#arrived(request),
      // Python ignores an accept() that fails (OSError) and waits again;
      // any other error of an override ends the caller.
      (error) =>
        this.#arrived(isOSError(error) ? null : new AcceptFailure(error)),
    );
  }

  #arrived(next: Accepted<R>): void {
    this.#accepting = false;
    const first = this.#waiters[0];
    if (first === undefined) {
      this.#acceptedEarly = next;
      return;
    }
    first(next);
    // Another wait still wants a request of its own.
    if (this.#waiters.length > 0) this.#accept();
  }

  /**
   * Stops `serve_forever()`; resolves once its loop has ended, after the
   * request it is handling. Called from that request's handler, it
   * resolves at once, and the loop ends when the handler is done (Python's
   * deadlocks). Called while no loop runs, it resolves at once, and the
   * next `serve_forever()` returns at once, as Python's.
   */
  shutdown(): Promise<void> {
    this.#shutdownRequested = true;
    const loop = this.#loopDone;
    if (!loop) return Promise.resolve();
    this.#wakeForShutdown?.();
    if (this.#handling && loopRequestOf.getStore() === this) {
      return Promise.resolve();
    }
    return loop;
  }

  /** Called by `serve_forever()` after each request and while idle; a hook (no-op). */
  service_actions(): void {}

  /**
   * Waits for one request (at most `timeout` seconds, else calls
   * `handle_timeout()`) and handles it; resolves when it is done.
   *
   * @throws {TypeError} When the server is closed (Python's `ValueError`).
   */
  async handle_request(): Promise<void> {
    if (this.get_request_closed()) throw closedServer("handle_request");
    while (true) {
      const next = await this.#waitForRequest(false, this.timeout);
      if (next === POLL) return this.handle_timeout();
      if (next instanceof AcceptFailure) throw next.error;
      // As Python's: an accept that failed (OSError) ends this call.
      if (next === null) return;
      if (next !== SHUTDOWN) return await handleAccepted(this, ...next);
    }
  }

  /** Called when `handle_request()` waited `timeout` seconds in vain; a hook (no-op). */
  handle_timeout(): void {}

  /** Whether to handle `request` (default `true`); a `false` closes it unhandled. */
  verify_request(_request: R, _client_address: Address): boolean {
    return true;
  }

  /**
   * Handles `request` and closes it: `finish_request` then
   * `shutdown_request`. {@linkcode ThreadingMixIn} overrides it to run
   * concurrently.
   */
  async process_request(
    request: R,
    client_address: Address,
  ): Promise<void> {
    await this.finish_request(request, client_address);
    await this.shutdown_request(request);
  }

  /**
   * Cleans up the server (`TCPServer` closes its socket first). A
   * connection accepted after the loop stopped, which no request handler
   * will ever take, is closed: Python leaves it in the listen queue, which
   * closing the socket ends too.
   */
  server_close(): void | Promise<void> {
    const early = this.#acceptedEarly;
    this.#acceptedEarly = NOTHING;
    flushStderr();
    // A promise in every case, as the README says (`server_close().then`);
    // the declared type still lets an override return nothing.
    if (Array.isArray(early)) {
      return Promise.resolve(this.close_request(early[0]));
    }
    return Promise.resolve();
  }

  /**
   * Handles `request` by constructing `RequestHandlerClass` and running its
   * `setup()`, `handle()` and `finish()`; resolves when they are done. An
   * override should return (or await) `super.finish_request(...)`.
   */
  async finish_request(request: R, client_address: Address): Promise<void> {
    await runHandler(
      new this.RequestHandlerClass(request, client_address, this),
    );
  }

  /** Shuts down and closes `request` (here: `close_request`). */
  shutdown_request(request: R): void | Promise<void> {
    return this.close_request(request);
  }

  /** Closes `request` (no-op here). */
  close_request(_request: R): void | Promise<void> {}

  /**
   * Reports an error raised while handling a request and carries on: a
   * dashed block on stderr naming the client, then the stack, as Python
   * prints it. It is written before `handle_error` returns (with any log
   * lines queued before it), not batched as log lines are, so that it comes
   * before whatever the program prints next, as Python's does.
   */
  handle_error(
    _request: R | null,
    client_address: Address | null,
    error?: unknown,
  ): void {
    const client = printedAddress(client_address);
    const trace = traceOf(error);
    const rule = "-".repeat(40);
    writeStderr(
      `${rule}\nException occurred during processing of request from ${client}\nTraceback (most recent call last):\n${trace}\n${rule}\n`,
    );
    flushStderr();
  }

  /** Stops serving and closes the server: `await using server = ...`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
    await this.server_close();
  }
}

/**
 * Python's `_handle_request_noblock` for a request already accepted:
 * verify, process, and clean up after an error. The fetch adapter uses it
 * for the connections it makes.
 */
export async function handleAccepted<R>(
  server: BaseServer<R>,
  request: R,
  client: Address,
): Promise<void> {
  if (!server.verify_request(request, client)) {
    await server.shutdown_request(request);
    return;
  }
  try {
    await server.process_request(request, client);
  } catch (error) {
    server.handle_error(request, client, error);
    await server.shutdown_request(request);
  }
}
