/**
 * `ThreadingMixIn` and the server classes built with it: each request
 * handled as its own concurrent task on Deno's event loop.
 *
 * Follows CPython 3.13 `Lib/socketserver.py`, `ThreadingMixIn`,
 * `ThreadingTCPServer` and `ThreadingUnixStreamServer`.
 *
 * @module
 */
import type { Address, BaseServer } from "./base_server.ts";
import { TCPServer, UnixStreamServer } from "./tcp_server.ts";

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
 * The class {@linkcode ThreadingMixIn} returns: `Base`'s statics and
 * constructor arguments, building `Base`'s instances with
 * {@linkcode ThreadingServer}'s members added.
 */
export type ThreadingServerClass<T extends ServerClass> =
  & Omit<T, "prototype">
  & (new (
    ...args: ConstructorParameters<T>
  ) => InstanceType<T> & ThreadingServer<unknown>);

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
  abstract class Threading extends Base implements ThreadingServer<unknown> {
    declare daemon_threads: boolean;
    declare block_on_close: boolean;
    #running = new Set<Promise<void>>();

    static {
      Object.assign(this.prototype, {
        daemon_threads: false,
        block_on_close: true,
      });
    }

    override process_request(
      request: unknown,
      client_address: Address,
    ): Promise<void> {
      const task = this.process_request_thread(request, client_address);
      this.#running.add(task);
      task.finally(() => this.#running.delete(task));
      return Promise.resolve();
    }

    async process_request_thread(
      request: unknown,
      client_address: Address,
    ): Promise<void> {
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
    }

    override async server_close(): Promise<void> {
      await super.server_close();
      if (this.block_on_close && !this.daemon_threads) {
        await Promise.allSettled([...this.#running]);
      }
    }
  }
  return Threading as unknown as ThreadingServerClass<T>;
}

/**
 * `ThreadingMixIn(Base)` under Python's class `name`, with class attributes
 * `defaults` on its prototype: how the `Threading*` server classes are
 * made. They are constants of a constructor type rather than class
 * declarations so that their types stay explicit (JSR's fast-check rule
 * refuses a computed superclass); `new`, `extends` and `instanceof` work
 * on them as on classes.
 */
export function threadingClass<T extends ServerClass>(
  Base: T,
  name: string,
  defaults: Record<string, unknown> = {},
): ThreadingServerClass<T> {
  const made = ThreadingMixIn(Base);
  Object.defineProperty(made, "name", { value: name });
  Object.assign((made as unknown as { prototype: object }).prototype, defaults);
  return made;
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
 * const [, port] = server.server_address as [string, number];
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
export const ThreadingTCPServer: ThreadingServerClass<typeof TCPServer> =
  threadingClass(TCPServer, "ThreadingTCPServer");
/** An instance of {@linkcode ThreadingTCPServer}. */
export type ThreadingTCPServer = InstanceType<typeof ThreadingTCPServer>;

/**
 * Python's `socketserver.ThreadingUnixStreamServer`: a
 * {@linkcode UnixStreamServer} handling each connection as its own task.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { ThreadingUnixStreamServer } from "@pyport/web/socketserver";
 * assert(typeof ThreadingUnixStreamServer === "function");
 * ```
 */
export const ThreadingUnixStreamServer: ThreadingServerClass<
  typeof UnixStreamServer
> = threadingClass(UnixStreamServer, "ThreadingUnixStreamServer");
/** An instance of {@linkcode ThreadingUnixStreamServer}. */
export type ThreadingUnixStreamServer = InstanceType<
  typeof ThreadingUnixStreamServer
>;
