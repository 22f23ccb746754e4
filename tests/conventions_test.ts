/**
 * Checks on the tree itself: rules that keep the docs and examples honest.
 */
import { deepEqual } from "node:assert/strict";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SKIP_DIRS = new Set([".git", "node_modules", "fixtures", ".ci"]);

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory && !SKIP_DIRS.has(entry.name)) {
      yield* sourceFiles(path);
    } else if (entry.isFile && /\.(ts|md)$/.test(entry.name)) yield path;
  }
}

Deno.test("doc examples assert with node:assert, never console.assert (which only logs)", async () => {
  const offenders: string[] = [];
  for await (const path of sourceFiles(ROOT)) {
    const rel = relative(ROOT, path);
    if (rel === "tests/conventions_test.ts") continue;
    if ((await Deno.readTextFile(path)).includes("console.assert(")) {
      offenders.push(rel);
    }
  }
  deepEqual(offenders, []);
});

Deno.test("every deno.json export points at a file that exists", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const missing = Object.values(config.exports as Record<string, string>)
    .filter((target) => {
      try {
        return !Deno.statSync(join(ROOT, target)).isFile;
      } catch {
        return true;
      }
    });
  deepEqual(missing, []);
});
