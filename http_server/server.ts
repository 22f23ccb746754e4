/**
 * `HTTPServer`, `ThreadingHTTPServer`, `HTTPSServer` and
 * `ThreadingHTTPSServer`: Python's server classes, on the `socketserver`
 * classes of this package as in CPython (`HTTPServer(TCPServer)`).
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `HTTPServer` and
 * `ThreadingHTTPServer` (and 3.14's `HTTPSServer`), over
 * `Lib/socketserver.py`'s `BaseServer` / `TCPServer`.
 *
 * @module
 */
import { pyRepr } from "../_util/py_repr.ts";
import type {
  RequestHandlerClass,
  ServeForeverOptions,
} from "../socketserver/base_server.ts";
import type { StreamConnection } from "../socketserver/_socket_io.ts";
import { bindAndActivate } from "../socketserver/_bind.ts";
import { isPair } from "../socketserver/_address.ts";
import {
  TCPServer,
  type TCPServerOptions,
} from "../socketserver/tcp_server.ts";
import {
  installThreading,
  type ThreadingServer,
} from "../socketserver/threading.ts";
import { existingTrackerOf } from "./_connections.ts";
import { setListenerNoDelay } from "./_listener_nodelay.ts";

/** `[host, port]` to listen on; port 0 picks a free port. */
export type ServerAddress = readonly [host: string, port: number];

/** Keyword options of {@linkcode HTTPServer}. */
export interface HTTPServerOptions extends TCPServerOptions {}

/** TLS settings (Python 3.14's `HTTPSServer` keywords, already loaded). */
export interface TLSOptions {
  /** PEM certificate chain, as text. */
  readonly cert: string;
  /** PEM private key, as text (unencrypted). */
  readonly key: string;
}

/**
 * Python's `socket.getfqdn` for the wildcard addresses (the machine's
 * name); other addresses are kept as they are, as Deno has no synchronous
 * reverse lookup. The name is read only when permission is already given,
 * so that binding never prompts.
 */
function serverName(host: string): string {
  if (host !== "" && host !== "0.0.0.0" && host !== "::") return host;
  try {
    const sys = Deno.permissions.querySync({ name: "sys", kind: "hostname" });
    if (sys.state === "granted") return Deno.hostname();
  } catch {
    // No permission API here: keep the address.
  }
  return host;
}

/**
 * Serves HTTP on `[host, port]`, as Python's `http.server.HTTPServer`: a
 * {@linkcode TCPServer} that handles one connection at a time, each with a
 * new `RequestHandlerClass` (see {@linkcode ThreadingHTTPServer} for many
 * at once). It listens from construction (unless `bind_and_activate` is
 * `false`); `serve_forever()` resolves after `shutdown()`; `await using`
 * closes it.
 *
 * Unlike Python's, `shutdown()` and `server_close()` also close the
 * kept-alive connections that are waiting for a request and let the
 * others end after their current response, so that neither waits for an
 * idle client to leave and a finished program exits. `server_name` is the
 * machine's name for a wildcard address and the address itself otherwise
 * (Python looks up the address's DNS name).
 *
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
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
 * ok(server.server_port > 0);
 * const done = server.serve_forever();
 * const res = await fetch(`http://127.0.0.1:${server.server_port}/`);
 * equal(await res.text(), "ok");
 * await server.shutdown();
 * await done;
 * ```
 */
export class HTTPServer extends TCPServer {
  /** The address listened on, with the real port once bound. */
  declare server_address: [string, number];
  /** The host name of the listening address (set by `server_bind()`). */
  declare server_name: string;
  /** The port listened on (set by `server_bind()`). */
  declare server_port: number;

  static {
    // On the prototype: the constructor binds before subclass fields exist.
    Object.assign(this.prototype, {
      allow_reuse_address: true,
      server_name: "",
      server_port: 0,
    });
  }

