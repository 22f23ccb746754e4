/**
 * `ThreadingMixIn` and the server classes built with it: each request
 * handled as its own concurrent task on Deno's event loop.
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, `ThreadingMixIn`,
 * `ThreadingTCPServer`, `ThreadingUDPServer`, `ThreadingUnixStreamServer`
 * and `ThreadingUnixDatagramServer`.
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { classAttributes } from "../_util/class_attributes.ts";
import { traceOf, writeStderr } from "../_util/stderr.ts";
import type { Address, BaseServer } from "./base_server.ts";
import { TCPServer, UnixStreamServer } from "./tcp_server.ts";
import {
  type DatagramRequest,
  UDPServer,
  UnixDatagramServer,
} from "./udp_server.ts";
import type { StreamConnection } from "./_socket_io.ts";

/** A concrete or abstract server class, the argument of {@linkcode ThreadingMixIn}. */
// A mixin's base must take `any[]` (TypeScript's rule for mixins), and any
// request type: the mixin only passes requests through.
// deno-lint-ignore no-explicit-any
export type ServerClass = abstract new (...args: any[]) => BaseServer<any>;

/** What {@linkcode ThreadingMixIn} adds to a server class. */
export interface ThreadingServer<R> {
  /** When `true`, `server_close()` does not wait for requests still running (default `false`). */
  daemon_threads: boolean;
  /** When `true` (default), `server_close()` waits for requests still running. */
  block_on_close: boolean;
  /** Handles one request in its own task: `finish_request`, `handle_error`, `shutdown_request`. */
  process_request_thread(request: R, client_address: Address): Promise<void>;
}

/**
 * What Python's `threading.excepthook` does for an exception that escapes
 * a request's thread (here: `handle_error` or `shutdown_request` threw):
 * report it on stderr; the server goes on. Unreported, the rejection
 * would end the process.
 */
function reportUncaught(error: unknown): void {
  writeStderr(
    `Exception in thread process_request_thread:\n${traceOf(error)}\n`,
  );
}

/**
 * The class {@linkcode ThreadingMixIn} returns: `Base`'s statics and
 * constructor arguments, building `Base`'s instances with
 * {@linkcode ThreadingServer}'s members added.
 */
export type ThreadingServerClass<T extends ServerClass> =
  & Omit<T, "prototype">
  & { daemon_threads: boolean; block_on_close: boolean }
  & (new (
    ...args: ConstructorParameters<T>
  ) =>
    & InstanceType<T>
    & ThreadingServer<unknown>
    // `TCPServer` and `UDPServer` are generic in their address, `[host,
    // port]` unless a Unix subclass says a path; `InstanceType` of the
    // generic class sees only the constraint (either), so restore the
    // default.
    & (Address extends InstanceType<T>["server_address"]
      ? { server_address: readonly [host: string, port: number] }
      : unknown));

/**
 * Python's `socketserver.ThreadingMixIn`, as a function: it returns a
 * subclass of `Base` whose `process_request` starts each request as its own
 * task and returns at once, so `serve_forever()` accepts the next request
 * while earlier ones are still running. Write Python's
 * `class S(ThreadingMixIn, UDPServer)` as
 * `class S extends ThreadingMixIn(UDPServer) {}`.
 *
 * There are no threads: tasks share one event loop, so a handler that
 * computes for a long time without awaiting still holds up the others.
 * `block_on_close` is honoured (`server_close()` resolves once the tasks
 * have ended); with `daemon_threads`, `server_close()` does not wait, but
 * running tasks still keep the process alive until their connections close.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { TCPServer, ThreadingMixIn } from "@pyport/web/socketserver";
 * class MyThreadingServer extends ThreadingMixIn(TCPServer) {}
 * const server = new MyThreadingServer(["127.0.0.1", 0], class {} as never, false);
 * assert(server.block_on_close && !server.daemon_threads);
 * ```
 */
