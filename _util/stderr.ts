/**
 * Log output to stderr. Lines written in one burst of requests leave
 * together at the end of the current macrotask, so a busy server does not
 * pay a system call per request; order is kept. Each write is whole lines
 * of at most 4 KiB where it can be (a longer line goes alone): the size a
 * pipe takes in one piece, so that the lines of several worker processes
 * sharing one stderr never mix.
 *
 * @module
 */

import { utf8Codec } from "./codec/utf8.ts";
/** PIPE_BUF on Linux: a write up to this size reaches a pipe in one piece. */
const ATOMIC_WRITE = 4096;
const NEWLINE = 0x0a;
let pending: string[] = [];
let scheduled = false;

/** Writes everything queued, synchronously. */
export function flushStderr(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const text = pending.join("");
  // Python's stderr writes a lone surrogate as `\ud800` (backslashreplace).
  const bytes = utf8Codec.encode(text, "backslashreplace");
  pending = [];
  try {
    for (let start = 0; start < bytes.length;) {
      const end = pieceEnd(bytes, start);
      for (let done = start; done < end;) {
        done += Deno.stderr.writeSync(bytes.subarray(done, end));
      }
      start = end;
    }
  } catch {
    // stderr closed (e.g. a finished pipe): logging must never break serving.
  }
}

/**
 * Where the write starting at `start` ends: after the last newline within
 * {@linkcode ATOMIC_WRITE} bytes, or after the first one when a single line
 * is longer.
 */
export function pieceEnd(bytes: Uint8Array, start: number): number {
  const limit = start + ATOMIC_WRITE;
  if (limit >= bytes.length) return bytes.length;
  const last = bytes.lastIndexOf(NEWLINE, limit - 1);
  if (last >= start) return last + 1;
  const next = bytes.indexOf(NEWLINE, limit);
  return next === -1 ? bytes.length : next + 1;
}

/** Queues `text` for stderr. */
export function writeStderr(text: string): void {
  pending.push(text);
  if (!scheduled) {
    scheduled = true;
    setTimeout(flushStderr, 0);
  }
}

// Queued lines go out before the process ends, an uncaught error included.
globalThis.addEventListener("unload", flushStderr);
globalThis.addEventListener("error", flushStderr);
globalThis.addEventListener("unhandledrejection", flushStderr);

/**
 * What a traceback shows of `error`: its stack, else its name and message
 * (a thrown value that is no `Error` as Python shows a bare exception).
 */
export function traceOf(error: unknown): string {
  return error instanceof Error
    ? (error.stack ?? `${error.name}: ${error.message}`)
    : `Error: ${String(error)}`;
}
