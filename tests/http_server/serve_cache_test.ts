/**
 * The file cache in the real `serve` process: each staleness case is served
 * fresh on the very next request, the cache is really used (the process
 * reads far fewer bytes than it serves), bounded, off with `--no-cache`,
 * and the folder boundary holds for cached files.
 *
 * Whether a request was answered from memory is read from
 * `/proc/<pid>/io` (`rchar`: bytes the process read through system calls,
 * sockets included), so these tests run on Linux only.
 */
import { equal, ok } from "node:assert/strict";
import { ServeProcess } from "../_server.ts";
import { settle } from "./_cache_tree.ts";

const LINUX = Deno.build.os === "linux";
const SIZE = 48 * 1024;

/** Bytes the process has read so far (files and sockets). */
function bytesRead(pid: number): number {
  const io = Deno.readTextFileSync(`/proc/${pid}/io`);
  return Number(/^rchar: (\d+)$/m.exec(io)?.[1]);
}

function filled(byte: number, size = SIZE): Uint8Array {
  return new Uint8Array(size).fill(byte);
}

/** GETs `path`; returns status and the body's size and first byte. */
async function fetchShape(base: string, path: string) {
  const res = await fetch(base + path, { signal: AbortSignal.timeout(10_000) });
  const body = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, size: body.length, byte: body[0] ?? -1 };
}

/**
 * GETs `path` `times` times and returns how many bytes serve read meanwhile:
 * about the size of the requests when answered from memory.
 */
async function readWhileFetching(
  server: ServeProcess,
  base: string,
  path: string,
  times: number,
): Promise<number> {
  const before = bytesRead(server.child.pid);
  for (let i = 0; i < times; i++) await fetchShape(base, path);
  return bytesRead(server.child.pid) - before;
}

/**
 * {@linkcode readWhileFetching} for a file expected in the cache. A window
 * can catch a read of the process's own that has nothing to do with the
 * file (seen once in a full parallel run on a loaded machine: 221 KB while
 * a cached 48 KiB file was fetched four times), so a window that read the
 * file's size or more is tried once more: a file not cached is read in
 * both. Returns the smaller count.
 */
async function readWhileFetchingCached(
  server: ServeProcess,
  base: string,
  path: string,
  times: number,
): Promise<number> {
  const first = await readWhileFetching(server, base, path, times);
  if (first < SIZE) return first;
  return Math.min(first, await readWhileFetching(server, base, path, times));
}

async function startServe(dir: string, ...flags: string[]) {
  const server = new ServeProcess([
    "0",
    "-b",
    "127.0.0.1",
    "-d",
    dir,
    ...flags,
  ]);
  const port = await server.started();
  return { server, base: `http://127.0.0.1:${port}` };
}

function run(cmd: string, args: string[]): void {
  const out = new Deno.Command(cmd, { args, stderr: "piped" }).outputSync();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
}

