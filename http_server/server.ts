/**
 * `HTTPServer` and `ThreadingHTTPServer`: Python's server classes, on
 * `Deno.serve`.
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `HTTPServer` and
 * `ThreadingHTTPServer` (and 3.14's `HTTPSServer`), over
 * `Lib/socketserver.py`'s `BaseServer` / `TCPServer`.
 *
 * @module
 */
import { pyArgs } from "../_util/py_args.ts";
import { pyRepr } from "../_util/py_repr.ts";
import { internals } from "./_internal.ts";
import { flushStderr, writeStderr } from "../_util/stderr.ts";
import type { ClientAddress, RequestHandlerClass } from "./base_handler.ts";

/** `[host, port]` to listen on; port 0 picks a free port. */
export type ServerAddress = readonly [host: string, port: number];

/** Keyword options of {@linkcode HTTPServer}. */
export interface HTTPServerOptions {
  /** Bind and start listening in the constructor (default `true`). */
  bind_and_activate?: boolean;
}

/** TLS settings (Python 3.14's `HTTPSServer` keywords). */
export interface TLSOptions {
  /** PEM certificate chain, as text. */
  readonly cert: string;
  /** PEM private key, as text (unencrypted). */
  readonly key: string;
}

type Waiter = () => void;
type Queued = (onDone?: Waiter) => void;

/**
 * Serves HTTP on one address, creating an instance of `RequestHandlerClass`
 * for each request, as Python's `http.server.HTTPServer`.
 *
 * It listens from construction (unless `bind_and_activate` is `false`), but
 * requests wait until `serve_forever()` or `handle_request()` runs, as with
 * Python's listen queue. Requests are handled concurrently, as Deno's event
 * loop interleaves them; `serve_forever()` returns a promise that resolves
 * after `shutdown()`. `await using` closes the server.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { BaseHTTPRequestHandler, HTTPServer } from "@pyport/web/http/server";
 * class Ok extends BaseHTTPRequestHandler {
 *   do_GET(): void {
 *     this.send_response(200);
 *     this.send_header("Content-Length", "2");
 *     this.end_headers();
 *     this.wfile.write("ok");
 *   }
 *   override log_message(): void {}
 * }
 * await using server = new HTTPServer(["127.0.0.1", 0], Ok);
 * assert(server.server_port > 0);
 * const done = server.serve_forever();
 * const res = await fetch(`http://127.0.0.1:${server.server_port}/`);
 * assert(await res.text() === "ok");
 * await server.shutdown();
 * await done;
 * ```
 */
export class HTTPServer implements AsyncDisposable {
  /** The address listened on, with the real port once bound. */
  server_address: [string, number];
  /** The handler class instantiated per request. */
  readonly RequestHandlerClass: RequestHandlerClass;
  /** The host name of the listening address. */
  server_name = "";
  /** The port listened on (the real one once bound). */
  server_port = 0;
  /** Seconds `handle_request()` waits before `handle_timeout()`; `null`: forever. */
  timeout: number | null = null;
  /** Kept for Python compatibility; Deno always reuses the address. */
  allow_reuse_address = true;
  /**
   * Python's `allow_reuse_port`: bind with `SO_REUSEPORT`, so several
   * processes can listen on the same port and Linux spreads connections
   * among them. Needs Deno's `--unstable-net`; set it before binding
   * (`bind_and_activate: false`).
   */
  allow_reuse_port = false;
  /** The engine's server once bound (Python: `socket`). */
  socket: Deno.HttpServer<Deno.NetAddr> | null = null;

  /** TLS settings, set by `HTTPSServer` before binding. */
  protected _tls: TLSOptions | null = null;
  #serving = false;
  #oneShot: Waiter[] = [];
  #waiting: Queued[] = [];
  #stop: (() => void) | null = null;
  #closed = false;

  /**
   * Creates the server; binds and listens now unless `bind_and_activate` is
   * `false` (then call `server_bind()` and `server_activate()`).
   *
   * @throws {Deno.errors.AddrInUse} When the port is taken.
   * @throws {Deno.errors.PermissionDenied} When the port needs privileges.
   */
  constructor(
    server_address: ServerAddress,
    RequestHandlerClass: RequestHandlerClass,
    bind_and_activate?: boolean,
  );
  /** Creates the server, with `bind_and_activate` given as a keyword. */
  constructor(
    server_address: ServerAddress,
    RequestHandlerClass: RequestHandlerClass,
    options: HTTPServerOptions,
  );
  constructor(
    server_address: ServerAddress,
    RequestHandlerClass: RequestHandlerClass,
    ...rest: unknown[]
  ) {
    const { bind_and_activate } = pyArgs({
      fn: "HTTPServer",
      names: ["bind_and_activate"],
      defaults: { bind_and_activate: true as boolean },
    }, rest);
    this.server_address = [server_address[0], server_address[1]];
    this.RequestHandlerClass = RequestHandlerClass;
    if (bind_and_activate) bindAndActivate(this);
  }

