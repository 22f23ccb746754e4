/**
 * The response head a handler is building, and the last one its
 * connection sent, kept to be repeated.
 *
 * A handler answering on a kept-alive connection usually sends the same
 * head again and again, call for call (`send_response_only(200, "OK")`,
 * `send_header("Content-Type", "text/html")`, ...). Each call is compared
 * with the kept head's call at the same place: while they agree, no line is
 * built, and a head that agrees to its end is sent from the kept bytes. The
 * first call that departs builds the lines followed so far, so the head is
 * always byte for byte what its calls make. Pure.
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `BaseHTTPRequestHandler`'s
 * `_headers_buffer` (the lines buffered until `flush_headers`).
 *
 * @module
 */
import { latin1Encode } from "../_util/latin1.ts";

/**
 * A call that added a line to a head: `send_response_only(a, b)` under
 * protocol `c`, or `send_header(a, b)` (`c` is {@linkcode HEADER_CALL}).
 */
interface HeadCall {
  readonly a: string | number;
  readonly b: string;
  readonly c: string;
  readonly line: string;
}

/**
 * `c` of a `send_header` call (a status call is told apart by its `a`, a
 * number, even under an empty protocol).
 */
export const HEADER_CALL = "";

/**
 * Heads in a row that did not repeat the last one, after which a
 * connection stops keeping them (a handler whose heads always differ).
 */
export const MEMO_GIVE_UP = 8;

/** One connection's head under construction and its kept last head. */
export class HeadBuffer {
  /**
   * The lines buffered and not yet sent; `null` until the connection's
   * first status line (Python's `_headers_buffer`, made by the first
   * `send_response_only`).
   */
  text: string | null = null;
  /** The kept head's calls, in order. */
  #calls: readonly HeadCall[] = [];
  /** The kept head's bytes. */
  #bytes: Uint8Array | null = null;
  /** How many of the kept calls this head repeated so far; -1: it departed. */
  #at = 0;
  /** This head's calls, noted to be kept; `null` when it cannot be. */
  #made: HeadCall[] | null = null;
  /** Heads in a row that did not repeat the kept one. */
  #misses = 0;

  /**
   * Whether the call adding line (a, b, c) repeats the kept head's call at
   * this point: its line is then left unbuilt. The first call that does
   * not stops the following for this head.
   */
  follows(a: string | number, b: string, c: string): boolean {
    const at = this.#at;
    if (at < 0) return false;
    const call = this.#calls[at];
    if (call !== undefined && call.a === a && call.b === b && call.c === c) {
      this.#at = at + 1;
      return true;
    }
    this.stopFollowing();
    return false;
  }

  /** Adds the line of a call that did not follow, and notes the call. */
  add(a: string | number, b: string, c: string, line: string): void {
    this.text = (this.text ?? "") + line;
    this.#made?.push({ a, b, c, line });
  }

  /**
   * Whether every call of this head repeated the kept head's, and all of
   * them: the head is then {@linkcode HeadBuffer.takeKept}.
   */
  repeatsKept(): boolean {
    return this.#at > 0 && this.#at === this.#calls.length && !this.text;
  }

  /** The kept head's bytes, for a head that repeated it whole. */
  takeKept(): Uint8Array {
    this.text = "";
    this.#misses = 0;
    this.#at = 0;
    return this.#bytes as Uint8Array;
  }

  /**
   * Builds the lines of the calls followed so far into the head, which
   * from here is made by its calls (and noted, to be kept at its end).
   */
  stopFollowing(): void {
    const at = this.#at;
    if (at < 0) return;
    this.#at = -1;
    // A head that began on lines left unsent (a flush_headers override
    // that kept them) is more than its calls: it is not kept.
    const leftOver = this.text;
    const calls = this.#calls;
    let lines = "";
    for (let i = 0; i < at; i++) lines += (calls[i] as HeadCall).line;
    if (lines !== "") this.text = (leftOver ?? "") + lines;
    this.#made = leftOver ? null : calls.slice(0, at);
  }

  /**
   * Ends the head with its blank line and keeps it to be repeated (unless
   * it cannot be, or heads here keep differing); the next head starts
   * following the kept one.
   */
  end(): void {
    this.stopFollowing();
    const head = this.text += "\r\n";
    const made = this.#made;
    this.#made = null;
    if (made !== null) {
      this.#calls = made;
      this.#bytes = latin1Encode(head);
      this.#misses++;
    }
    this.followAgain();
  }

  /**
   * This head is sent in parts or made elsewhere: the lines it followed are
   * built, and it is not kept.
   */
  forget(): void {
    this.stopFollowing();
    this.#made = null;
  }

  /** The lines buffered, which the caller sends; the buffer is emptied. */
  take(): string {
    const text = this.text ?? "";
    this.text = "";
    return text;
  }

  /** The next head starts following the kept one, unless heads here keep differing. */
  followAgain(): void {
    this.#at = this.#misses < MEMO_GIVE_UP ? 0 : -1;
  }
}
