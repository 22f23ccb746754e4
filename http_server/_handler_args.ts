/**
 * The optional arguments of `BaseHTTPRequestHandler`'s response and log
 * methods, positional or as keywords in a trailing object, as Python's
 * signatures take them. Positional calls (every call the server itself
 * makes) skip the generic resolver: these run for every request.
 *
 * Follows CPython 3.13 `Lib/http/server.py`, the signatures of
 * `send_error`, `send_response`, `send_response_only`, `log_request` and
 * `date_time_string`.
 *
 * @module
 */
import { isPlainObject, pyArgs } from "../_util/py_args.ts";

/** Whether `args` are all positional and at most `count` of them. */
function positional(args: readonly unknown[], count: number): boolean {
  return args.length <= count &&
    (args.length === 0 || !isPlainObject(args[args.length - 1]));
}

/** `message=None` of `send_response` and `send_response_only`. */
export function messageArg(
  fn: string,
  args: readonly unknown[],
): string | null {
  if (positional(args, 1)) return (args[0] ?? null) as string | null;
  return pyArgs({
    fn,
    names: ["message"] as const,
    defaults: { message: null as string | null },
  }, args).message;
}

/** `message=None, explain=None` of `send_error`. */
export function errorArgs(
  args: readonly unknown[],
): { message: string | null; explain: string | null } {
  if (positional(args, 2)) {
    return {
      message: (args[0] ?? null) as string | null,
      explain: (args[1] ?? null) as string | null,
    };
  }
  return pyArgs({
    fn: "send_error",
    names: ["message", "explain"] as const,
    defaults: {
      message: null as string | null,
      explain: null as string | null,
    },
  }, args);
}

/** `code='-', size='-'` of `log_request`. */
export function logRequestArgs(
  args: readonly unknown[],
): { code: number | string; size: number | string } {
  if (positional(args, 2)) {
    return {
      code: (args[0] ?? "-") as number | string,
      size: (args[1] ?? "-") as number | string,
    };
  }
  return pyArgs({
    fn: "log_request",
    names: ["code", "size"] as const,
    defaults: { code: "-" as number | string, size: "-" as number | string },
  }, args);
}

/** `timestamp=None` of `date_time_string`. */
export function timestampArg(args: readonly unknown[]): number | null {
  if (positional(args, 1)) return (args[0] ?? null) as number | null;
  return pyArgs({
    fn: "date_time_string",
    names: ["timestamp"] as const,
    defaults: { timestamp: null as number | null },
  }, args).timestamp;
}

/** The option names each handler class takes (its own and its bases'). */
const OPTION_NAMES = new WeakMap<object, ReadonlySet<string>>();

/** Records the option names `cls` (and its subclasses) take. */
export function registerOptionNames(
  cls: object,
  names: Iterable<string>,
): void {
  OPTION_NAMES.set(cls, new Set(names));
}

/**
 * Refuses an option `cls` does not take, as Python's `**kwargs` reaching
 * `BaseRequestHandler.__init__` refuses an unknown keyword
 * (`SimpleHTTPRequestHandler(..., directroy="/srv")` is a `TypeError`
 * there, where serving the current folder instead would be silent).
 */
export function checkOptionNames(cls: object, options: object): void {
  let names: ReadonlySet<string> | undefined;
  for (let c: object | null = cls; c && !names; c = Object.getPrototypeOf(c)) {
    names = OPTION_NAMES.get(c);
  }
  if (!names) return;
  for (const name of Object.keys(options)) {
    if (!names.has(name)) {
      throw new TypeError(
        `${
          (cls as { name?: string }).name
        }() got an unexpected keyword argument '${name}'`,
      );
    }
  }
}
