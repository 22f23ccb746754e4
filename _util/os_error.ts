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

/**
 * The system's error number in a Deno error's message (`… (os error 28)`),
 * or an `errno` set on it; `null` for anything else.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { osErrno } from "./os_error.ts";
 * equal(osErrno(new Error("No space left on device (os error 28)")), 28);
 * equal(osErrno(new Error("no number")), null);
 * ```
 */
export function osErrno(error: unknown): number | null {
  if (!(error instanceof Error)) return null;
  const set = (error as { errno?: unknown }).errno;
  if (typeof set === "number") return set;
  const found = /\(os error (\d+)\)/.exec(error.message);
  return found === null ? null : Number(found[1]);
}

const WINDOWS = Deno.build.os === "windows";
/**
 * ENOSPC and EDQUOT, by this system's numbers (EDQUOT is 122 on Linux, 69
 * on macOS and the BSDs, where Linux's 69 means something else);
 * Windows' ERROR_HANDLE_DISK_FULL and ERROR_DISK_FULL.
 */
const NO_SPACE = WINDOWS
  ? [39, 112]
  : Deno.build.os === "linux" || Deno.build.os === "android"
  ? [28, 122]
  : [28, 69];
/** ENFILE, EMFILE; Windows' ERROR_TOO_MANY_OPEN_FILES. */
const NO_DESCRIPTORS = WINDOWS ? [4] : [23, 24];

/**
 * Whether `error` says the disk (or the user's quota) is full: `ENOSPC`,
 * `EDQUOT`.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { outOfSpace } from "./os_error.ts";
 * ok(outOfSpace(new Error("No space left on device (os error 28)")) ||
 *   Deno.build.os === "windows");
 * ```
 */
export function outOfSpace(error: unknown): boolean {
  const errno = osErrno(error);
  return errno !== null && NO_SPACE.includes(errno);
}

/**
 * Whether `error` says this process (`EMFILE`) or the system (`ENFILE`)
 * has no file descriptor left.
 *
 * @example
 * ```ts
 * import { ok } from "node:assert/strict";
 * import { outOfDescriptors } from "./os_error.ts";
 * ok(outOfDescriptors(new Error("Too many open files (os error 24)")) ||
 *   Deno.build.os === "windows");
 * ```
 */
export function outOfDescriptors(error: unknown): boolean {
  const errno = osErrno(error);
  return errno !== null && NO_DESCRIPTORS.includes(errno);
}
