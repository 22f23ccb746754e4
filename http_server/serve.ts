/**
 * The `serve` command: Python's `python -m http.server`, for Deno.
 *
 * ```sh
 * deno run -A jsr:@pyport/web/serve [port] [-b ADDRESS] [-d DIRECTORY] [-p VERSION]
 * ```
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `test()` and the `__main__`
 * command line.
 *
 * @module
 */
import { pyStrip } from "../_util/py_str.ts";
import { pyRepr } from "../_util/py_repr.ts";
import {
  HostingFlagError,
  type PreparedHosting,
  prepareHosting,
} from "./_hosting_flags.ts";
import { flushStderr } from "../_util/stderr.ts";
import { discardUploadsInProgress } from "./_upload.ts";
import { HostingHTTPRequestHandler } from "./hosting_handler.ts";
import { Supervisor } from "./_supervisor.ts";
import {
  formatCertificate,
  serveAsWorker,
  WORKER_TLS_ENV,
  workerCertificate,
  workerSlot,
} from "./_worker.ts";
import type { SelfSigned } from "./_self_signed.ts";
import { FileCache } from "./file_cache.ts";
import { bindAndActivate } from "../socketserver/_bind.ts";
import { createFetchHandler, type FetchHandler } from "./fetch_handler.ts";
import { setListenerNoDelay } from "./_listener_nodelay.ts";
import {
  type HTTPServer,
  loadTLSFiles,
  type ServerAddress,
  ThreadingHTTPServer,
  ThreadingHTTPSServer,
  type TLSOptions,
} from "./server.ts";
import { SimpleHTTPRequestHandler } from "./simple_handler.ts";
import {
  describe,
  HELP,
  parseCommandLine,
  type ServeOptions,
  USAGE,
  UsageError,
} from "./_serve_args.ts";

/**
 * Seconds a client may take to send a request head (nginx's
 * `client_header_timeout` and Node's `headersTimeout` are 60 s too): a
 * client sending a head byte by byte cannot hold a connection for longer.
 */
const HEADERS_TIMEOUT = 60;
/** Seconds a kept-alive connection may sit idle (Node's and Apache's 5 s). */
const KEEP_ALIVE_TIMEOUT = 5;
/**
 * Seconds a response may wait for its client to read, or an upload for
 * its client to send, with nothing moving: a client that stops is dropped
 * then. Five minutes, not nginx's 60 s: the kernel lets a write go on only
 * once about a third of the socket's send buffer (up to 4 MiB) has
 * drained, so a client reading a large file slowly but steadily (32 KB/s
 * waited 42 s between two such moments in a test) would be cut by a
 * shorter limit.
 */
const STALL_TIMEOUT = 300;

/** A start-up failure: one line saying what to do, exit status 1. */
class StartError extends Error {}

async function checkDirectory(directory: string): Promise<void> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(directory);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      // Deno hands a program its arguments as text: invalid UTF-8 bytes of
      // a folder name arrive as U+FFFD, which names no folder.
      const why = directory.includes("\uFFFD")
        ? ": a name that is not UTF-8 cannot be given to Deno (serve its parent folder)"
        : ": give an existing folder with -d";
      throw new StartError(
        `directory ${pyRepr(directory)} does not exist${why}`,
      );
    }
    throw new StartError(
      `cannot read directory ${pyRepr(directory)}: ${describe(error)}`,
    );
  }
  if (!info.isDirectory) {
    throw new StartError(
      `${pyRepr(directory)} is not a directory: give a folder with -d`,
    );
  }
}

/** Prints the usage and `message` as argparse does; exit status 2. */
function usageFailure(message: string): number {
  console.error(`${USAGE}\nserve: error: ${message}`);
  return 2;
}

/**
 * What rustls says of a certificate or key it refuses when the server
 * starts, in words for `--tls-cert` and `--tls-key` (it calls the server's
 * own certificate a "peer certificate"); `null` for other errors.
 */