  /**
   * Creates the server; binds and listens now unless `bind_and_activate` is
   * `false` (then call `server_bind()` and `server_activate()`).
   *
   * @throws {Deno.errors.AddrInUse} When the port is taken.
   * @throws {Deno.errors.PermissionDenied} When the port needs privileges.
   */
  constructor(
    server_address: ServerAddress,
    RequestHandlerClass: RequestHandlerClass<StreamConnection>,
    bind_and_activate?: boolean,
  );
  /** Creates the server, with `bind_and_activate` given as a keyword. */
  constructor(
    server_address: ServerAddress,
    RequestHandlerClass: RequestHandlerClass<StreamConnection>,
    options: HTTPServerOptions,
  );
  /** Either form (listed last so that mixins see both). */
  constructor(
    server_address: ServerAddress,
    RequestHandlerClass: RequestHandlerClass<StreamConnection>,
    bind_and_activate?: boolean | HTTPServerOptions,
  );
  constructor(
    server_address: ServerAddress,
    RequestHandlerClass: RequestHandlerClass<StreamConnection>,
    ...rest: unknown[]
  ) {
    super(
      // A copy of a pair; anything else is left for `TCPServer` to refuse
      // with its own message (copied, a string or a number lost it).
      isPair(server_address)
        ? [server_address[0], server_address[1]] as const
        : server_address,
      RequestHandlerClass,
      // All of them: TCPServer refuses what Python's signature would.
      ...(rest as [bind_and_activate?: boolean | HTTPServerOptions]),
    );
  }

  /** Binds and listens, then records `server_name` and `server_port`. */
  override server_bind(): void {
    super.server_bind();
    const [host, port] = this.server_address;
    this.server_name = serverName(host);
    this.server_port = port;
  }

  /**
   * Handles connections until `shutdown()` is called; resolves then.
   * `poll_interval` (seconds, default 0.5) paces `service_actions()`.
   */
  override serve_forever(poll_interval?: number): Promise<void>;
  /** `serve_forever()` with `poll_interval` given as a keyword. */
  override serve_forever(options: ServeForeverOptions): Promise<void>;
  override serve_forever(...args: unknown[]): Promise<void> {
    const tracker = existingTrackerOf(this);
    if (tracker) tracker.draining = false;
    return (super.serve_forever as (...a: unknown[]) => Promise<void>)(
      ...args,
    );
  }

  /**
   * Waits for one request and handles it, as `BaseServer`'s; after a
   * `shutdown()`, its connection is served like any other.
   */
  override handle_request(): Promise<void> {
    const tracker = existingTrackerOf(this);
    if (tracker) tracker.draining = false;
    return super.handle_request();
  }

  /**
   * Stops `serve_forever()` and closes idle kept-alive connections;
   * resolves once the loop has ended.
   *
   * @example A kept-alive client does not hold up the shutdown
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { BaseHTTPRequestHandler, HTTPServer } from "@pyport/web/http/server";
   * class KeepAlive extends BaseHTTPRequestHandler {
   *   override protocol_version = "HTTP/1.1";
   *   do_GET(): void {
   *     this.send_response(204);
   *     this.end_headers();
   *   }
   *   override log_message(): void {}
   * }
   * await using server = new HTTPServer(["127.0.0.1", 0], KeepAlive);
   * const done = server.serve_forever();
   * const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.server_port });
   * await conn.write(new TextEncoder().encode("GET / HTTP/1.1\r\nHost: a\r\n\r\n"));
   * await conn.read(new Uint8Array(1024)); // the 204; the connection stays open
   * await server.shutdown();
   * await done;
   * equal(await conn.read(new Uint8Array(1024)), null); // closed by the server
   * conn.close();
   * ```
   */
  override shutdown(): Promise<void> {
    const done = super.shutdown();
    existingTrackerOf(this)?.drain();
    return done;
  }

  /** Stops listening and closes idle kept-alive connections. */
  override server_close(): void | Promise<void> {
    existingTrackerOf(this)?.drain();
    return super.server_close();
  }
}

/**
 * Python's `ThreadingHTTPServer`: an {@linkcode HTTPServer} that handles
 * each connection as its own task, so that a slow or kept-alive client does
 * not hold up the others. `daemon_threads` is `true`, as in Python:
 * `server_close()` does not wait for connections still being served.
 *
 * @example
 * ```ts
 * import { equal, ok } from "node:assert/strict";
 * import { BaseHTTPRequestHandler, ThreadingHTTPServer } from "@pyport/web/http/server";
 * class Ok extends BaseHTTPRequestHandler {
 *   override protocol_version = "HTTP/1.1";
 *   do_GET(): void {
 *     this.send_response(200);
 *     this.send_header("Content-Length", "2");
 *     this.end_headers();
 *     this.wfile.write("ok");
 *   }
 *   override log_message(): void {}
 * }
 * await using server = new ThreadingHTTPServer(["127.0.0.1", 0], Ok);
 * ok(server.daemon_threads);
 * void server.serve_forever();
 * const url = `http://127.0.0.1:${server.server_port}/`;
 * const texts = await Promise.all([fetch(url), fetch(url)].map(async (r) => (await r).text()));
 * equal(texts.join(), "ok,ok");
 * ```
 */