Deno.test({
  name: "serve cache: every change is served fresh on the very next request",
  ignore: !LINUX,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pyport_serve_cache_" });
    const cases = ["grow", "same", "touched", "copied", "renamed", "deleted"];
    for (const name of cases) {
      await Deno.writeFile(`${dir}/${name}.bin`, filled(1));
    }
    await Deno.writeFile(`${dir}/spare.bin`, filled(2));
    await Deno.mkdir(`${dir}/list`);
    await Deno.writeTextFile(`${dir}/list/a.txt`, "a");
    await settle(
      dir,
      `${dir}/list`,
      `${dir}/spare.bin`,
      ...cases.map((n) => `${dir}/${n}.bin`),
    );
    const { server, base } = await startServe(dir);
    await using _ = server;

    for (const name of cases) {
      equal((await fetchShape(base, `/${name}.bin`)).byte, 1);
      const read = await readWhileFetchingCached(
        server,
        base,
        `/${name}.bin`,
        4,
      );
      ok(read < SIZE, `${name}.bin was read from disk again (${read} bytes)`);
    }
    const listing = async () =>
      await (await fetch(`${base}/list/`, {
        signal: AbortSignal.timeout(10_000),
      })).text();
    ok((await listing()).includes("a.txt"));
    await listing();

    // Each change lands within the same second as the cached copy's last use.
    await Deno.writeFile(`${dir}/grow.bin`, filled(2, SIZE + 1));
    const grown = await fetchShape(base, "/grow.bin");
    equal(grown.size, SIZE + 1);
    equal(grown.byte, 2);

    await Deno.writeFile(`${dir}/same.bin`, filled(2));
    equal((await fetchShape(base, "/same.bin")).byte, 2);

    // Same size, and the modification time put back.
    const old = Deno.statSync(`${dir}/touched.bin`).mtime!;
    await Deno.writeFile(`${dir}/touched.bin`, filled(2));
    run("touch", ["-d", `@${old.getTime() / 1000}`, `${dir}/touched.bin`]);
    equal(Deno.statSync(`${dir}/touched.bin`).mtime?.getTime(), old.getTime());
    equal((await fetchShape(base, "/touched.bin")).byte, 2);

    // cp -p over it, from a same-size copy carrying the old mtime.
    await Deno.utime(`${dir}/spare.bin`, old, old);
    run("cp", ["-p", `${dir}/spare.bin`, `${dir}/copied.bin`]);
    equal((await fetchShape(base, "/copied.bin")).byte, 2);

    await Deno.writeFile(`${dir}/.new`, filled(2));
    await Deno.rename(`${dir}/.new`, `${dir}/renamed.bin`);
    equal((await fetchShape(base, "/renamed.bin")).byte, 2);

    await Deno.remove(`${dir}/deleted.bin`);
    equal((await fetchShape(base, "/deleted.bin")).status, 404);

    await Deno.writeTextFile(`${dir}/list/b.txt`, "b");
    ok((await listing()).includes("b.txt"));
    await Deno.remove(`${dir}/list/a.txt`);
    ok(!(await listing()).includes("a.txt"));

    equal(await server.stop("SIGINT"), 0);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name:
    "serve cache: under load from many connections, a request sent after a change sees it",
  ignore: !LINUX,
  async fn() {
    // The requests read in one turn share a stat (taken after all of them
    // arrived): none may be answered from a stat older than itself, which
    // here would serve a cached file's old bytes.
    const dir = await Deno.makeTempDir({ prefix: "pyport_serve_cache_" });
    const rounds = 12;
    const paths = Array.from({ length: rounds }, (_, i) => `/hot${i}.bin`);
    for (const path of paths) await Deno.writeFile(dir + path, filled(1));
    await settle(dir, ...paths.map((path) => dir + path));
    const { server, base } = await startServe(dir, "-p", "HTTP/1.1");
    await using _ = server;
    for (const path of paths) {
      equal((await fetchShape(base, path)).byte, 1);
      ok(await readWhileFetchingCached(server, base, path, 2) < SIZE, "cached");
    }

    let round = 0;
    let changedAt = Infinity;
    let running = true;
    const stale: string[] = [];
    let checked = 0;
    const load = async () => {
      while (running) {
        const r = round;
        const sentAfterChange = performance.now() > changedAt;
        const { byte } = await fetchShape(base, paths[r]!);
        if (!sentAfterChange || r !== round) continue;
        checked++;
        if (byte !== 2) stale.push(`${paths[r]}: ${byte}`);
      }
    };
    const loaders = Array.from({ length: 8 }, load);
    try {
      for (; round < rounds; round++) {
        changedAt = Infinity;
        await new Promise((r) => setTimeout(r, 20));
        Deno.writeFileSync(dir + paths[round]!, filled(2));
        changedAt = performance.now();
        const { byte } = await fetchShape(base, paths[round]!);
        if (byte !== 2) stale.push(`${paths[round]}: ${byte} (in order)`);
        await new Promise((r) => setTimeout(r, 20));
      }
    } finally {
      running = false;
      await Promise.all(loaders);
    }
    equal(stale.join(", "), "");
    ok(checked > rounds, `only ${checked} requests after a change`);
    equal(await server.stop("SIGTERM"), 0);
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name:
    "serve cache: bounded when the files are larger than the budget; off with --no-cache",
  ignore: !LINUX,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pyport_serve_cache_" });
    // 600 files of 64 KiB: 37.5 MiB, above the 32 MiB budget. Sparse, so
    // they cost no disk.
    const count = 600;
    const size = 64 * 1024;
    for (let i = 0; i < count; i++) {
      using file = await Deno.open(`${dir}/f${i}.bin`, {
        create: true,
        write: true,
      });
      await file.truncate(size);
    }
    await settle(dir, `${dir}/f${count - 1}.bin`);
    {
      const { server, base } = await startServe(dir);
      await using _ = server;
      for (let i = 0; i < count; i++) {
        equal((await fetchShape(base, `/f${i}.bin`)).size, size);
      }
      // The files past the budget, each asked for as often as those
      // cached, were left out...
      const last = `/f${count - 1}.bin`;
      ok(
        await readWhileFetching(server, base, last, 1) >= size,
        `${last} is not cached`,
      );
      // ...but one fetched again and again gets in, in place of another.
      for (let i = 0; i < 4; i++) await fetchShape(base, last);
      ok(
        await readWhileFetching(server, base, last, 2) < size,
        "a file fetched again and again is cached",
      );
      const status = Deno.readTextFileSync(`/proc/${server.child.pid}/status`);
      const rssMiB = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1]) / 1024;
      ok(rssMiB < 200, `serve holds ${rssMiB} MiB after ${count} files`);
      equal(await server.stop("SIGTERM"), 0);
    }
    {
      const { server, base } = await startServe(dir, "--no-cache");
      await using _ = server;
      await fetchShape(base, "/f1.bin");
      ok(
        await readWhileFetching(server, base, "/f1.bin", 3) >= 3 * size,
        "--no-cache reads every time",
      );
      equal(await server.stop("SIGTERM"), 0);
    }
    await Deno.remove(dir, { recursive: true });
  },
});