export function ThreadingMixIn<T extends ServerClass>(
  Base: T,
): ThreadingServerClass<T> {
  abstract class Threading extends Base {}
  installThreading(Threading, Base);
  return Threading as unknown as ThreadingServerClass<T>;
}

type Threaded = BaseServer<unknown> & ThreadingServer<unknown>;

/**
 * The requests a server is running: a count and one promise for when it
 * falls to zero, rather than a Set of tasks. A Set that takes in and lets
 * go of a task per request keeps replacing its table, and a replaced table
 * left in the old generation still points at young tasks: each scavenge
 * then keeps (and promotes) finished requests with all they hold.
 */
interface RunningTasks {
  count: number;
  allDone: Promise<void> | null;
  resolveAllDone: () => void;
  /** Requests waiting in `server_close()` for the others. */
  closing: number;
  othersDone: Promise<void> | null;
  resolveOthersDone: () => void;
}

const runningTasks = new WeakMap<BaseServer<unknown>, RunningTasks>();

function runningTasksOf(server: BaseServer<unknown>): RunningTasks {
  let tasks = runningTasks.get(server);
  if (tasks === undefined) {
    tasks = {
      count: 0,
      allDone: null,
      resolveAllDone: () => {},
      closing: 0,
      othersDone: null,
      resolveOthersDone: () => {},
    };
    runningTasks.set(server, tasks);
  }
  return tasks;
}

/** Wakes the requests closing the server once only they are left. */
function wakeClosers(tasks: RunningTasks): void {
  if (tasks.count !== tasks.closing || tasks.othersDone === null) return;
  tasks.othersDone = null;
  tasks.resolveOthersDone();
}

function taskEnded(tasks: RunningTasks): void {
  tasks.count--;
  wakeClosers(tasks);
  if (tasks.count > 0 || tasks.allDone === null) return;
  tasks.allDone = null;
  tasks.resolveAllDone();
}

/** Resolves once no request of `tasks` runs. */
function allTasksDone(tasks: RunningTasks): Promise<void> {
  if (tasks.count === 0) return Promise.resolve();
  tasks.allDone ??= new Promise((resolve) => (tasks.resolveAllDone = resolve));
  return tasks.allDone;
}

/** A running request, as the code it runs (and what it starts) sees it. */
interface RequestTask {
  readonly server: BaseServer<unknown>;
  /** Whether the request has ended (a timer it started may still run). */
  ended: boolean;
  /** Whether it waits in `server_close()` for the others. */
  closing: boolean;
}

/**
 * The request the running code belongs to, for the servers whose
 * `server_close()` waits for their requests: a request that closes its own
 * server must not wait for itself.
 */
const requestOf = new AsyncLocalStorage<RequestTask>();

/**
 * Resolves once every request of `tasks` but `self` has ended (Python's
 * `join` of the current thread raises instead). Requests that close the
 * server at once wait for the others, not for each other; a
 * `server_close()` from outside still waits for them all.
 */
async function otherTasksDone(
  tasks: RunningTasks,
  self: RequestTask,
): Promise<void> {
  const counted = !self.closing;
  if (counted) {
    self.closing = true;
    tasks.closing++;
  }
  try {
    if (tasks.count === tasks.closing) return wakeClosers(tasks);
    tasks.othersDone ??= new Promise((resolve) =>
      tasks.resolveOthersDone = resolve
    );
    await tasks.othersDone;
  } finally {
    if (counted) {
      self.closing = false;
      tasks.closing--;
    }
  }
}

/**
 * Gives `cls` (a subclass of `Base`) what `ThreadingMixIn` adds. The named
 * classes below get it this way rather than by extending
 * `ThreadingMixIn(Base)`, so that each is a plain subclass of its base in
 * the published types (JSR's documentation cannot follow a computed base).
 */