  /**
   * Binds and listens (the engine does both at once), then records the
   * real address in `server_address`, `server_name` and `server_port`.
   */
  server_bind(): void {
    const [hostname, port] = this.server_address;
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new RangeError(`port must be 0-65535, not ${pyRepr(port)}`);
    }
    const options: Deno.ServeTcpOptions & Partial<Deno.TlsCertifiedKeyPem> = {
      hostname: hostname === "" ? "0.0.0.0" : hostname,
      port,
      onListen: () => {},
      onError: (error) => {
        this.handle_error(null, null, error);
        return new Response("Internal Server Error", { status: 500 });
      },
    };
    if (this.allow_reuse_port) options.reusePort = true;
    if (this._tls) {
      options.cert = this._tls.cert;
      options.key = this._tls.key;
    }
    this.socket = Deno.serve(
      options,
      (request, info) => this.#accept(request, info.remoteAddr),
    );
    const addr = this.socket.addr;
    this.server_address = [addr.hostname, addr.port];
    this.server_name = addr.hostname;
    this.server_port = addr.port;
  }

  /** Python starts listening here; the engine already does in `server_bind`. */
  server_activate(): void {}

  #accept(
    request: Request,
    remote: Deno.NetAddr,
  ): Response | Promise<Response> {
    const client: ClientAddress = [remote.hostname, remote.port];
    if (this.#serving) return this.#dispatch(request, client);
    const oneShot = this.#oneShot.shift();
    if (oneShot) {
      const response = Promise.resolve(this.#dispatch(request, client));
      response.finally(oneShot);
      return response;
    }
    return new Promise((resolve) => {
      this.#waiting.push((onDone) => {
        const response = Promise.resolve(this.#dispatch(request, client));
        if (onDone) response.finally(onDone);
        resolve(response);
      });
    });
  }

  #dispatch(
    request: Request,
    client: ClientAddress,
  ): Response | Promise<Response> {
    if (this.#closed) return new Response(null, { status: 503 });
    if (!this.verify_request(request, client)) {
      return new Response(null, {
        status: 403,
        headers: { Connection: "close" },
      });
    }
    let handler;
    try {
      handler = new this.RequestHandlerClass(request, client, this);
    } catch (error) {
      this.handle_error(request, client, error);
      return new Response(null, { status: 500 });
    }
    return internals.run(handler);
  }

  /**
   * Whether to handle a request (default `true`); a `false` answer gets a
   * bare 403.
   */
  verify_request(_request: Request, _client_address: ClientAddress): boolean {
    return true;
  }

  /**
   * Handles requests until `shutdown()` is called; resolves then.
   * `poll_interval` is accepted for compatibility and unused: nothing
   * polls.
   */
  serve_forever(poll_interval?: number): Promise<void>;
  /** `serve_forever()` with `poll_interval` given as a keyword. */
  serve_forever(options: { poll_interval?: number }): Promise<void>;
  serve_forever(..._args: unknown[]): Promise<void> {
    if (this.#serving) {
      return Promise.reject(new Error("serve_forever() is already running"));
    }
    this.#serving = true;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const release of waiting) release();
    return new Promise((resolve) => {
      this.#stop = () => {
        this.#serving = false;
        this.#stop = null;
        resolve();
      };
    });
  }

  /**
   * Handles one request (waiting up to `timeout` seconds for it; then
   * calls `handle_timeout()`), resolving once its response is complete.
   */
  handle_request(): Promise<void> {
    return new Promise<void>((resolve) => {
      const queued = this.#waiting.shift();
      if (queued) {
        queued(resolve);
        return;
      }
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done: Waiter = () => {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      };
      this.#oneShot.push(done);
      if (this.timeout !== null) {
        timer = setTimeout(() => {
          const i = this.#oneShot.indexOf(done);
          if (i !== -1) this.#oneShot.splice(i, 1);
          this.handle_timeout();
          resolve();
        }, this.timeout * 1000);
      }
    });
  }

  /** Called when `handle_request()` times out (no-op). */
  handle_timeout(): void {}

  /** Stops `serve_forever()`; requests already running complete. */
  shutdown(): Promise<void> {
    this.#stop?.();
    return Promise.resolve();
  }

  /**
   * Stops listening and closes idle connections; resolves once requests in
   * progress have completed.
   */
  async server_close(): Promise<void> {
    this.#closed = true;
    this.#serving = false;
    const waiting = this.#waiting;
    this.#waiting = [];
    for (const release of waiting) release();
    const socket = this.socket;
    this.socket = null;
    if (socket) await socket.shutdown();
    flushStderr();
  }

  /**
   * Logs an exception raised while handling a request, in Python's shape:
   * a dashed block with the client address and the stack.
   */
  handle_error(
    _request: Request | null,
    client_address: ClientAddress | null,
    error?: unknown,
  ): void {
    const address = client_address
      ? `(${pyRepr(client_address[0])}, ${client_address[1]})`
      : "an unknown client";
    const trace = error instanceof Error
      ? (error.stack ?? `${error.name}: ${error.message}`)
      : `Error: ${String(error)}`;
    writeStderr(
      `${
        "-".repeat(40)
      }\nException occurred during processing of request from ${address}\nTraceback (most recent call last):\n${trace}\n${
        "-".repeat(40)
      }\n`,
    );
  }

  /** Stops serving and closes the server (`await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.shutdown();
    if (!this.#closed) await this.server_close();
  }
}

/**
 * Python's `bind_and_activate=True` step of a constructor: bind and listen,
 * closing the half-made server if either fails.
 */
