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
import { parseArgs } from "node:util";
import {
  expandOptionalValues,
  HOSTING_HELP,
  HOSTING_OPTIONS,
  HOSTING_USAGE,
  HostingFlagError,
  type HostingFlags,
  parseHostingFlags,
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

const USAGE = `usage: serve [-h] [-b ADDRESS] [-d DIRECTORY] [-p VERSION]
             [--tls-cert FILE] [--tls-key FILE] [--tls-password-file FILE]
             [--http2] [--follow-symlinks] [--no-cache] [--workers N]
             ${HOSTING_USAGE}
             [port]`;

const HELP = `${USAGE}

Serve the files of a folder over HTTP, as Python's "python -m http.server".

positional arguments:
  port                  bind to this port (default: 8000; 0 picks a free port)

options:
  -h, --help            show this help message and exit
  -b, --bind ADDRESS    bind to this address (default: all interfaces,
                        IPv6 and IPv4 where IPv6 exists)
  -d, --directory DIRECTORY
                        serve this directory (default: current directory)
  -p, --protocol VERSION
                        conform to this HTTP version: HTTP/1.0 or HTTP/1.1
                        (keep-alive) (default: HTTP/1.0)
  --tls-cert FILE       serve HTTPS with this PEM certificate chain
  --tls-key FILE        the PEM private key for --tls-cert
                        (default: the key inside the --tls-cert file)
  --tls-password-file FILE
                        read the private key's password from this file
  --http2               with --tls-cert or --tls-self-signed: serve HTTP/2
                        too (and HTTP/1.1), through Deno.serve and the
                        fetch adapter
  --follow-symlinks     serve files behind symbolic links that lead outside
                        the directory (refused by default; Python follows them)
  --no-cache            read every file from disk on every request (by default
                        files up to 64 KiB and listings are kept in memory, up
                        to 32 MiB, and never served stale)
  --workers N           serve with N processes on the same port, or "auto"
                        for one per CPU (default: 1; more needs Linux, and
                        does not combine with --http2 or --watch)

${HOSTING_HELP}

Python's --cgi option is left out: CGI support is deprecated in Python 3.13
and removed in 3.15. A request head must arrive within 60 seconds, a
kept-alive connection may stay idle for 5 seconds, and a download or upload
that stops moving is dropped after 5 minutes.`;

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

/** A usage error: shown with the usage line, exit status 2 (as argparse). */
class UsageError extends Error {}

/** A start-up failure: one line saying what to do, exit status 1. */
class StartError extends Error {}

interface ServeOptions {
  port: number;
  bind: string | null;
  directory: string;
  protocol: string;
  tlsCert: string | null;
  tlsKey: string | null;
  tlsPasswordFile: string | null;
  http2: boolean;
  followSymlinks: boolean;
  /** The hosting flags, or null when none is given (Python's handler). */
  hosting: HostingFlags | null;
  cache: boolean;
  workers: number;
}

const OPTIONS = {
  help: { type: "boolean", short: "h" },
  bind: { type: "string", short: "b" },
  directory: { type: "string", short: "d" },
  protocol: { type: "string", short: "p" },
  "tls-cert": { type: "string" },
  "tls-key": { type: "string" },
  "tls-password-file": { type: "string" },
  http2: { type: "boolean" },
  "follow-symlinks": { type: "boolean" },
  "no-cache": { type: "boolean" },
  workers: { type: "string" },
  cgi: { type: "boolean" },
  ...HOSTING_OPTIONS,
} as const;

/** Every long option's name, in the order `--help` lists them. */
const LONG_NAMES = Object.keys(OPTIONS);
/** The long options of `python -m http.server`. */
const PYTHON_LONG_NAMES = ["help", "cgi", "bind", "directory", "protocol"];

/** The short options that take a value (`-b`, `-d`, `-p`, ...). */
const SHORT_WITH_VALUE = new Set(
  Object.values(OPTIONS).flatMap((option) =>
    option.type === "string" && "short" in option ? [`-${option.short}`] : []
  ),
);

/**
 * `-b=ADDRESS` as argparse reads it, the value ADDRESS (`parseArgs` would
 * keep the `=` in it). These rewrites see the options before `--` only.
 */
function splitShortEquals(args: readonly string[]): string[] {
  // As the long form (`--directory=--`), which parseArgs never takes for
  // another option or for `--`, whatever the value.
  return args.map((arg) =>
    arg[2] === "=" && SHORT_WITH_VALUE.has(arg.slice(0, 2))
      ? `--${longNameOf(arg[1] as string)}${arg.slice(2)}`
      : arg
  );
}

/** The long name of each short option (`d`: `directory`). */
const LONG_NAME_OF: ReadonlyMap<string, string> = new Map(
  Object.entries(OPTIONS).flatMap(([name, option]) =>
    "short" in option ? [[option.short, name] as const] : []
  ),
);

function longNameOf(letter: string): string {
  return LONG_NAME_OF.get(letter) ?? letter;
}

/**
 * Long options abbreviated as argparse allows (`--dir` for `--directory`,
 * `--dir=X` too): a prefix of exactly one option's name stands for it, a
 * prefix of several is an error naming them. Python's own options are
 * matched first.
 */
function expandAbbreviations(args: readonly string[]): string[] {
  return args.map((arg) => {
    if (!arg.startsWith("--")) return arg;
    const equals = arg.indexOf("=");
    const typed = equals < 0 ? arg.slice(2) : arg.slice(2, equals);
    if (Object.hasOwn(OPTIONS, typed)) return arg;
    const prefixOf = (name: string) => name.startsWith(typed);
    // What Python's own flags make of it first, so that every command line
    // python -m http.server takes means the same here (`--p` is --protocol,
    // though --precompressed starts so too).
    const pythons = PYTHON_LONG_NAMES.filter(prefixOf);
    const matches = pythons.length > 0 ? pythons : LONG_NAMES.filter(prefixOf);
    if (matches.length > 1) {
      throw new UsageError(
        `ambiguous option: ${arg} could match ${
          matches.map((name) => `--${name}`).join(", ")
        }`,
      );
    }
    if (matches.length === 0) return arg;
    return `--${matches[0]}${equals < 0 ? "" : arg.slice(equals)}`;
  });
}

/**
 * Whether argparse would print the help: it acts on each argument in turn,
 * so `-h` anywhere counts unless an earlier option lacks its value or the
 * port before it is no number (arguments it does not know are only
 * reported once all are read, after the help).
 */
function helpComesFirst(args: readonly string[]): boolean {
  // After `--` (not in `args`) a `-h` is an argument, not the flag.
  let portSeen = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "--help") return true;
    if (arg.startsWith("--help=")) throw ignoredHelpArgument(arg.slice(7));
    if (/^-h/.test(arg)) return clusterShowsHelp(arg.slice(2), args[i + 1]);
    if (!arg.startsWith("-") || arg === "-") {
      if (!portSeen && !/^\d+$/.test(arg)) return false;
      portSeen = true;
      continue;
    }
    if (takesSeparateValue(arg)) {
      const value = args[i + 1];
      if (value === undefined || value.startsWith("-")) return false;
      i++;
    }
  }
  return false;
}