function certificateProblem(error: unknown): string | null {
  const message = describe(error);
  if (/KeyMismatch|keys may not be consistent/.test(message)) {
    return "the private key does not match the certificate";
  }
  const refused = /^invalid peer certificate: (.*)$/.exec(message);
  return refused ? `the certificate is not valid (${refused[1]})` : null;
}

function bindError(error: unknown, host: string, port: number): StartError {
  const problem = certificateProblem(error);
  if (problem !== null) {
    return new StartError(`cannot load TLS certificate or key: ${problem}`);
  }
  if (error instanceof Deno.errors.AddrInUse) {
    const shown = host.includes(":") ? `[${host}]` : host;
    return new StartError(
      `port ${port} is already in use on ${shown}: stop the program using it, or pick another port (e.g. "serve ${
        port + 1
      }", or "serve 0" for any free port)`,
    );
  }
  if (error instanceof Deno.errors.NotCapable) {
    // Reading the folder was granted before binding: what is missing is
    // the address (perhaps granted for another, e.g. 0.0.0.0 where the
    // default binds ::).
    const shown = host.includes(":") ? `[${host}]` : host;
    return new StartError(
      `Deno needs permission to listen on ${shown} port ${port}: run with -A (or --allow-net)`,
    );
  }
  if (error instanceof Deno.errors.PermissionDenied) {
    return new StartError(
      `no permission to listen on port ${port}${
        port < 1024 ? " (ports below 1024 need administrator rights)" : ""
      }: pick a port above 1023, e.g. "serve 8000"`,
    );
  }
  if (error instanceof Deno.errors.AddrNotAvailable) {
    return new StartError(
      `cannot listen on ${host}: it is not an address of this machine; check -b`,
    );
  }
  return new StartError(
    `cannot listen on ${host} port ${port}: ${describe(error)}`,
  );
}

async function readTLS(options: ServeOptions) {
  if (!options.tlsCert) return null;
  let password: string | null = null;
  try {
    if (options.tlsPasswordFile) {
      // As Python 3.14's http.server reads it: f.read().strip().
      password = pyStrip(await Deno.readTextFile(options.tlsPasswordFile));
    }
    return await loadTLSFiles(options.tlsCert, options.tlsKey, password);
  } catch (error) {
    const hint = password === null && /is encrypted/.test(describe(error))
      ? " (with --tls-password-file)"
      : "";
    throw new StartError(
      `cannot load TLS certificate or key: ${describe(error)}${hint}`,
    );
  }
}

/** A server that is listening: where, and how to start serving. */
interface Listening {
  address: ServerAddress;
  /** The socket server; `null` for `--http2`, which runs on `Deno.serve`. */
  server: HTTPServer | null;
  serve(): void;
  /** Stops serving and closes the listening socket (Python's `with` block ends). */
  close(): Promise<void>;
}

/**
 * HTTP/2 (and HTTP/1.1) over TLS through `Deno.serve`, the handler run by
 * the fetch adapter: what `--http2` asks for.
 */
function listenHttp2(
  host: string,
  port: number,
  tls: TLSOptions,
  Handler: typeof SimpleHTTPRequestHandler,
): Listening {
  let handler: FetchHandler | null = null;
  let address: ServerAddress = [host, port];
  let stopping = false;
  const start = (): Deno.HttpServer<Deno.NetAddr> => {
    const server = Deno.serve(
      { hostname: host, port, cert: tls.cert, key: tls.key, onListen() {} },
      (request, info) => {
        handler ??= createFetchHandler(Handler, { server_address: address });
        return handler(request, info);
      },
    );
    // Deno.serve leaves Nagle's algorithm on for TLS: an HTTP/1.1 client
    // waited about 40 ms for every response.
    setListenerNoDelay(server.addr);
    // Deno.serve stops for good when an accept fails (out of file
    // descriptors): its `finished` rejects, which ended the process.
    // Python's loop goes on; listen again once a descriptor is free.
    server.finished.catch(() => void restart());
    return server;
  };
  const restart = async () => {
    while (!stopping) {
      await new Promise((resolve) => setTimeout(resolve, RELISTEN_MS));
      if (stopping) return;
      try {
        current = start();
        return;
      } catch {
        // Still no descriptor (or the port not yet free): try again.
      }
    }
  };
  let current = start();
  address = [current.addr.hostname, current.addr.port];
  port = current.addr.port;
  return {
    address,
    server: null,
    serve() {},
    close: () => {
      stopping = true;
      return closeSoon(current);
    },
  };
}

