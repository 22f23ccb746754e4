import { equal, notEqual } from "node:assert/strict";
import {
  fileStamp,
  isSettled,
  sameStamp,
  secondIsOver,
  SETTLE_MS,
} from "../../http_server/_file_stamp.ts";

Deno.test("secondIsOver: from SETTLE_MS after the start of the second holding the time", () => {
  const second = Date.UTC(2026, 10, 26, 2, 31, 40);
  for (const within of [0, 1, 500, 999]) {
    const time = second + within;
    equal(secondIsOver(time, time), false);
    equal(secondIsOver(time, second + SETTLE_MS - 1), false);
    equal(secondIsOver(time, second + SETTLE_MS), true);
  }
  // A time ahead of the clock (a future mtime) is not over.
  equal(secondIsOver(second + 60_000, second + SETTLE_MS), false);
});

Deno.test("isSettled: only once SETTLE_MS have passed since the change time", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/f`;
  Deno.writeTextFileSync(path, "x");
  const info = Deno.statSync(path);
  const ctime = info.ctime!.getTime();
  equal(isSettled(info, ctime), false);
  equal(isSettled(info, ctime + SETTLE_MS - 1), false);
  equal(isSettled(info, ctime + SETTLE_MS), true);
  // A change time ahead of the clock (clock set back) never settles early.
  equal(isSettled(info, ctime - 60_000), false);
  Deno.removeSync(dir, { recursive: true });
});

Deno.test("sameStamp: a rewrite, touch -d and rename over all change it", () => {
  const dir = Deno.makeTempDirSync();
  const path = `${dir}/f`;
  Deno.writeTextFileSync(path, "aaaa");
  const first = Deno.statSync(path);
  const stamp = fileStamp(first)!;
  notEqual(stamp, null);
  equal(sameStamp(stamp, Deno.statSync(path)), true);
  // The change time moves on even when mtime is put back; whole seconds
  // in Deno, so wait for the next one.
  const next = (Math.floor(first.ctime!.getTime() / 1000) + 1) * 1000;
  while (Date.now() < next + 20) {
    // Busy-wait under a second; the test must cross a second boundary.
  }
  Deno.writeTextFileSync(path, "bbbb");
  Deno.utimeSync(path, first.atime!, first.mtime!);
  const after = Deno.statSync(path);
  equal(after.mtime!.getTime(), first.mtime!.getTime());
  equal(sameStamp(stamp, after), false);
  Deno.writeTextFileSync(`${dir}/g`, "aaaa");
  Deno.renameSync(`${dir}/g`, path);
  equal(sameStamp(fileStamp(after)!, Deno.statSync(path)), false);
  Deno.removeSync(dir, { recursive: true });
});
