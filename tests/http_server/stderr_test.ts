import { deepEqual, equal, ok } from "node:assert/strict";
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

Deno.test("log lines queued when the process ends go out first: on exit, an uncaught error or an unhandled rejection", async () => {
  const module = new URL("../../_util/stderr.ts", import.meta.url).href;
  for (
    const end of [
      "Deno.exit(3)",
      "throw new Error('boom')",
      "Promise.reject(new Error('rejected'))",
    ]
  ) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: [
        "eval",
        `import { writeStderr } from "${module}"; writeStderr("queued line\\n"); ${end};`,
      ],
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    ok(stderr.startsWith("queued line\n"), `${end}: ${stderr}`);
  }
});

Deno.test("a lone surrogate goes to stderr as Python's backslashreplace writes it", async () => {
  const module = new URL("../../_util/stderr.ts", import.meta.url).href;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "eval",
      `import { writeStderr } from "${module}"; writeStderr("a\\ud800b é\\n");`,
    ],
    stderr: "piped",
  }).output();
  // CPython 3.13: sys.stderr.write("a\ud800b é\n") writes a\ud800b é.
  equal(new TextDecoder().decode(out.stderr), "a\\ud800b é\n");
});