export class ThreadingHTTPServer extends HTTPServer {
  /** `daemon_threads` for the class and its subclasses (a Python class attribute). */
  declare static daemon_threads: boolean;
  /** `block_on_close` for the class and its subclasses (a Python class attribute). */
  declare static block_on_close: boolean;

  static {
    installThreading(this, HTTPServer);
    this.prototype.daemon_threads = true;
  }
}

/** What `ThreadingMixIn` gives `ThreadingHTTPServer`: `daemon_threads`, `block_on_close`, `process_request_thread`. */
export interface ThreadingHTTPServer
  extends ThreadingServer<StreamConnection> {}

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
 * Serves HTTPS: an {@linkcode HTTPServer} listening with TLS
 * (`Deno.listenTls`, ALPN `http/1.1` or `http/1.0`), as Python 3.14's
 * `HTTPSServer`; a client offering only other protocols (`h2` alone) is
 * refused in the handshake. Give
 * the PEM text already loaded as `tls` (`{ cert: await
 * Deno.readTextFile("cert.pem"), key: await Deno.readTextFile("key.pem") }`). A
 * client whose TLS handshake fails is dropped quietly; the server carries
 * on.
 *
 * @example Text that is not PEM is refused when the server binds
 * ```ts
 * import { ok, throws } from "node:assert/strict";
 * import { BaseHTTPRequestHandler, HTTPSServer } from "@pyport/web/http/server";
 * const tls = { cert: "not PEM", key: "not PEM" };
 * throws(
 *   () => new HTTPSServer(["127.0.0.1", 0], BaseHTTPRequestHandler, tls),
 *   /certificate/i,
 * );
 * // With bind_and_activate false, nothing is bound until server_bind().
 * const later = new HTTPSServer(["127.0.0.1", 0], BaseHTTPRequestHandler, tls, {
 *   bind_and_activate: false,
 * });
 * ok(later.socket === null);
 * ```
 */
export class HTTPSServer extends HTTPServer {
  #tls: TLSOptions | null = null;

  /**
   * Creates the server with TLS material `tls`; binds and listens now
   * unless `bind_and_activate` is `false`.
   */
  constructor(
    server_address: ServerAddress,
    RequestHandlerClass: RequestHandlerClass<StreamConnection>,
    tls: TLSOptions,
    options: HTTPServerOptions = {},
  ) {
    super(server_address, RequestHandlerClass, { bind_and_activate: false });
    this.#tls = tls;
    if (options.bind_and_activate ?? true) bindAndActivate(this);
  }

  /** Listens with TLS. */
  protected override listen(options: Deno.TcpListenOptions): Deno.Listener {
    const tls = this.#tls;
    if (tls === null) throw new TypeError("HTTPSServer needs TLS settings");
    const listener = Deno.listenTls({
      ...options,
      cert: tls.cert,
      key: tls.key,
      // rustls ends a handshake whose client offers none of these (OpenSSL,
      // under Python, goes on without ALPN): `curl --http1.0` offers only
      // http/1.0.
      alpnProtocols: ["http/1.1", "http/1.0"],
    });
    // A TLS connection has no setNoDelay for the handler's
    // disable_nagle_algorithm to call: its listener passes the option on,
    // so the class's value decides (a static field or the prototype's; an
    // instance field is read too late).
    const handler = this.RequestHandlerClass as {
      disable_nagle_algorithm?: boolean;
    };
    if (handler.disable_nagle_algorithm) setListenerNoDelay(listener.addr);
    return listener;
  }
}

/**
 * Python 3.14's `ThreadingHTTPSServer`: an {@linkcode HTTPSServer} handling
 * each connection as its own task (`daemon_threads` is `true`).
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { BaseHTTPRequestHandler, ThreadingHTTPSServer } from "@pyport/web/http/server";
 * const server = new ThreadingHTTPSServer(["127.0.0.1", 0], BaseHTTPRequestHandler, { cert: "", key: "" }, {
 *   bind_and_activate: false,
 * });
 * ok(server.daemon_threads);
 * ```
 */
export class ThreadingHTTPSServer extends HTTPSServer {
  /** `daemon_threads` for the class and its subclasses (a Python class attribute). */
  declare static daemon_threads: boolean;
  /** `block_on_close` for the class and its subclasses (a Python class attribute). */
  declare static block_on_close: boolean;

  static {
    installThreading(this, HTTPSServer);
    this.prototype.daemon_threads = true;
  }
}

/** What `ThreadingMixIn` gives `ThreadingHTTPSServer`: `daemon_threads`, `block_on_close`, `process_request_thread`. */
export interface ThreadingHTTPSServer
  extends ThreadingServer<StreamConnection> {}
