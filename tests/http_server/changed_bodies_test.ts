/** The changed bodies (compressed, or with the reload script) `serve` keeps: by tag and path, bounded. */
import { equal } from "node:assert/strict";
import { ChangedBodies } from "../../http_server/_changed_bodies.ts";

Deno.test("ChangedBodies: a body is found under its tag and URL path only", () => {
  const bodies = new ChangedBodies();
  const body = new Uint8Array([1, 2, 3]);
  bodies.set('"a-br"', "/app.js", body);
  equal(bodies.get('"a-br"', "/app.js"), body);
  equal(bodies.get('"a-gzip"', "/app.js"), undefined);
  equal(bodies.get('"b-br"', "/app.js"), undefined);
  equal(bodies.get('"a-br"', "/other.js"), undefined);
});

Deno.test("ChangedBodies: a body over 1 MiB is not kept, and 16 MiB in all", () => {
  const bodies = new ChangedBodies();
  bodies.set('"big"', "/big.js", new Uint8Array(1024 * 1024 + 1));
  equal(bodies.get('"big"', "/big.js"), undefined);
  const mib = new Uint8Array(1024 * 1024);
  for (let i = 0; i < 20; i++) bodies.set(`"t${i}"`, "/f.js", mib);
  let kept = 0;
  for (let i = 0; i < 20; i++) if (bodies.get(`"t${i}"`, "/f.js")) kept++;
  equal(kept < 16, true, `${kept} MiB kept`);
  equal(bodies.get('"t19"', "/f.js"), mib, "the latest is kept");
});
