/**
 * Turns of the event loop for work that could hold it: long synchronous
 * stretches (the stats and page of a huge listing) and requests answered
 * one after another from bytes already read (a client pipelining many).
 * Their promises settle without the event loop turning, so without a
 * pause no other connection is read or accepted meanwhile: 100 clients
 * each pipelining 30,000 requests kept a new client waiting 10–17 s.
 *
 * The process keeps one clock: work checks whether the current turn has
 * run a slice (10 ms) and, if so, waits for the next turn, every waiter on
 * the same zero timer, and the turn that timer starts begins a new slice.
 * The wait is a timer because only a wait on a timer makes the runtime
 * look for I/O every time. Measured with 4 ms of work between waits, a
 * small file was served after 2–5 of them; after 130–260 with an immediate
 * (`setImmediate`, 5 µs: the runtime then polls for I/O only every few
 * dozen turns), and after 1–260 with a wait on an operation done on another
 * thread (20–30 µs: when it is done before the runtime looks, no I/O runs).
 * A microtask lets no I/O run. A zero timer costs about 2 ms here, so a
 * wait every 10 ms costs about a sixth of the work, where a wait every few
 * requests cost a client pipelining 2,000 of them 24 times its time.
 *
 * @module
 */

/** How long work may hold the event loop at a stretch. */
const SLICE_MS = 10;

/** When the current slice began: the last turn a wait ended. */
let sliceStarted = performance.now();
let waiting: Promise<void> | null = null;

/** Resolves on the event loop's next turn, one timer for every waiter. */
function nextTurn(): Promise<void> {
  waiting ??= new Promise((resolve) =>
    setTimeout(() => {
      waiting = null;
      sliceStarted = performance.now();
      resolve();
    }, 0)
  );
  return waiting;
}

/** Slices of the process's turns, for work that checks them as it goes. */
export class TimeSlices {
  readonly #sliceMs: number;

  /** Slices of `sliceMs` (ten milliseconds unless given). */
  constructor(sliceMs: number = SLICE_MS) {
    this.#sliceMs = sliceMs;
  }

  /** Whether the slice is used up: `next()` is due. */
  due(): boolean {
    return performance.now() - sliceStarted >= this.#sliceMs;
  }

  /** Lets pending I/O run; resolves when a new slice begins. */
  next(): Promise<void> {
    return nextTurn();
  }
}

/** The process's slices of the default length. */
export const turns: TimeSlices = new TimeSlices();
