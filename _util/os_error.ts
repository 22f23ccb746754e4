/**
 * Deno's file-system errors worded as Python's `OSError`s.
 *
 * Follows CPython 3.13 `Objects/exceptions.c`, `OSError.__str__`:
 * `[Errno 2] No such file or directory: '/tmp/x'`.
 *
 * @module
 */
import { pyRepr } from "./py_repr.ts";

/** Python's `OSError` attributes, as a reworded error carries them. */
export interface PyOSErrorFields {
  /** The system's error number. */
  errno: number;
  /** The system's text for it. */
  strerror: string;
  /** The path the call was given (`null` when Python names none). */
  filename: string | null;
}

/**
 * `error` (a Deno error whose message ends in `(os error N)`) reworded as
 * Python's `OSError` prints it, `[Errno N] text: 'filename'`, with Python's
 * `errno`, `strerror` and `filename` set on it (a `null` filename leaves
 * out `: 'filename'`, as Python's OpenSSL calls do); its class is kept, so
 * `instanceof Deno.errors.NotFound` still holds. Anything else comes back
 * as it is.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { asPythonOSError } from "./os_error.ts";
 * const error = asPythonOSError(
 *   new Deno.errors.NotFound("No such file or directory (os error 2): stat '/x'"),
 *   "/x",
 * );
 * equal(error.message, "[Errno 2] No such file or directory: '/x'");
 * ```
 */
export function asPythonOSError<T>(error: T, filename: string | null): T {
  if (!(error instanceof Error)) return error;
  const found = /^(.*?) \(os error (\d+)\)/.exec(error.message);
  if (found === null) return error;
  const [, text = "", errno = "0"] = found;
  // Windows' texts end in a full stop, which Python leaves out.
  const strerror = text.replace(/\.$/, "");
  const label = Deno.build.os === "windows" ? "WinError" : "Errno";
  const fields: PyOSErrorFields = {
    errno: Number(errno),
    strerror,
    filename,
  };
  Object.assign(error, fields);
  error.message = filename === null
    ? `[${label} ${errno}] ${strerror}`
    : `[${label} ${errno}] ${strerror}: ${pyRepr(filename)}`;
  return error;
}