/** How long `--http2` waits before listening again after Deno.serve stopped. */
const RELISTEN_MS = 10;

/** How long `Deno.serve`'s requests may take to end once `serve` stops. */
const STOP_GRACE_MS = 200;

/**
 * Stops `Deno.serve`: requests still running (a slow download, a client
 * that says nothing) are not waited for beyond a moment, as Python's
 * daemon threads end with its process; nor do they keep it alive.
 */
async function closeSoon(server: Deno.HttpServer): Promise<void> {
  server.unref();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, STOP_GRACE_MS);
  });
  try {
    await Promise.race([server.shutdown(), grace]);
  } finally {
    clearTimeout(timer);
  }
}

function startServer(
  options: ServeOptions,
  tls: TLSOptions | null,
  hosting: PreparedHosting | null,
  reusePort = false,
): Listening {
  const bound = {
    directory: options.directory,
    follow_symlinks: options.followSymlinks,
    cache: options.cache ? new FileCache() : null,
    // The files it reads its secrets from, never served nor uploaded over.
    secret_files: namedFiles(options).map(([, path]) => path),
  };
  const Base: typeof SimpleHTTPRequestHandler = hosting
    ? HostingHTTPRequestHandler.partial({ ...hosting.options, ...bound })
    : SimpleHTTPRequestHandler.partial(bound);
  const protocol = options.protocol;
  const Handler = class extends Base {
    override protocol_version = protocol;
    override headers_timeout = HEADERS_TIMEOUT;
    override keep_alive_timeout = KEEP_ALIVE_TIMEOUT;
    override stall_timeout = STALL_TIMEOUT;
  };
  const listen = (host: string): Listening => {
    if (tls && options.http2) {
      return listenHttp2(host, options.port, tls, Handler);
    }
    const unbound = { bind_and_activate: false };
    const server = tls
      ? new ThreadingHTTPSServer([host, options.port], Handler, tls, unbound)
      : new ThreadingHTTPServer([host, options.port], Handler, unbound);
    server.allow_reuse_port = reusePort;
    bindAndActivate(server);
    return {
      address: server.server_address,
      server,
      serve: () => void server.serve_forever(),
      close: async () => {
        await server.shutdown();
        await server.server_close();
      },
    };
  };
  const hosts = options.bind !== null
    ? [options.bind]
    // "::" accepts IPv4 too (dual-stack); fall back where IPv6 is missing.
    : ["::", "0.0.0.0"];
  let lastError: unknown;
  let failedHost = hosts[0] ?? "";
  for (const host of hosts) {
    try {
      return listen(host);
    } catch (error) {
      lastError = error;
      failedHost = host;
      const noIPv6 = error instanceof Deno.errors.AddrNotAvailable ||
        /address family|not supported/i.test(describe(error));
      if (!(host === "::" && options.bind === null && noIPv6)) break;
    }
  }
  // The address that refused, named as the error says.
  throw bindError(lastError, failedHost, options.port);
}

function startupLine([host, port]: ServerAddress, tls: boolean): string {
  const urlHost = host.includes(":") ? `[${host}]` : host;
  const scheme = tls ? "HTTPS" : "HTTP";
  return `Serving ${scheme} on ${host} port ${port} (${scheme.toLowerCase()}://${urlHost}:${port}/) ...`;
}

/**
 * Resolves with the first SIGINT or SIGTERM, then stops listening for them:
 * a listener left behind would keep the process of a caller of `main()`
 * alive after it returns.
 */
