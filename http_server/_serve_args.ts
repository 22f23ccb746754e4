/**
 * The `serve` command line, read as Python's `argparse` reads
 * `python -m http.server`'s: the usage and help text, abbreviations,
 * `-b=ADDRESS`, help wherever it stands, and argparse's wording for each
 * mistake (exit status 2).
 *
 * Follows CPython 3.13 `Lib/http/server.py`'s `__main__` command line and
 * `Lib/argparse.py`'s reading of it.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { pyRepr } from "../_util/py_repr.ts";
import {
  expandOptionalValues,
  HOSTING_HELP,
  HOSTING_OPTIONS,
  HOSTING_USAGE,
  type HostingFlags,
  parseHostingFlags,
} from "./_hosting_flags.ts";

/** The usage line argparse would print for the command. */
export const USAGE = `usage: serve [-h] [-b ADDRESS] [-d DIRECTORY] [-p VERSION]
             [--tls-cert FILE] [--tls-key FILE] [--tls-password-file FILE]
             [--http2] [--follow-symlinks] [--no-cache] [--workers N]
             ${HOSTING_USAGE}
             [port]`;

/** `serve --help`: the usage, every option, and the limits in force. */
export const HELP = `${USAGE}

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

/** A usage error: shown with the usage line, exit status 2 (as argparse). */
export class UsageError extends Error {}

/** What the command line asks for. */
export interface ServeOptions {
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

/**
 * Reads `args` as argparse would; `"help"` when help is asked for.
 * Throws a {@linkcode UsageError} worded as argparse words it.
 */
export function parseCommandLine(args: string[]): ServeOptions | "help" {
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
    throw new UsageError(
      `argument port: ${portText} is not a port (0-65535)`,
    );
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

/** An error's message, or the thrown value as text. */
export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
