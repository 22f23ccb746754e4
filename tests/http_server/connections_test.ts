/**
 * The connection tracker (`_connections.ts`): the connections it holds, the
 * deadlines it enforces, what draining does, and that it lets go of a
 * finished connection at once, even to a scavenge.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  ConnectionTracker,
  Phase,
  type TrackedConnection,
} from "../../http_server/_connections.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function connection(
  name: string,
  expired: string[],
  phase: Phase = Phase.Busy,
): TrackedConnection & { moved: number; stalled: boolean } {
  return {
    phase,
    limit: Infinity,
    changes: 0,
    expire: (p) => expired.push(`${name}:${p}`),
    previous: null,
    next: null,
    stallLimit: Infinity,
    moved: 0,
    stalled: false,
    progress() {
      return this.moved;
    },
    waiting() {
      return this.stalled;
    },
    lastProgress: -1,
    stalledSince: 0,
    seenChanges: -1,
    seenSince: 0,
  };
}

Deno.test("drain() expires the idle connections it holds, and only those", () => {
  const tracker = new ConnectionTracker();
  const expired: string[] = [];
  const [a, b, c, d] = ["a", "b", "c", "d"].map((name, i) =>
    connection(name, expired, i % 2 ? Phase.Idle : Phase.Busy)
  );
  for (const each of [a!, b!, c!, d!]) tracker.add(each, null);
  tracker.delete(d!); // idle, but no longer tracked
  tracker.delete(d!); // a second delete changes nothing
  tracker.drain();
  deepEqual(expired, [`b:${Phase.Idle}`]);
  // Taking one out of the middle, the first and the last keeps the rest.
  tracker.delete(b!);
  tracker.delete(c!);
  tracker.delete(a!);
  const e = connection("e", expired, Phase.Idle);
  tracker.add(e, null);
  tracker.drain();
  deepEqual(expired, [`b:${Phase.Idle}`, `e:${Phase.Idle}`]);
  tracker.delete(e);
});

Deno.test("a connection past its deadline expires once, with the phase it was in", async () => {
  const tracker = new ConnectionTracker();
  const expired: string[] = [];
  const late = connection("late", expired, Phase.Head);
  const busy = connection("busy", expired, Phase.Busy);
  late.limit = busy.limit = 0;
  tracker.add(late, 0.1);
  tracker.add(busy, 0.1);
  await sleep(150);
  deepEqual(expired, [`late:${Phase.Head}`]);
  equal(late.phase, Phase.Busy);
  tracker.delete(late);
  tracker.delete(busy);
  await sleep(60); // the timer stops at its next check, nothing left
});

Deno.test("each phase is timed on its own: one begun again and again never expires, one that lasts does, never before its limit", async () => {
  const tracker = new ConnectionTracker();
  const expired: string[] = [];
  const serving = connection("serving", expired, Phase.Idle);
  const waiting = connection("waiting", expired, Phase.Idle);
  serving.limit = waiting.limit = 100;
  const started = performance.now();
  let expiredAt = NaN;
  waiting.expire = (phase) => {
    expiredAt = performance.now();
    expired.push(`waiting:${phase}`);
  };
  tracker.add(serving, 0.1); // checks every 25 ms
  tracker.add(waiting, 0.1);
  // A kept-alive connection: a new request (a new phase) every 20 ms.
  const requests = setInterval(() => serving.changes++, 20);
  await sleep(400);
  clearInterval(requests);
  deepEqual(expired, [`waiting:${Phase.Idle}`]);
  ok(expiredAt - started >= 100, `expired after ${expiredAt - started} ms`);
  tracker.delete(serving);
  tracker.delete(waiting);
  await sleep(60);
});

Deno.test("a busy connection expires only when a read or write has waited without progress past its stall limit", async () => {
  const tracker = new ConnectionTracker();
  const expired: string[] = [];
  const stuck = connection("stuck", expired); // waits, nothing moves
  const moving = connection("moving", expired); // waits, but bytes move
  const thinking = connection("thinking", expired); // waits on nothing
  for (const c of [stuck, moving, thinking]) {
    (c as { stallLimit: number }).stallLimit = 100;
    c.stalled = c !== thinking;
    tracker.add(c, 0.1);
  }
  const mover = setInterval(() => moving.moved++, 10);
  await sleep(400);
  clearInterval(mover);
  deepEqual(expired, [`stuck:${Phase.Busy}`]);
  for (const c of [stuck, moving, thinking]) tracker.delete(c);
  await sleep(60);
});

Deno.test("finished connections are not kept past a scavenge (a long-lived tracker promotes none)", async () => {
  // The tracker once held its connections in a Set. A Set that takes in
  // and lets go of an entry per request keeps replacing its table, and a
  // replaced table in the old generation still points at the young
  // connections it held: each scavenge then kept every finished connection
  // (with its handler, buffers and headers) and promoted it, until the next
  // full GC. At 10,000 connections a second that was most of the GC time.
  const url = new URL("../../http_server/_connections.ts", import.meta.url);
  const script = `
    import v8 from "node:v8";
    import { ConnectionTracker } from "${url.href}";
    const oldUsed = () =>
      v8.getHeapSpaceStatistics()
        .find((space) => space.space_name === "old_space").space_used_size;
    const tracker = new ConnectionTracker();
    const open = [];
    function serve(count) {
      for (let i = 0; i < count; i++) {
        const c = { phase: 0, limit: Infinity, changes: 0, expire() {}, previous: null,
          next: null, held: new Array(64).fill(i) };
        tracker.add(c, null);
        open.push(c);
        if (open.length > 32) tracker.delete(open.shift());
      }
    }
    serve(1000);
    // A full GC moves the tracker to the old generation, as time does on a
    // server that has run for a while.
    globalThis.gc();
    const before = oldUsed();
    let grown = 0;
    for (let round = 0; round < 100; round++) {
      serve(2000);
      grown = Math.max(grown, oldUsed() - before);
    }
    console.log(Math.round(grown / 2 ** 20));
  `;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--v8-flags=--expose-gc", "--ext=js", script],
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const grownMiB = Number(new TextDecoder().decode(out.stdout).trim());
  ok(grownMiB < 4, `the old generation grew by ${grownMiB} MiB`);
});