/**
 * Whether `-h` followed by `rest` in one argument (`-hb ADDR`) prints the
 * help, as argparse reads such a cluster: each letter another flag, and a
 * flag with a value takes the rest, or else the next argument, which must
 * be there before any of them acts.
 */
function clusterShowsHelp(rest: string, next: string | undefined): boolean {
  if (rest.startsWith("=")) throw ignoredHelpArgument(rest.slice(1));
  for (let k = 0; k < rest.length; k++) {
    const flag = `-${rest[k]}`;
    if (flag === "-h") continue;
    // Python 3.13.0 shows the help before it looks at a letter it does not
    // know.
    if (!SHORT_WITH_VALUE.has(flag)) return true;
    return k + 1 < rest.length || (next !== undefined && !next.startsWith("-"));
  }
  return true;
}

/** argparse's error for a value given to the help flag (`--help=1`). */
function ignoredHelpArgument(value: string): UsageError {
  return new UsageError(
    `argument -h/--help: ignored explicit argument ${pyRepr(value)}`,
  );
}

/** Whether `arg` is an option whose value is the next argument. */
function takesSeparateValue(arg: string): boolean {
  if (arg.startsWith("--")) {
    const name = arg.slice(2);
    return Object.hasOwn(OPTIONS, name) &&
      OPTIONS[name as keyof typeof OPTIONS].type === "string";
  }
  return arg.length === 2 && SHORT_WITH_VALUE.has(arg);
}

