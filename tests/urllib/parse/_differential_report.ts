/**
 * Groups the differences between CPython's urllib.parse and ours by function
 * and kind, with a few examples each, for the implementers to work from:
 *
 *     deno run -A tests/urllib/parse/_differential_report.ts [examples-per-group] [function...]
 *
 * @module
 */
import * as parse from "../../../urllib/parse/mod.ts";
import {
  formatMismatch,
  loadFixture,
  type Mismatch,
  type Module,
  replayAll,
} from "./_differential_replay.ts";

const [limitArg, ...only] = Deno.args;
const perGroup = Number(limitArg ?? 3) || 3;

const fixture = await loadFixture();
const cases = only.length > 0
  ? fixture.cases.filter((c) => only.includes(c.fn))
  : fixture.cases;
const started = performance.now();
const mismatches = replayAll(cases, parse as Module);
const elapsed = performance.now() - started;

const groups = new Map<string, Mismatch[]>();
for (const m of mismatches) {
  const key = `${m.case.fn} | ${m.kind}`;
  const group = groups.get(key) ?? [];
  group.push(m);
  groups.set(key, group);
}

const totals = new Map<string, number>();
for (const c of cases) totals.set(c.fn, (totals.get(c.fn) ?? 0) + 1);
const failing = new Map<string, number>();
for (const m of mismatches) {
  failing.set(m.case.fn, (failing.get(m.case.fn) ?? 0) + 1);
}

console.log(
  `${mismatches.length} of ${cases.length} cases differ ` +
    `(replayed in ${elapsed.toFixed(0)} ms)\n`,
);
for (const [fn, total] of [...totals].sort()) {
  console.log(
    `  ${fn.padEnd(18)} ${String(failing.get(fn) ?? 0).padStart(5)} / ${total}`,
  );
}
const ordered = [...groups].sort((a, b) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0
);
for (const [key, group] of ordered) {
  console.log(`\n== ${key}: ${group.length}`);
  for (const m of group.slice(0, perGroup)) console.log(formatMismatch(m));
}
