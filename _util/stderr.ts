/**
 * Log output to stderr. Lines written in one burst of requests leave in one
 * write at the end of the current macrotask, so a busy server does not pay a
 * system call per request; order is kept.
 *
 * @module
 */

const encoder = new TextEncoder();
let pending: string[] = [];
let scheduled = false;

/** Writes everything queued, synchronously. */
export function flushStderr(): void {
  scheduled = false;
  if (pending.length === 0) return;
  const bytes = encoder.encode(pending.join(""));
  pending = [];
  let offset = 0;
  try {
    while (offset < bytes.length) {
      offset += Deno.stderr.writeSync(bytes.subarray(offset));
    }
  } catch {
    // stderr closed (e.g. a finished pipe): logging must never break serving.
  }
}

/** Queues `text` for stderr. */
export function writeStderr(text: string): void {
  pending.push(text);
  if (!scheduled) {
    scheduled = true;
    setTimeout(flushStderr, 0);
  }
}

globalThis.addEventListener("unload", flushStderr);
