/** The frequency sketch behind the file cache's admission (`_frequency.ts`). */
import { equal, ok } from "node:assert/strict";
import { FrequencySketch } from "../../http_server/_frequency.ts";

Deno.test("FrequencySketch: counts requests per key, capped at 15", () => {
  const sketch = new FrequencySketch(1024);
  equal(sketch.estimate("/a"), 0);
  for (let i = 0; i < 3; i++) sketch.increment("/a");
  sketch.increment("/b");
  equal(sketch.estimate("/a"), 3);
  equal(sketch.estimate("/b"), 1);
  equal(sketch.estimate("/c"), 0);
  for (let i = 0; i < 40; i++) sketch.increment("/a");
  equal(sketch.estimate("/a"), 15);
});

Deno.test("FrequencySketch: many other keys barely blur a key's count", () => {
  const sketch = new FrequencySketch(4096);
  for (let i = 0; i < 4096; i++) sketch.increment(`/files/f${i}.bin`);
  for (let i = 0; i < 5; i++) sketch.increment("/hot.html");
  // Count-min only ever overestimates; with four rows, rarely by much.
  const hot = sketch.estimate("/hot.html");
  ok(hot >= 5 && hot <= 7, `estimate ${hot}`);
  let over = 0;
  for (let i = 0; i < 4096; i++) {
    if (sketch.estimate(`/files/f${i}.bin`) > 2) over++;
  }
  ok(over < 41, `${over} of 4096 keys counted more than twice`);
});

Deno.test("FrequencySketch: old popularity fades (all counts halve every 10 x width requests)", () => {
  const sketch = new FrequencySketch(1); // the smallest, 256 columns: 2560
  for (let i = 0; i < 15; i++) sketch.increment("/old");
  let requests = 15;
  while (sketch.estimate("/old") === 15 && requests < 5000) {
    sketch.increment(`/new${requests++}`);
  }
  equal(sketch.estimate("/old"), 7);
  // Not before 2560 requests were counted (one whose counters were all at
  // 15 already counts for nothing, so it may take a few more).
  ok(requests >= 2560 && requests < 2700, `halved after ${requests}`);
});