Deno.test({
  name: "serve cache: the folder boundary holds for cached files",
  ignore: !LINUX,
  async fn() {
    const parent = await Deno.makeTempDir({ prefix: "pyport_serve_cache_" });
    const dir = `${parent}/www`;
    await Deno.mkdir(`${dir}/sub`, { recursive: true });
    await Deno.writeFile(`${dir}/sub/page.bin`, filled(1));
    await Deno.writeFile(`${dir}/link.bin`, filled(1));
    await Deno.writeFile(`${parent}/secret.bin`, filled(9));
    await settle(`${dir}/sub/page.bin`, `${dir}/link.bin`);
    const { server, base } = await startServe(dir);
    await using _ = server;
    for (const path of ["/sub/page.bin", "/link.bin"]) {
      await fetchShape(base, path);
      ok(
        await readWhileFetchingCached(server, base, path, 2) < SIZE,
        `${path} cached`,
      );
    }
    // The unchanged file moved out, a link to it left in its place.
    await Deno.rename(`${dir}/sub`, `${parent}/out`);
    await Deno.symlink(`${parent}/out`, `${dir}/sub`);
    equal((await fetchShape(base, "/sub/page.bin")).status, 404);
    await Deno.remove(`${dir}/link.bin`);
    await Deno.symlink(`${parent}/secret.bin`, `${dir}/link.bin`);
    equal((await fetchShape(base, "/link.bin")).status, 404);
    equal(await server.stop("SIGINT"), 0);
    await Deno.remove(parent, { recursive: true });
  },
});