function waitForInterrupt(): Promise<Deno.Signal> {
  return new Promise((resolve) => {
    const signals: Deno.Signal[] = Deno.build.os === "windows"
      ? ["SIGINT", "SIGBREAK"]
      : ["SIGINT", "SIGTERM"];
    const added: [Deno.Signal, () => void][] = [];
    for (const signal of signals) {
      const stop = () => {
        for (const [s, l] of added) Deno.removeSignalListener(s, l);
        resolve(signal);
      };
      try {
        Deno.addSignalListener(signal, stop);
        added.push([signal, stop]);
      } catch {
        // Signal not available here.
      }
    }
  });
}

/**
 * Python's last words after Ctrl-C; SIGTERM (a service manager stopping
 * it) ends the server without them, as it ends Python's.
 */
function sayGoodbye(signal: Deno.Signal | null): void {
  if (signal === "SIGTERM") return;
  say("\nKeyboard interrupt received, exiting.");
}

/**
 * Prints a line of our own to stdout. Stdout that cannot be written (a
 * full disk, a closed pipe) must not stop the server: Python's buffered
 * stdout only fails when it is flushed, at exit.
 */
function say(line: string): void {
  try {
    console.log(line);
  } catch {
    // Nowhere to say it; serving goes on.
  }
}

/**
 * The files the command line names besides the folder (each with its
 * flag): all read at startup, by every worker again, and all secrets.
 */
function namedFiles(options: ServeOptions): [flag: string, path: string][] {
  const files: [string, string | null][] = [
    ["--tls-cert", options.tlsCert],
    ["--tls-key", options.tlsKey],
    ["--tls-password-file", options.tlsPasswordFile],
    ["--auth-file", options.hosting?.authFile ?? null],
  ];
  return files.filter((file): file is [string, string] => file[1] !== null);
}

/**
 * Asks now, while someone is at the console, for the permissions serving
 * will use, and refuses to start without them: a prompt on the first
 * request would stop the whole server until answered, and without a
 * console the request would fail. The files named on the command line are
 * asked for the same way, naming their flag. A link may lead anywhere, so
 * following links needs read access everywhere.
 */
function checkPermissions(options: ServeOptions): void {
  const need = (
    descriptor: Deno.PermissionDescriptor,
    message: string,
  ): void => {
    if (Deno.permissions.requestSync(descriptor).state !== "granted") {
      throw new StartError(message);
    }
  };
  const folder = options.directory;
  need(
    { name: "read", path: folder },
    `Deno needs permission to read ${
      pyRepr(folder)
    }: run with -A (or --allow-read=${folder})`,
  );
  if (options.hosting?.upload) {
    need(
      { name: "write", path: folder },
      `--upload needs permission to write in ${
        pyRepr(folder)
      }: run with -A (or --allow-write=${folder})`,
    );
  }
  for (const [flag, path] of namedFiles(options)) {
    need(
      { name: "read", path },
      `${flag} needs permission to read ${
        pyRepr(path)
      }: run with -A (or --allow-read=${path})`,
    );
  }
  if (options.followSymlinks) {
    need(
      { name: "read" },
      "--follow-symlinks needs permission to read wherever a link may lead: run with -A (or --allow-read)",
    );
  }
  if (options.workers > 1) {
    need(
      { name: "run", command: Deno.execPath() },
      "--workers needs permission to start its worker processes: run with -A (or --allow-run)",
    );
  }
}

/**
 * The `deno run` flags that let workers read (and, for uploads, write)
 * what this process may, when it may not everywhere: each worker reads
 * the folder and every file named on the command line again.
 */
function folderGrants(options: ServeOptions): string[] {
  const everywhere = (name: "read" | "write") =>
    Deno.permissions.querySync({ name }).state === "granted";
  const grants: string[] = [];
  if (!everywhere("read")) {
    const paths = [
      options.directory,
      ...namedFiles(options).map(([, path]) => path),
    ];
    grants.push(`--allow-read=${paths.join(",")}`);
  }
  if (options.hosting?.upload && !everywhere("write")) {
    grants.push(`--allow-write=${options.directory}`);
  }
  return grants;
}

