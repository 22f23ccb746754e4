/**
 * A bound on how long a response head held by `end_headers` waits for its
 * body once the handler has gone on to an `await`. Python's `end_headers`
 * sends the head at once; ours holds it so that it leaves in one system call
 * with a body written soon after (a file `copyfile` reads). A handler that
 * waits for something else first (an event stream's next event, a long poll)
 * would otherwise keep its client without a status line until it writes.
 *
 * One timer for the whole process, running only while a head is held: each
 * held head is released on the second tick after it was seen, so it waits
 * between one and two ticks at most. A connection costs a set entry, not a
 * timer of its own.
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `BaseHTTPRequestHandler.end_headers`.
 *
 * @module
 */

/** What may hold a head: the response writer. */
export interface HoldingWriter {
  /** Whether held bytes wait for a write, flush or release. */
  readonly holding: boolean;
  /** Whether the writer was closed or failed. */
  readonly closed: boolean;
  /** Sends what is held. */
  release(): void;
}

/** One tick, in milliseconds: a held head waits one to two of them. */
export const HOLD_TICK_MS = 5;

let seenNow = new Set<HoldingWriter>();
let seenBefore = new Set<HoldingWriter>();
let timer: ReturnType<typeof setTimeout> | undefined;

function tick(): void {
  timer = undefined;
  for (const writer of seenBefore) {
    if (writer.holding && !writer.closed) writer.release();
  }
  seenBefore.clear();
  [seenBefore, seenNow] = [seenNow, seenBefore];
  if (seenBefore.size > 0) arm();
}

function arm(): void {
  timer = setTimeout(tick, HOLD_TICK_MS);
  // The handler's own wait keeps the process alive, not this.
  Deno.unrefTimer(timer);
}

/** `writer` holds a head while its handler waits: release it soon. */
export function watchHold(writer: HoldingWriter): void {
  seenNow.add(writer);
  if (timer === undefined) arm();
}

/** `writer`'s handler is done: what it holds leaves with its end. */
export function unwatchHold(writer: HoldingWriter): void {
  seenNow.delete(writer);
  seenBefore.delete(writer);
}
