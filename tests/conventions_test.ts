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

/** The names a block imports from node:assert, as it calls them. */
function assertNames(code: string): string[] {
  const names: string[] = [];
  for (
    const m of code.matchAll(/import \{([^}]*)\} from "node:assert[^"]*"/g)
  ) {
    for (const part of (m[1] as string).split(",")) {
      const name = part.trim().split(/\s+as\s+/).at(-1);
      if (name) names.push(name);
    }
  }
  return names;
}

Deno.test("every doc example (JSDoc and Markdown) asserts something", async () => {
  const silent: string[] = [];
  for await (const path of sourceFiles(ROOT)) {
    const rel = relative(ROOT, path);
    if (rel.startsWith("tests/") || rel.startsWith("bench/")) continue;
    const text = await Deno.readTextFile(path);
    for (
      const m of text.matchAll(/```(?:ts|typescript)([^\n]*)\n([\s\S]*?)```/g)
    ) {
      if (/\bignore\b/.test(m[1] as string)) continue;
      const code = (m[2] as string).replace(/^\s*\* ?/gm, "");
      const called = assertNames(code).some((name) =>
        new RegExp(`\\b${name}\\s*\\(`).test(
          code.replace(/^import .*$/gm, ""),
        )
      );
      // `typeof main === "function"` of an import is true by construction.
      const tautology = /typeof \w+ === "function"/.test(code);
      if (!called || tautology) {
        silent.push(`${rel}:${text.slice(0, m.index).split("\n").length}`);
      }
    }
  }
  deepEqual(
    silent,
    [],
    `these examples assert nothing about the code: ${silent.join(", ")}`,
  );
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

Deno.test("no export * except the root mod.ts re-exporting the module entry points", async () => {
  const config = JSON.parse(await Deno.readTextFile(join(ROOT, "deno.json")));
  const entries = new Set(
    Object.values(config.exports as Record<string, string>)
      .map((target) => join(ROOT, target)),
  );
  const offenders: string[] = [];
  for await (const path of sourceFiles(ROOT)) {
    if (!path.endsWith(".ts")) continue;
    const rel = relative(ROOT, path);
    const text = await Deno.readTextFile(path);
    for (const m of text.matchAll(/^export \* from "([^"]+)"/gm)) {
      const target = join(path, "..", m[1] as string);
      if (rel !== "mod.ts" || !entries.has(target)) {
        offenders.push(`${rel}: export * from "${m[1]}"`);
      }
    }
  }
  deepEqual(offenders, []);
});

Deno.test("bench scripts do their work only when run (import.meta.main), never at import", async () => {
  // A statement at the top level that awaits, loops or calls something
  // runs at import: a type-check tool or a stray `deno bench` would start
  // the benchmark.
  const topLevelWork =
    /^(await |for |while |if \((?!import\.meta\.main\))|(const|let) [^=]+= await |[\w.]+\()/;
  const offenders: string[] = [];
  for await (const entry of Deno.readDir(join(ROOT, "bench"))) {
    if (!entry.name.endsWith(".ts")) continue;
    const lines = (await Deno.readTextFile(join(ROOT, "bench", entry.name)))
      .split("\n");
    let inTemplate = false;
    lines.forEach((line, i) => {
      // Skip the insides of multi-line template strings (embedded Python).
      if ((line.match(/`/g)?.length ?? 0) % 2 === 1) inTemplate = !inTemplate;
      else if (!inTemplate && topLevelWork.test(line)) {
        offenders.push(`bench/${entry.name}:${i + 1}: ${line}`);
      }
    });
  }
  deepEqual(offenders, []);
});

/**
 * Source files that port no CPython 3.13 code, each with why. Every other
 * file under urllib/, http_server/ and _util/ (the mod.ts barrels aside)
 * says in its module doc which CPython file and part it follows.
 */
const NOT_PORTED: Record<string, string> = {
  "_util/py_args.ts": "our convention for Python's optional arguments",
  "_util/write_all.ts": "a Deno I/O helper, no CPython counterpart",
  "_util/http_token.ts": "RFC 9110 tokens, checked where Python checks none",
  "_util/class_attributes.ts":
    "our convention for Python's class attributes on TypeScript classes",
  "http_server/_range.ts": "RFC 9110 ranges: CPython 3.13's server has none",
  "http_server/_inside.ts":
    "a cheaper proof of the folder boundary: CPython 3.13 has no boundary",
  "_util/stderr.ts": "log batching, no CPython counterpart",
  "http_server/_frequency.ts":
    "the cache's admission (TinyLFU), no CPython counterpart",
  "http_server/_libc.ts": "the C library through FFI, no CPython counterpart",
  "http_server/_listener_nodelay.ts":
    "TCP_NODELAY for Deno's TLS connections, no CPython counterpart",
  "http_server/_open_node.ts":
    "opening without following links: CPython 3.13 has no boundary",
  "http_server/_stat_batch.ts":
    "stats shared by one turn's requests, no CPython counterpart",
  "socketserver/_buffer_pool.ts":
    "buffer reuse between connections, no CPython counterpart",
  "http_server/hosting_handler.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/live_reload.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_auth.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_compress.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_cors.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_directory_entries.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_etag.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_extra_headers.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_hosting_flags.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_hosting_paths.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_live_reload.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_watched_folders.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_watch_plan.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_negotiate.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_rich_listing.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_self_signed.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_secret_files.ts":
    "serve keeping its key and password files unserved: Python serves them",
  "http_server/_upload.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/workers.ts":
    "serve's file cache and workers (issue 10): no CPython counterpart",
  "http_server/file_cache.ts":
    "serve's file cache and workers (issue 10): no CPython counterpart",
  "http_server/_listing_cache.ts":
    "serve's file cache and workers (issue 10): no CPython counterpart",
  "http_server/_worker.ts":
    "serve's file cache and workers (issue 10): no CPython counterpart",
  "http_server/_supervisor.ts":
    "serve's file cache and workers (issue 10): no CPython counterpart",
  "http_server/_local_fs.ts":
    "serve's file cache and workers (issue 10): no CPython counterpart",
  "http_server/_file_stamp.ts":
    "serve's file cache and workers (issue 10): no CPython counterpart",
  "http_server/_file_cache.ts":
    "serve's file cache and workers (issue 10): no CPython counterpart",
  "http_server/_lru.ts":
    "serve's file cache and workers (issue 10): no CPython counterpart",
  "http_server/_upload_rules.ts":
    "serve's hosting features (issue 11): no CPython counterpart",
  "http_server/_upload_hosts.ts":
    "serve's hosting flags: the upload guard against DNS rebinding, no CPython counterpart",
  "http_server/_changed_bodies.ts":
    "serve's hosting flags: bodies kept for --compress and --watch, no CPython counterpart",
  "http_server/_turns.ts":
    "the engine's fairness between connections and long work, no CPython counterpart",
  "http_server/_shared_builds.ts":
    "serve's file cache and workers (issue 10): no CPython counterpart",
  "http_server/_wire_response.ts":
    "the fetch adapter's response parser: no CPython counterpart",
  "http_server/_wire_request.ts":
    "the fetch adapter's request serializer: no CPython counterpart",
  "http_server/_chunked.ts":
    "chunked framing for the fetch adapter and request bodies: CPython's server does not decode it",
  "http_server/_memory_connection.ts":
    "the fetch adapter's in-memory connection: no CPython counterpart",
  "http_server/_framing.ts":
    "request framing checks against smuggling: CPython has none",
  "http_server/fetch_handler.ts": "the fetch adapter: no CPython counterpart",
  "_util/_py_printable_table.ts":
    "generated from CPython 3.13 by tests/_util/fixtures/py_repr.py, not ported",
};

Deno.test("each ported file's module doc names the CPython 3.13 file it follows", async () => {
  const missing: string[] = [];
  for await (const path of sourceFiles(ROOT)) {
    const rel = relative(ROOT, path);
    if (!/^(urllib|http_server|socketserver|_util)\/.*\.ts$/.test(rel)) {
      continue;
    }
    if (rel.endsWith("/mod.ts") || rel in NOT_PORTED) continue;
    const text = await Deno.readTextFile(path);
    const moduleDoc = /^\/\*\*[\s\S]*?\*\//.exec(text)?.[0] ?? "";
    if (!/Follows CPython 3\.13 `(Lib|Objects|Python)\//.test(moduleDoc)) {
      missing.push(rel);
    }
  }
  deepEqual(
    missing,
    [],
    `add "Follows CPython 3.13 \`Lib/...\`, <part>." to ${missing.join(", ")}`,
  );
  const stale = Object.keys(NOT_PORTED).filter((rel) => {
    try {
      return !Deno.statSync(join(ROOT, rel)).isFile;
    } catch {
      return true;
    }
  });
  deepEqual(stale, [], "NOT_PORTED names files that are gone");
});