function bindAndActivate(server: HTTPServer): void {
  try {
    server.server_bind();
    server.server_activate();
  } catch (error) {
    server.server_close();
    throw error;
  }
}

/**
 * Python's `ThreadingHTTPServer`. Deno handles requests concurrently on its
 * event loop already, so this is `HTTPServer` under the name Python
 * programs use.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { BaseHTTPRequestHandler, ThreadingHTTPServer } from "@pyport/web/http/server";
 * await using server = new ThreadingHTTPServer(["127.0.0.1", 0], BaseHTTPRequestHandler);
 * assert(server.daemon_threads);
 * ```
 */
export class ThreadingHTTPServer extends HTTPServer {
  /** Kept for Python compatibility; there are no threads. */
  daemon_threads = true;
}

const PEM_KEY =
  /-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----/;
const PEM_CERTS =
  /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

async function decryptKey(pem: string, password: string): Promise<string> {
  const { createPrivateKey } = await import("node:crypto");
  const key = createPrivateKey({
    key: pem,
    format: "pem",
    passphrase: password,
  });
  return String(key.export({ format: "pem", type: "pkcs8" }));
}

/**
 * Loads TLS material the way `HTTPSServer` needs it: the certificate chain
 * and the private key as PEM text, the key decrypted with `password`. Used
 * by `serve`; not part of the public API.
 *
 * @throws {TypeError} When the files hold no certificate or no key.
 */
export async function loadTLSFiles(
  certfile: string,
  keyfile?: string | null,
  password?: string | null,
): Promise<TLSOptions> {
  const certText = await Deno.readTextFile(certfile);
  const keyText = keyfile ? await Deno.readTextFile(keyfile) : certText;
  const certs = certText.match(PEM_CERTS);
  if (!certs) {
    throw new TypeError(`no PEM certificate found in ${pyRepr(certfile)}`);
  }
  const keyMatch = PEM_KEY.exec(keyText);
  if (!keyMatch) {
    throw new TypeError(
      `no PEM private key found in ${pyRepr(keyfile ?? certfile)}`,
    );
  }
  let key = keyMatch[0];
  if (password !== null && password !== undefined) {
    key = await decryptKey(key, password);
  } else if (key.includes("ENCRYPTED")) {
    throw new TypeError(
      `the private key in ${
        pyRepr(keyfile ?? certfile)
      } is encrypted: give its password`,
    );
  }
  return { cert: certs.join("\n") + "\n", key };
}

/**
 * Serves HTTPS: an {@linkcode HTTPServer} with TLS, as Python 3.14's
 * `HTTPSServer`. Give the PEM text already loaded as `tls`, e.g.
 * `{ cert: await Deno.readTextFile("cert.pem"), key: await
 * Deno.readTextFile("key.pem") }`.
 *
 * @example Text that is not PEM is refused when the server binds
 * ```ts
 * import { throws } from "node:assert/strict";
 * import { BaseHTTPRequestHandler, HTTPSServer } from "@pyport/web/http/server";
 * const tls = { cert: "not PEM", key: "not PEM" };
 * throws(
 *   () => new HTTPSServer(["127.0.0.1", 0], BaseHTTPRequestHandler, tls),
 *   /certificate/i,
 * );
 * ```
 */
export class HTTPSServer extends HTTPServer {
  /**
   * Creates the server with TLS material `tls`; binds and listens now
   * unless `bind_and_activate` is `false`.
   */
  constructor(
    server_address: ServerAddress,
    RequestHandlerClass: RequestHandlerClass,
    tls: TLSOptions,
    options: HTTPServerOptions = {},
  ) {
    super(server_address, RequestHandlerClass, { bind_and_activate: false });
    this._tls = tls;
    if (options.bind_and_activate ?? true) bindAndActivate(this);
  }
}