/**
 * The command line rewritten so that `parseArgs` reads it as argparse does
 * (`-b=ADDR` as `--bind=ADDR`, long flags abbreviated, `--spa`'s FILE), and
 * whether argparse would print the help. Only what comes before `--` holds
 * options; the rest is passed on as it is.
 */
function argparseForm(args: readonly string[]): [string[], boolean] {
  const end = args.indexOf("--");
  const options = end < 0 ? args : args.slice(0, end);
  const expanded = expandOptionalValues(
    expandAbbreviations(splitShortEquals(options)),
  );
  const positional = end < 0 ? [] : args.slice(end);
  return [[...expanded, ...positional], helpComesFirst(expanded)];
}

function parseCommandLine(args: string[]): ServeOptions | "help" {
  const [rewritten, help] = argparseForm(args);
  if (help) return "help";
  let parsed;
  try {
    parsed = parseArgs({
      args: rewritten,
      allowPositionals: true,
      strict: true,
      options: OPTIONS,
    });
  } catch (error) {
    throw new UsageError(argparseWording(error, rewritten));
  }
  // A help option parseArgs saw came after an error, which argparse
  // reports first.
  const { values, positionals } = parsed;
  if (values.cgi) {
    throw new UsageError(
      "--cgi is not supported: CGI is deprecated in Python 3.13 and removed in 3.15",
    );
  }
  if (positionals.length > 1) {
    throw new UsageError(
      `unrecognized arguments: ${positionals.slice(1).join(" ")}`,
    );
  }
  const portText = positionals[0] ?? "8000";
  if (!/^\d+$/.test(portText)) {
    throw new UsageError(
      `argument port: invalid int value: ${pyRepr(portText)}`,
    );
  }
  const port = Number(portText);
  if (port > 65535) {
    throw new UsageError(`argument port: ${port} is not a port (0-65535)`);
  }
  const protocol = values.protocol ?? "HTTP/1.0";
  if (protocol !== "HTTP/1.0" && protocol !== "HTTP/1.1") {
    throw new UsageError(
      `argument -p/--protocol: ${pyRepr(protocol)} is not HTTP/1.0 or HTTP/1.1`,
    );
  }
  const tlsCert = values["tls-cert"] ?? null;
  const tlsKey = values["tls-key"] ?? null;
  const tlsPasswordFile = values["tls-password-file"] ?? null;
  if (!tlsCert && (tlsKey || tlsPasswordFile)) {
    throw new UsageError("--tls-key and --tls-password-file need --tls-cert");
  }
  const http2 = values.http2 ?? false;
  if (http2 && !tlsCert && !values["tls-self-signed"]) {
    throw new UsageError(
      "--http2 needs --tls-cert or --tls-self-signed (browsers speak HTTP/2 over TLS only)",
    );
  }
  const workers = parseWorkers(values.workers ?? "1");
  const manyWorkers = workers > 1 || values.workers === "auto";
  if (http2 && manyWorkers) {
    // Deno.serve, which speaks HTTP/2 here, cannot share its port.
    throw new UsageError("--workers does not combine with --http2");
  }
  if (values.watch && manyWorkers) {
    // Each process would watch the folder and name its versions apart: a
    // page from one and a stream from another would reload for ever.
    throw new UsageError(
      "--watch does not combine with --workers (live reload is for one process)",
    );
  }
  return {
    port,
    bind: values.bind ?? null,
    // An empty name is the current folder, as in Python.
    directory: values.directory || Deno.cwd(),
    protocol,
    tlsCert,
    tlsKey,
    tlsPasswordFile,
    http2,
    followSymlinks: values["follow-symlinks"] ?? false,
    hosting: parseHostingFlags(values),
    cache: !values["no-cache"],
    workers,
  };
}

