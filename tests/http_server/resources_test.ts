/**
 * Resource use of our `serve` under load: clients that disconnect
 * mid-download leave no open file behind (the server's `/proc/<pid>/fd`
 * count stays flat over 10,000 requests), and 200 idle keep-alive
 * connections do not stop other requests being served.
 * The fd count is Linux-only; that part skips elsewhere.
 */

import { deepEqual, equal, ok } from "node:assert/strict";
import { buildRequest, header, RawConnection, sendRaw } from "./_diff_http.ts";
import { startServer } from "./_diff_server.ts";
import { openFds } from "../../bench/_proc.ts";

const linux = Deno.build.os === "linux";

const BIG = 256 * 1024 * 1024;
const SMALL = "small file body\n".repeat(64);

async function makeRoot(): Promise<string> {
  const root = await Deno.makeTempDir({ prefix: "pyport_http_res_" });
  await Deno.writeTextFile(`${root}/small.txt`, SMALL);
  // Sparse: 256 MiB on paper, no disk blocks.
  const f = await Deno.open(`${root}/big.bin`, {
    create: true,
    write: true,
  });
  await f.truncate(BIG);
  f.close();
  return root;
}

/** fds that point at files in `root` (not sockets or pipes). */
function openFilesUnder(pid: number, root: string): string[] {
  const found: string[] = [];
  for (const e of Deno.readDirSync(`/proc/${pid}/fd`)) {
    try {
      const target = Deno.readLinkSync(`/proc/${pid}/fd/${e.name}`);
      if (target.startsWith(root)) found.push(target);
    } catch {
      // closed while we looked
    }
  }
  return found;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const get = (target: string, extra: Record<string, string> = {}) =>
  buildRequest("GET", target, { Host: "localhost", ...extra }, "HTTP/1.1");

Deno.test({
  name:
    "resources: open-file count stays flat over 10,000 full, aborted and ranged requests",
  ignore: !linux,
  sanitizeResources: false,
  async fn() {
    const root = await makeRoot();
    try {
      await using server = await startServer("ours", root, {
        args: ["-p", "HTTP/1.1"],
      });
      // Ranged requests need Range support; without it each would send 256 MiB.
      const probe = await RawConnection.open(server);
      await probe.write(get("/big.bin", { Range: "bytes=0-15" }));
      const probed = await probe.read({ discardBody: true, timeoutMs: 2000 });
      probe.close();
      const rangeOk = probed.status === 206;

      await sleep(200);
      const baseline = openFds(server.pid);
      const TOTAL = 10_000;
      const WORKERS = 16;
      let next = 0;
      let peak = baseline;
      const failures: string[] = [];
      const counts = { full: 0, aborted: 0, ranged: 0, bigFull: 0 };

      const worker = async () => {
        let conn: RawConnection | null = null;
        const keepAlive = async () => conn ??= await RawConnection.open(server);
        while (next < TOTAL) {
          const i = next++;
          if (i % 1000 === 0) peak = Math.max(peak, openFds(server.pid));
          const kind = i % 3;
          if (kind === 0 || (kind === 2 && !rangeOk)) {
            const c = await keepAlive();
            await c.write(get("/small.txt"));
            const r = await c.read();
            if (r.status !== 200 || r.bodyLength !== SMALL.length) {
              failures.push(`full #${i}: ${r.status} ${r.bodyLength}`);
            }
            if (r.closed) {
              c.close();
              conn = null;
            }
            counts.full++;
          } else if (kind === 1) {
            // Abort mid-download: read a little, then hang up.
            const c = await RawConnection.open(server);
            await c.write(get("/big.bin"));
            await c.read({ discardBody: true, stopAfter: 64 * 1024 });
            c.close();
            counts.aborted++;
          } else {
            const c = await keepAlive();
            const start = (i * 7919) % (BIG - 4096);
            await c.write(
              get("/big.bin", { Range: `bytes=${start}-${start + 4095}` }),
            );
            const r = await c.read();
            if (r.status !== 206 || r.bodyLength !== 4096) {
              failures.push(`ranged #${i}: ${r.status} ${r.bodyLength}`);
            }
            if (r.closed) {
              c.close();
              conn = null;
            }
            counts.ranged++;
          }
        }
        (conn as RawConnection | null)?.close();
      };
      const started = Date.now();
      await Promise.all(Array.from({ length: WORKERS }, worker));
      // Two complete downloads of the big file, to check the full path too.
      for (let k = 0; k < 2; k++) {
        const r = await sendRaw(
          server,
          get("/big.bin", { Connection: "close" }),
          {
            discardBody: true,
            timeoutMs: 30_000,
          },
        );
        equal(r.bodyLength, BIG, "full download of the big file was cut");
        counts.bigFull++;
      }
      const elapsed = Date.now() - started;

      // Aborted streams are released asynchronously: give them a moment.
      let after = openFds(server.pid);
      for (
        let t = 0;
        t < 40 &&
        (after > baseline + 2 || openFilesUnder(server.pid, root).length > 0);
        t++
      ) {
        await sleep(100);
        after = openFds(server.pid);
      }
      console.log(
        `fds: baseline ${baseline}, peak ${peak}, after ${after}; ` +
          `${JSON.stringify(counts)} in ${elapsed} ms; ranges ${
            rangeOk ? "on" : "off"
          }`,
      );
      deepEqual(failures.slice(0, 10), []);
      deepEqual(openFilesUnder(server.pid, root), [], "files left open");
      ok(after <= baseline + 2, `fd count grew: ${baseline} -> ${after}`);
      // During the run: one socket per client connection plus one file each.
      ok(peak <= baseline + WORKERS * 3 + 8, `fd peak too high: ${peak}`);
      const alive = await sendRaw(server, get("/small.txt"));
      equal(alive.status, 200, "server stopped serving");
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "resources: 200 idle keep-alive connections do not block other requests",
  sanitizeResources: false,
  async fn() {
    const root = await makeRoot();
    const idle: RawConnection[] = [];
    try {
      await using server = await startServer("ours", root, {
        args: ["-p", "HTTP/1.1"],
      });
      for (let i = 0; i < 200; i++) {
        const c = await RawConnection.open(server);
        idle.push(c);
        // Half have had one request answered, half never sent a byte.
        if (i % 2 === 0) {
          await c.write(get("/small.txt"));
          const r = await c.read();
          equal(r.status, 200);
          equal(r.closed, false, "HTTP/1.1 connection closed after a request");
          equal(header(r, "connection")?.toLowerCase() === "close", false);
        }
      }
      const t0 = Date.now();
      const results = await Promise.all(
        Array.from(
          { length: 20 },
          () =>
            sendRaw(server, get("/small.txt", { Connection: "close" }), {
              timeoutMs: 3000,
            }),
        ),
      );
      const took = Date.now() - t0;
      deepEqual(results.map((r) => r.status), Array(20).fill(200));
      ok(
        took < 3000,
        `20 requests took ${took} ms behind 200 idle connections`,
      );
      // The idle keep-alive connections are still usable.
      for (const c of idle.filter((_, i) => i % 20 === 0)) {
        await c.write(get("/small.txt"));
        equal((await c.read({ timeoutMs: 3000 })).status, 200);
      }
    } finally {
      for (const c of idle) c.close();
      await Deno.remove(root, { recursive: true });
    }
  },
});