export function installThreading(cls: ServerClass, Base: ServerClass): void {
  const closeBase = Base.prototype.server_close;
  const members: ThisType<Threaded> & {
    process_request(request: unknown, client_address: Address): Promise<void>;
    process_request_thread(
      request: unknown,
      client_address: Address,
    ): Promise<void>;
    server_close(): Promise<void>;
  } = {
    process_request(request, client_address) {
      const tasks = runningTasksOf(this);
      tasks.count++;
      // Async, so that an override that throws at once (or returns no
      // promise) still ends its task: the count must come down.
      const run = async () =>
        await this.process_request_thread(request, client_address);
      // Only a server that waits for its requests needs to know which one
      // is running; the others skip the context's cost.
      let self: RequestTask | null = null;
      if (this.block_on_close && !this.daemon_threads) {
        self = { server: this, ended: false, closing: false };
      }
      const task = self ? requestOf.run(self, run) : run();
      task.catch((error) => {
        reportUncaught(error);
        // The request's socket goes with its thread in CPython (reference
        // counting closes it): close it, or the client would wait.
        return Promise.resolve()
          .then(() => this.close_request(request))
          .catch(() => {});
      }).finally(() => {
        if (self) self.ended = true;
        taskEnded(tasks);
      });
      return Promise.resolve();
    },
    async process_request_thread(request, client_address) {
      try {
        await this.finish_request(request, client_address);
      } catch (error) {
        this.handle_error(request, client_address, error);
      } finally {
        try {
          await this.shutdown_request(request);
        } catch (error) {
          this.handle_error(request, client_address, error);
        }
      }
    },
    async server_close() {
      await closeBase.call(this);
      const tasks = runningTasks.get(this);
      if (tasks && this.block_on_close && !this.daemon_threads) {
        // A request of this server that is still running waits for the
        // others; anything else (a timer a finished request started) for all.
        const self = requestOf.getStore();
        await (self?.server === this && !self.ended
          ? otherTasksDone(tasks, self)
          : allTasksDone(tasks));
      }
    },
  };
  Object.assign(cls.prototype, members);
  classAttributes<ThreadingServer<unknown>>(
    cls as unknown as { prototype: ThreadingServer<unknown> },
    { daemon_threads: false, block_on_close: true },
  );
}

/**
 * Python's `socketserver.ThreadingTCPServer`: a {@linkcode TCPServer} that
 * handles each connection as its own task, so many clients are served at
 * once (a chat server, say).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { StreamRequestHandler, ThreadingTCPServer } from "@pyport/web/socketserver";
 * class Echo extends StreamRequestHandler {
 *   override async handle(): Promise<void> {
 *     for await (const line of this.rfile) this.wfile.write(line);
 *   }
 * }
 * await using server = new ThreadingTCPServer(["127.0.0.1", 0], Echo);
 * void server.serve_forever();
 * const [, port] = server.server_address;
 * // Two clients at once: the second is answered while the first stays open.
 * const first = await Deno.connect({ hostname: "127.0.0.1", port });
 * const second = await Deno.connect({ hostname: "127.0.0.1", port });
 * await second.write(new TextEncoder().encode("two\n"));
 * const reply = new Uint8Array(8);
 * const n = await second.read(reply);
 * equal(new TextDecoder().decode(reply.subarray(0, n ?? 0)), "two\n");
 * first.close();
 * second.close();
 * await server.shutdown();
 * ```
 */
export class ThreadingTCPServer extends TCPServer {
  /** `daemon_threads` for the class and its subclasses (a Python class attribute). */
  declare static daemon_threads: boolean;
  /** `block_on_close` for the class and its subclasses (a Python class attribute). */
  declare static block_on_close: boolean;

  static {
    installThreading(this, TCPServer);
  }
}

/** What {@linkcode ThreadingMixIn} gives `ThreadingTCPServer`: `daemon_threads`, `block_on_close`, `process_request_thread`. */
export interface ThreadingTCPServer extends ThreadingServer<StreamConnection> {}