/** Most worker processes `--workers` starts. */
const MAX_WORKERS = 256;

function parseWorkers(text: string): number {
  const count = text === "auto" ? navigator.hardwareConcurrency : Number(text);
  if (!/^(\d+|auto)$/.test(text) || count < 1 || count > MAX_WORKERS) {
    throw new UsageError(
      `argument --workers: '${text}' is not a number of processes (1-${MAX_WORKERS}) or auto`,
    );
  }
  return count;
}

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

/**
 * Says what `parseArgs` rejected the way argparse does, since node's own
 * messages explain its API rather than the command.
 */
function argparseWording(error: unknown, args: readonly string[]): string {
  const message = describe(error);
  const option = /'(-[^']*)'/.exec(message)?.[1] ?? "";
  const code = (error as { code?: string }).code;
  // As typed, with any `=value` (argparse names the whole argument).
  const written = args.find((arg) => arg.startsWith(`${option}=`)) ?? option;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    return `unrecognized arguments: ${written}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const typed = option.replace(/ <value>$/, "").split(", ");
    const names = optionNames(typed.at(-1) ?? "");
    if (written !== option) {
      // A flag that takes no value was given one (`--cors=1`).
      const value = written.slice(option.length + 1);
      return `argument ${names}: ignored explicit argument ${pyRepr(value)}`;
    }
    return `argument ${names}: expected one argument`;
  }
  return message;
}

/** `-d` or `--directory` as argparse names the option: `-d/--directory`. */
function optionNames(typed: string): string {
  for (const [name, option] of Object.entries(OPTIONS)) {
    const short = "short" in option ? `-${option.short}` : null;
    if (typed === short || typed === `--${name}`) {
      return short ? `${short}/--${name}` : `--${name}`;
    }
  }
  return typed;
}

/** Prints the usage and `message` as argparse does; exit status 2. */
function usageFailure(message: string): number {
  console.error(`${USAGE}\nserve: error: ${message}`);
  return 2;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
  const server = Deno.serve(
    { hostname: host, port, cert: tls.cert, key: tls.key, onListen() {} },
    (request, info) => {
      handler ??= createFetchHandler(Handler, { server_address: address });
      return handler(request, info);
    },
  );
  address = [server.addr.hostname, server.addr.port];
  // Deno.serve leaves Nagle's algorithm on for TLS: an HTTP/1.1 client
  // waited about 40 ms for every response.
  setListenerNoDelay(server.addr);
  return {
    address,
    server: null,
    serve() {},
    close: () => closeSoon(server),
  };
}

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
 * Asks now, while someone is at the console, for the permissions serving
 * will use, and refuses to start without them: a prompt on the first
 * request would stop the whole server until answered, and without a
 * console the request would fail. A link may lead anywhere, so following
 * links needs read access everywhere.
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
  if (options.followSymlinks) {
    need(
      { name: "read" },
      "--follow-symlinks needs permission to read wherever a link may lead: run with -A (or --allow-read)",
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
      options.tlsCert,
      options.tlsKey,
      options.tlsPasswordFile,
      options.hosting?.authFile ?? null,
    ].filter((path) => path !== null);
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
