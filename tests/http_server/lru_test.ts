import { deepEqual, equal } from "node:assert/strict";
import { Lru } from "../../http_server/_lru.ts";

const item = (cost: number) => ({ cost });

function keys(lru: Lru<{ cost: number }>, candidates: string[]): string[] {
  // get() marks what it finds: call this only at the end of a test.
  return candidates.filter((k) => lru.get(k) !== undefined);
}

Deno.test("Lru: evicts the least recently used past the cost bound", () => {
  const lru = new Lru(100, 10);
  lru.set("a", item(40));
  lru.set("b", item(40));
  lru.get("a"); // a is now the most recently used
  lru.set("c", item(40)); // 120 > 100: b goes
  equal(lru.cost, 80);
  equal(lru.size, 2);
  deepEqual(keys(lru, ["a", "b", "c"]), ["a", "c"]);
});

Deno.test("Lru: evicts past the entry bound", () => {
  const lru = new Lru(1_000, 3);
  for (const k of ["a", "b", "c", "d"]) lru.set(k, item(1));
  equal(lru.size, 3);
  equal(lru.get("a"), undefined);
  equal(lru.cost, 3);
});

Deno.test("Lru: replacing a key counts its cost once", () => {
  const lru = new Lru(100, 10);
  lru.set("a", item(60));
  lru.set("a", item(30));
  equal(lru.cost, 30);
  equal(lru.size, 1);
});

Deno.test("Lru: a value bigger than the budget is not kept, nor the old one", () => {
  const lru = new Lru(100, 10);
  lru.set("a", item(10));
  lru.set("b", item(10));
  lru.set("a", item(101));
  equal(lru.get("a"), undefined);
  equal(lru.cost, 10);
  deepEqual(keys(lru, ["b"]), ["b"]);
  const none = new Lru(100, 0);
  none.set("x", item(1));
  equal(none.size, 0);
});

Deno.test("Lru: delete and clear", () => {
  const lru = new Lru(100, 10);
  lru.set("a", item(10));
  lru.set("b", item(20));
  lru.delete("a");
  lru.delete("missing");
  equal(lru.cost, 20);
  lru.clear();
  equal(lru.cost, 0);
  equal(lru.size, 0);
});

Deno.test("Lru: a hit is a second chance; unused entries go oldest first", () => {
  const lru = new Lru(1_000, 4);
  for (const k of ["a", "b", "c", "d"]) lru.set(k, item(1));
  lru.get("a");
  lru.get("c");
  lru.set("e", item(1)); // b, the oldest unused, goes; a moves behind d
  lru.set("f", item(1)); // then d (c moved behind a)
  equal(lru.size, 4);
  lru.set("g", item(1)); // a and c lost their mark when passed: a goes
  deepEqual(keys(lru, ["a", "b", "c", "d", "e", "f", "g"]), [
    "c",
    "e",
    "f",
    "g",
  ]);
});

Deno.test("Lru: eviction ends when every entry was used", () => {
  const lru = new Lru(3, 100);
  for (const k of ["a", "b", "c"]) lru.set(k, item(1));
  for (const k of ["a", "b", "c"]) lru.get(k);
  lru.set("d", item(2)); // each gets its second chance, then a and b go
  equal(lru.cost, 3);
  deepEqual(keys(lru, ["a", "b", "c", "d"]), ["c", "d"]);
});

Deno.test("Lru: peekVictim names what the next eviction removes, and it does", () => {
  const lru = new Lru(1_000, 4);
  equal(lru.peekVictim(), undefined);
  for (const k of ["a", "b", "c", "d"]) lru.set(k, item(1));
  lru.get("a");
  equal(lru.peekVictim(), "b"); // a had its second chance on the way
  equal(lru.peekVictim(), "b", "asking again moves nothing");
  equal(lru.size, 4);
  lru.set("e", item(1));
  deepEqual(keys(lru, ["a", "b", "c", "d", "e"]), ["a", "c", "d", "e"]);
});

Deno.test("Lru: onRemove hears of every value that leaves", () => {
  const gone: string[] = [];
  const named = (name: string, cost: number) => ({ name, cost });
  const lru = new Lru<{ name: string; cost: number }>(
    100,
    2,
    (value) => gone.push(value.name),
  );
  lru.set("a", named("a1", 10));
  lru.set("a", named("a2", 10)); // replaced
  lru.set("b", named("b", 10));
  lru.set("c", named("c", 10)); // evicts the oldest unused: a2
  lru.delete("b");
  lru.set("d", named("d", 101)); // too big: never held, so never removed
  lru.clear();
  deepEqual(gone, ["a1", "a2", "b", "c"]);
  equal(lru.size, 0);
});
