import { deepEqual } from "node:assert/strict";
import { pieceEnd } from "../../_util/stderr.ts";

/** The writes flushStderr makes of `text`, as their lengths. */
function pieces(text: string): number[] {
  const bytes = new TextEncoder().encode(text);
  const lengths: number[] = [];
  for (let start = 0; start < bytes.length;) {
    const end = pieceEnd(bytes, start);
    lengths.push(end - start);
    start = end;
  }
  return lengths;
}

Deno.test("log writes: whole lines of at most 4 KiB, a longer line alone", () => {
  const line = (n: number) => "x".repeat(n - 1) + "\n";
  deepEqual(pieces(line(100).repeat(3)), [300]);
  // 41 lines of 100 bytes: 40 fit in 4096, the 41st goes next.
  deepEqual(pieces(line(100).repeat(41)), [4000, 100]);
  deepEqual(pieces(line(4096) + line(10)), [4096, 10]);
  deepEqual(pieces(line(10) + line(5000) + line(10)), [10, 5000, 10]);
  deepEqual(pieces("x".repeat(5000)), [5000]);
});