/**
 * Python's `socketserver.ThreadingUnixStreamServer`: a
 * {@linkcode UnixStreamServer} handling each connection as its own task.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import {
 *   StreamRequestHandler,
 *   ThreadingUnixStreamServer,
 *   UnixStreamServer,
 * } from "@pyport/web/socketserver";
 * const path = `${await Deno.makeTempDir()}/chat.sock`;
 * const server = new ThreadingUnixStreamServer(path, StreamRequestHandler, false);
 * assert(server instanceof UnixStreamServer && server.block_on_close);
 * ```
 */
export class ThreadingUnixStreamServer extends UnixStreamServer {
  /** `daemon_threads` for the class and its subclasses (a Python class attribute). */
  declare static daemon_threads: boolean;
  /** `block_on_close` for the class and its subclasses (a Python class attribute). */
  declare static block_on_close: boolean;

  static {
    installThreading(this, UnixStreamServer);
  }
}

/** What {@linkcode ThreadingMixIn} gives `ThreadingUnixStreamServer`: `daemon_threads`, `block_on_close`, `process_request_thread`. */
export interface ThreadingUnixStreamServer
  extends ThreadingServer<StreamConnection> {}

/**
 * Python's `socketserver.ThreadingUDPServer`: a {@linkcode UDPServer} that
 * handles each datagram as its own task, so a slow answer does not hold up
 * the next datagram.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import dgram from "node:dgram";
 * import { DatagramRequestHandler, ThreadingUDPServer } from "@pyport/web/socketserver";
 * class Echo extends DatagramRequestHandler {
 *   override async handle(): Promise<void> {
 *     this.wfile.write(await this.rfile.read());
 *   }
 * }
 * await using server = new ThreadingUDPServer(["127.0.0.1", 0], Echo);
 * void server.serve_forever();
 * const [host, port] = server.server_address;
 * const client = dgram.createSocket("udp4");
 * const reply = new Promise<string>((resolve) =>
 *   client.once("message", (msg) => resolve(String(msg)))
 * );
 * client.send("ping", port, host);
 * equal(await reply, "ping");
 * client.close();
 * ```
 */
export class ThreadingUDPServer extends UDPServer {
  /** `daemon_threads` for the class and its subclasses (a Python class attribute). */
  declare static daemon_threads: boolean;
  /** `block_on_close` for the class and its subclasses (a Python class attribute). */
  declare static block_on_close: boolean;

  static {
    installThreading(this, UDPServer);
  }
}

/** What {@linkcode ThreadingMixIn} gives `ThreadingUDPServer`: `daemon_threads`, `block_on_close`, `process_request_thread`. */
export interface ThreadingUDPServer extends ThreadingServer<DatagramRequest> {}

/**
 * Python's `socketserver.ThreadingUnixDatagramServer`: a
 * {@linkcode UnixDatagramServer} handling each datagram as its own task
 * (needs `--unstable-net`, as `UnixDatagramServer` does).
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { ThreadingUnixDatagramServer, UnixDatagramServer } from "@pyport/web/socketserver";
 * assert(ThreadingUnixDatagramServer.prototype instanceof UnixDatagramServer);
 * ```
 */
export class ThreadingUnixDatagramServer extends UnixDatagramServer {
  /** `daemon_threads` for the class and its subclasses (a Python class attribute). */
  declare static daemon_threads: boolean;
  /** `block_on_close` for the class and its subclasses (a Python class attribute). */
  declare static block_on_close: boolean;

  static {
    installThreading(this, UnixDatagramServer);
  }
}

/** What {@linkcode ThreadingMixIn} gives `ThreadingUnixDatagramServer`: `daemon_threads`, `block_on_close`, `process_request_thread`. */
export interface ThreadingUnixDatagramServer
  extends ThreadingServer<DatagramRequest> {}
