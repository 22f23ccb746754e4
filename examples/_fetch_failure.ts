/**
 * What the URL-fetching examples share: telling a failure of the network
 * or the server (worth a one-line message and exit status 1) from a bug
 * (worth its stack trace).
 *
 * @module
 */
import { HTTPException, URLError } from "@pyport/web/urllib/error";
import { Request } from "@pyport/web/urllib/request";

/**
 * The one line to print when fetching failed for a reason outside the
 * script, as Python's `except (URLError, HTTPException, OSError)` catches
 * them: a `URLError`'s reason (a refused connection, an unknown host), or
 * the error itself for what `urlopen` lets through unwrapped (a server
 * that closed without answering, a read that timed out, a malformed
 * answer); `null` for anything else.
 */
export function fetchFailure(error: unknown): string | null {
  if (error instanceof URLError) return String(error.reason);
  if (error instanceof HTTPException || isOSError(error)) {
    return `${error.name}: ${error.message}`;
  }
  return null;
}

/** Whether `error` is one of Deno's I/O errors (Python's `OSError`). */
function isOSError(error: unknown): error is Error {
  return Object.values(Deno.errors).some((kind) => error instanceof kind);
}

/**
 * Why `url` is no URL at all (`www.python.org`, with no scheme), as
 * Python's `Request` refuses it with `ValueError: unknown url type`: a bad
 * command line, worth a usage message, not a stack trace. `null` when
 * `url` has a scheme (an unsupported one is a `URLError` when fetched).
 */
export function badUrl(url: string): string | null {
  try {
    new Request(url);
    return null;
  } catch (error) {
    if (error instanceof TypeError) return error.message;
    throw error;
  }
}