/**
 * Serves with `options.workers` processes on the address `server` (bound
 * here to check it, the way a single server reports a port in use) has
 * found, one banner for all; resolves with the exit status.
 */
async function superviseWorkers(
  server: HTTPServer,
  options: ServeOptions,
  tls: unknown,
  selfSigned: SelfSigned | null,
): Promise<number> {
  const [host, port] = server.server_address;
  const banner = startupLine(server.server_address, tls !== null);
  await server.server_close();
  const supervisor = new Supervisor({
    workers: options.workers,
    host,
    port,
    denoArgs: folderGrants(options),
    // Every worker serves the certificate whose fingerprint was printed.
    env: selfSigned ? { [WORKER_TLS_ENV]: formatCertificate(selfSigned) } : {},
  });
  try {
    await supervisor.start();
  } catch (error) {
    console.error(`Error: cannot start the workers: ${describe(error)}`);
    return 1;
  }
  say(banner);
  const code = await supervisor.untilStopped();
  if (code === 0) sayGoodbye(supervisor.stoppedBy);
  return code;
}

/**
 * Runs the command with command-line `args` (without the program name) and
 * resolves with the exit status: 0 after Ctrl-C or SIGTERM, 1 when the
 * server cannot start, 2 for a bad command line.
 *
 * @example Show the help
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { main } from "@pyport/web/serve";
 * equal(await main(["--help"]), 0); // prints the usage, exits 0
 * equal(await main(["--no-such-flag"]), 2); // a usage error, as argparse
 * ```
 */
export async function main(args: string[]): Promise<number> {
  let options: ServeOptions | "help";
  try {
    options = parseCommandLine(args);
  } catch (error) {
    if (!(error instanceof UsageError || error instanceof HostingFlagError)) {
      throw error;
    }
    return usageFailure(error.message);
  }
  if (options === "help") {
    console.log(HELP);
    return 0;
  }
  const slot = workerSlot();
  let server: Listening;
  let tls;
  let hosting: PreparedHosting | null = null;
  try {
    checkPermissions(options);
    await checkDirectory(options.directory);
    if (options.hosting) {
      hosting = await prepareHosting(
        options.hosting,
        options.directory,
        slot ? workerCertificate() : null,
      );
    }
    tls = hosting?.tls ?? await readTLS(options);
    server = slot
      ? startServer(
        { ...options, bind: slot.host, port: slot.port },
        tls,
        hosting,
        true,
      )
      : startServer(options, tls, hosting);
    if (!slot && options.workers > 1) {
      await server.server?.server_close();
      if (!server.server) {
        throw new StartError("--workers does not combine with --http2");
      }
      if (Deno.build.os !== "linux") {
        throw new StartError(
          "--workers above 1 needs Linux (only there does the kernel share one port among processes)",
        );
      }
    }
  } catch (error) {
    // The --watch watcher is running: left open, it would keep the process
    // of a caller of main() alive after main() returns.
    hosting?.options.live_reload?.close();
    if (error instanceof HostingFlagError) return usageFailure(error.message);
    if (!(error instanceof StartError)) throw error;
    console.error(`Error: ${error.message}`);
    return 1;
  }
  if (slot) {
    await serveAsWorker(server.server as HTTPServer);
    return 0;
  }
  for (const line of hosting?.warnings ?? []) console.error(line);
  for (const line of hosting?.notices ?? []) say(line);
  if (options.workers > 1) {
    return await superviseWorkers(
      server.server as HTTPServer,
      options,
      tls,
      hosting?.tls ?? null,
    );
  }
  say(startupLine(server.address, tls !== null));
  const interrupted = waitForInterrupt();
  server.serve();
  const signal = await interrupted;
  flushStderr();
  sayGoodbye(signal);
  // Stopping the watcher ends the open event streams, and lets a caller of
  // main() end once it returns.
  hosting?.options.live_reload?.close();
  await server.close();
  discardUploadsInProgress();
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
