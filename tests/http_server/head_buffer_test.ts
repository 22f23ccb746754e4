/**
 * `HeadBuffer` on its own, without a handler or a socket: the head being
 * built, the last head kept, and when a head is sent from the kept bytes.
 */
import { deepEqual, equal } from "node:assert/strict";
import {
  HeadBuffer,
  HEADER_CALL,
  MEMO_GIVE_UP,
} from "../../http_server/_head_buffer.ts";
import { latin1Decode } from "../../_util/latin1.ts";

type Call = readonly [string | number, string, string];

const STATUS: Call = [200, "OK", "HTTP/1.1"];
const TYPE: Call = ["Content-Type", "text/plain", HEADER_CALL];
const LENGTH: Call = ["Content-Length", "2", HEADER_CALL];

function lineOf([a, b, c]: Call): string {
  return typeof a === "number" ? `${c} ${a} ${b}\r\n` : `${a}: ${b}\r\n`;
}

/**
 * Makes one head as the handler's hooks do; returns what is sent: the kept
 * bytes (as text) when every call repeated them, else the built text.
 */
function makeHead(buffer: HeadBuffer, calls: readonly Call[]): string {
  for (const call of calls) {
    if (!buffer.follows(...call)) buffer.add(...call, lineOf(call));
  }
  if (buffer.repeatsKept()) return latin1Decode(buffer.takeKept());
  buffer.stopFollowing();
  buffer.end();
  return buffer.take();
}

const whole = (calls: readonly Call[]) => calls.map(lineOf).join("") + "\r\n";

Deno.test("the text is null until a first line, as Python's buffer is absent", () => {
  const buffer = new HeadBuffer();
  equal(buffer.text, null);
  buffer.add(...STATUS, lineOf(STATUS));
  equal(buffer.text, "HTTP/1.1 200 OK\r\n");
  equal(buffer.take(), "HTTP/1.1 200 OK\r\n");
  equal(buffer.text, "");
});

Deno.test("a head repeating the last one call for call is sent from its bytes", () => {
  const buffer = new HeadBuffer();
  const calls = [STATUS, TYPE, LENGTH];
  equal(makeHead(buffer, calls), whole(calls));
  equal(buffer.repeatsKept(), false);
  for (let i = 0; i < 3; i++) {
    for (const call of calls) equal(buffer.follows(...call), true);
    equal(buffer.repeatsKept(), true);
    equal(latin1Decode(buffer.takeKept()), whole(calls));
    // Nothing was built: the lines stay unbuilt, the buffer empty.
    equal(buffer.text, "");
    buffer.followAgain();
  }
});

Deno.test("a head that departs builds the lines it followed, then its own", () => {
  const buffer = new HeadBuffer();
  makeHead(buffer, [STATUS, TYPE, LENGTH]);
  const other: Call = ["X-Other", "1", HEADER_CALL];
  equal(makeHead(buffer, [STATUS, TYPE, other]), whole([STATUS, TYPE, other]));
  // The new head is the one kept now.
  equal(makeHead(buffer, [STATUS, TYPE, other]), whole([STATUS, TYPE, other]));
  equal(buffer.text, "");
});

Deno.test("a shorter head or a longer one is never the kept one", () => {
  const buffer = new HeadBuffer();
  makeHead(buffer, [STATUS, TYPE, LENGTH]);
  equal(makeHead(buffer, [STATUS, TYPE]), whole([STATUS, TYPE]));
  const more: Call = ["X-More", "yes", HEADER_CALL];
  equal(
    makeHead(buffer, [STATUS, TYPE, more]),
    whole([STATUS, TYPE, more]),
  );
  equal(
    makeHead(buffer, [STATUS, TYPE, more, more]),
    whole([STATUS, TYPE, more, more]),
  );
});

Deno.test("a status call never matches a header call, even with an empty protocol", () => {
  const buffer = new HeadBuffer();
  const emptyProtocol: Call = [200, "OK", ""];
  makeHead(buffer, [emptyProtocol, TYPE]);
  const header: Call = ["200", "OK", HEADER_CALL];
  equal(buffer.follows(...header), false);
});

Deno.test("a status line under another protocol is another call", () => {
  const buffer = new HeadBuffer();
  makeHead(buffer, [STATUS, TYPE]);
  const http10: Call = [200, "OK", "HTTP/1.0"];
  equal(makeHead(buffer, [http10, TYPE]), whole([http10, TYPE]));
});

Deno.test("lines left unsent before the head make it not kept", () => {
  const buffer = new HeadBuffer();
  makeHead(buffer, [STATUS, TYPE]);
  // A line buffered before the status line (a header sent early, or left
  // by a flush_headers override): the head is more than its calls.
  buffer.stopFollowing();
  buffer.add(...TYPE, lineOf(TYPE));
  buffer.followAgain();
  equal(makeHead(buffer, [STATUS, TYPE]), lineOf(TYPE) + whole([STATUS, TYPE]));
  // The head kept is still the earlier one, bytes and calls alike.
  for (const call of [STATUS, TYPE]) equal(buffer.follows(...call), true);
  equal(buffer.repeatsKept(), true);
  equal(latin1Decode(buffer.takeKept()), whole([STATUS, TYPE]));
});

Deno.test("a head sent in parts is not kept", () => {
  const buffer = new HeadBuffer();
  makeHead(buffer, [STATUS, TYPE]);
  for (const call of [STATUS, LENGTH]) {
    if (!buffer.follows(...call)) buffer.add(...call, lineOf(call));
  }
  buffer.forget();
  equal(buffer.take(), lineOf(STATUS) + lineOf(LENGTH));
  buffer.followAgain();
  equal(makeHead(buffer, [STATUS, TYPE]), whole([STATUS, TYPE]));
  equal(buffer.text, "");
  deepEqual(
    [STATUS, TYPE].map((call) => buffer.follows(...call)),
    [true, true],
  );
});

Deno.test("a head sent in parts while it still follows the kept one sends every line", () => {
  const buffer = new HeadBuffer();
  makeHead(buffer, [STATUS, LENGTH]);
  // The same calls, then flush_headers instead of end_headers.
  for (const call of [STATUS, LENGTH]) equal(buffer.follows(...call), true);
  buffer.forget();
  equal(buffer.take(), lineOf(STATUS) + lineOf(LENGTH));
});

Deno.test("a connection whose heads keep differing stops keeping them", () => {
  const buffer = new HeadBuffer();
  for (let i = 0; i < MEMO_GIVE_UP; i++) {
    const varying: Call = ["X-Count", String(i), HEADER_CALL];
    equal(makeHead(buffer, [STATUS, varying]), whole([STATUS, varying]));
  }
  // Given up: even a repeat is built, never followed.
  equal(buffer.follows(...STATUS), false);
  const last: Call = ["X-Count", String(MEMO_GIVE_UP - 1), HEADER_CALL];
  equal(makeHead(buffer, [STATUS, last]), whole([STATUS, last]));
});
