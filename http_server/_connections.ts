/**
 * The HTTP connections of one server: which of them are waiting for their
 * next request (so that `shutdown()` and `server_close()` can close those
 * and let the others finish their response), and the deadlines that bound
 * how long a client may take to send a request head or stay idle between
 * requests. One timer per server checks every deadline, so a request costs
 * no timer, and no reading of the clock, of its own: the check times each
 * phase from when it first sees it, so a phase ends between its limit and
 * its limit plus two check intervals after it began, never before.
 *
 * Follows CPython 3.13 `Lib/socketserver.py` (the server's connections); the deadlines are ours (CPython has only the socket timeout).
 *
 * @module
 */
import { traceOf, writeStderr } from "../_util/stderr.ts";

/** What a connection is doing, for its deadline. */
export const Phase = {
  /**
   * Running a handler or sending a response: timed out only when stalled
   * (a read or write waiting for the client, and no progress, for longer
   * than the connection's `stallLimit`).
   */
  Busy: 0,
  /** Waiting for the first byte of the next request on a kept-alive connection. */
  Idle: 1,
  /** Reading a request head (or the first request of a connection). */
  Head: 2,
} as const;

/** One of {@linkcode Phase}. */
export type Phase = typeof Phase[keyof typeof Phase];

/** A connection as the tracker sees it. */
export interface TrackedConnection {
  /** What it is doing. */
  phase: Phase;
  /** Milliseconds the current phase may last; `Infinity`: no limit. */
  limit: number;
  /** Grows whenever `phase` is set, so that the check tells a new phase from an old one. */
  changes: number;
  /** Called once a deadline passed, or when an idle connection must close. */
  expire(phase: Phase): void;
  /** The tracker's links (its list runs through the connections); start them `null`. */
  previous: TrackedConnection | null;
  next: TrackedConnection | null;
  /** Milliseconds a busy connection may be stalled; `Infinity`: no limit. */
  readonly stallLimit: number;
  /** Reads and writes completed so far (any number that grows with them). */
  progress(): number;
  /** Whether a read or write is waiting for the client. */
  waiting(): boolean;
  /** The check's notes: `progress()` when last seen, and since when. */
  lastProgress: number;
  stalledSince: number;
  /** The check's notes: `changes` when last seen, and when it first saw that phase. */
  seenChanges: number;
  seenSince: number;
}

/** Seconds between checks: a fraction of the shortest timeout, within bounds. */
function checkInterval(shortestSeconds: number): number {
  return Math.min(1000, Math.max(25, shortestSeconds * 1000 / 4));
}

/** The connections of one server. */
export class ConnectionTracker {
  // A list through the connections themselves rather than a Set: a Set
  // that takes in and lets go of a connection per request keeps replacing
  // its table, and a replaced table left in the old generation still
  // points at the young connections it held, so every scavenge kept (and
  // promoted) thousands of finished connections until the next full GC.
  #first: TrackedConnection | null = null;
  #size = 0;
  #timer: ReturnType<typeof setInterval> | null = null;
  #interval = Infinity;
  /** Connections close after their current response (shutdown in progress). */
  draining = false;

  /** Starts tracking; `shortestTimeout` (seconds) sets how often deadlines are checked. */
  add(connection: TrackedConnection, shortestTimeout: number | null): void {
    const first = this.#first;
    connection.previous = null;
    connection.next = first;
    if (first !== null) first.previous = connection;
    this.#first = connection;
    this.#size++;
    if (shortestTimeout === null) return;
    const interval = checkInterval(shortestTimeout);
    if (this.#timer === null || interval < this.#interval) {
      this.#startTimer(interval);
    }
  }

  /**
   * Stops tracking. Once no connection is left the timer stops at its next
   * check (at once if the server is closing): stopping it here would start
   * a new one for almost every connection of a server that closes each
   * after one request.
   */
  delete(connection: TrackedConnection): void {
    const { previous, next } = connection;
    if (previous === null && this.#first !== connection) return;
    if (previous === null) this.#first = next;
    else previous.next = next;
    if (next !== null) next.previous = previous;
    connection.previous = connection.next = null;
    this.#size--;
    if (this.draining && this.#size === 0) this.#stopTimer();
  }

  /**
   * Closes the connections waiting for a request and makes the others
   * close after their response.
   */
  drain(): void {
    this.draining = true;
    for (const connection of this.#snapshot()) {
      if (connection.phase === Phase.Idle) connection.expire(Phase.Idle);
    }
    if (this.#size === 0) this.#stopTimer();
  }

  /** The connections now tracked (an `expire` may stop tracking one). */
  #snapshot(): TrackedConnection[] {
    const all: TrackedConnection[] = [];
    for (let c = this.#first; c !== null; c = c.next) all.push(c);
    return all;
  }

  #startTimer(interval: number): void {
    this.#stopTimer();
    this.#interval = interval;
    const timer = setInterval(() => this.#check(), interval);
    // Deadlines must not keep a finished program running.
    Deno.unrefTimer(timer);
    this.#timer = timer;
  }

  #stopTimer(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
    this.#interval = Infinity;
  }

  #check(): void {
    if (this.#size === 0) {
      this.#stopTimer();
      return;
    }
    const now = performance.now();
    for (const connection of this.#snapshot()) {
      if (connection.phase === Phase.Busy) {
        if (!isStalled(connection, now)) continue;
        connection.stalledSince = Infinity; // once
        expireSafely(connection, Phase.Busy);
      } else if (connection.changes !== connection.seenChanges) {
        // A phase begun since the last check (or never seen): timed from now.
        connection.seenChanges = connection.changes;
        connection.seenSince = now;
      } else if (now - connection.seenSince >= connection.limit) {
        const phase = connection.phase;
        connection.phase = Phase.Busy;
        connection.limit = Infinity;
        connection.changes++;
        expireSafely(connection, phase);
      }
    }
  }
}

/**
 * Ends `connection`'s `phase`; an error escaping it (a `handle_error`
 * override that throws) is printed, as an error escaping a request's task
 * is, rather than ending the process from the timer or sparing the other
 * connections their check.
 */
function expireSafely(connection: TrackedConnection, phase: Phase): void {
  try {
    connection.expire(phase);
  } catch (error) {
    writeStderr(
      `Exception in the server's timeout check:\n${traceOf(error)}\n`,
    );
  }
}

/**
 * Whether a busy connection has waited on its client, with nothing moving,
 * for longer than its limit. A handler that computes or waits on something
 * else is not stalled: only a read or write left waiting counts.
 */
function isStalled(connection: TrackedConnection, now: number): boolean {
  if (connection.stallLimit === Infinity) return false;
  const progress = connection.progress();
  if (progress !== connection.lastProgress || !connection.waiting()) {
    connection.lastProgress = progress;
    connection.stalledSince = now;
    return false;
  }
  return now - connection.stalledSince >= connection.stallLimit;
}

const trackers = new WeakMap<object, ConnectionTracker>();

/** The tracker of `server` (made on first use). */
export function trackerOf(server: object): ConnectionTracker {
  let tracker = trackers.get(server);
  if (tracker === undefined) {
    tracker = new ConnectionTracker();
    trackers.set(server, tracker);
  }
  return tracker;
}

/** The tracker of `server` if it has one. */
export function existingTrackerOf(
  server: object,
): ConnectionTracker | undefined {
  return trackers.get(server);
}
