/**
 * `serve --compress` against nginx compressing on the fly: a 20 KB script
 * asked for as browsers ask (`Accept-Encoding: gzip, deflate, br, zstd`),
 * 32 keep-alive connections, each server pinned to core 0 and `wrk` to
 * core 1, best of alternating rounds; beside req/s, the server's CPU time
 * per request.
 *
 * - nginx: one worker, `gzip on` at level 5 for scripts and styles (nginx
 *   has no Brotli without a third-party module); skipped with a note when
 *   `nginx` is not installed;
 * - ours: `serve -p HTTP/1.1 --compress` (Brotli, quality 5);
 * - ours, asked for no coding: the same server and file sent as they are,
 *   the ceiling a kept compressed body should reach.
 *
 *     deno run -A bench/compress_bench.ts [--quick]
 *
 * @module
 */

import { SETTLE_MS } from "../http_server/_file_stamp.ts";
import { treeCpuSeconds } from "./_proc.ts";
import {
  oursArgs,
  type Server,
  startNginx,
  startSpawned,
} from "./_peer_servers.ts";
import { canPin, ensureWrk, runWrk } from "./_server_wrk.ts";

const BROWSER_CODINGS = "Accept-Encoding: gzip, deflate, br, zstd";

const NGINX_GZIP = `  gzip on;
  gzip_comp_level 5;
  gzip_types application/javascript text/javascript text/css;
`;

/** A row: a server and the coding the client asks for. */
interface Row {
  readonly label: string;
  readonly server: "nginx" | "ours";
  readonly headers: readonly string[];
}

const ROWS: readonly Row[] = [
  {
    label: "nginx, gzip on the fly",
    server: "nginx",
    headers: [BROWSER_CODINGS],
  },
  { label: "ours, --compress", server: "ours", headers: [BROWSER_CODINGS] },
  {
    label: "ours, no coding asked",
    server: "ours",
    headers: ["Accept-Encoding: identity"],
  },
];

interface Figures {
  reqPerSec: number;
  cpuUsPerReq: number;
}

/** 20 KB of script-like text, the same every run. */
function script(): string {
  const words = ["const", "return", "function", "value", "=>", "if", "else"];
  let text = "";
  for (let i = 0; text.length < 20_000; i++) {
    text += `${words[(i * 7) % words.length]}${i % 9 === 0 ? ";\n" : " "}`;
  }
  return text.slice(0, 20_000);
}

async function measure(
  server: Server,
  row: Row,
  seconds: number,
  pin: boolean,
): Promise<Figures> {
  const before = treeCpuSeconds(server.pid);
  const result = await runWrk({
    url: `http://127.0.0.1:${server.port}/app.js`,
    connections: 32,
    seconds,
    pin,
    headers: [...row.headers],
  });
  const cpu = treeCpuSeconds(server.pid) - before;
  if (result.errors > 0) throw new Error(`${row.label}: ${result.raw}`);
  return {
    reqPerSec: result.requestsPerSec,
    cpuUsPerReq: cpu / result.requests * 1e6,
  };
}

function report(results: Map<Row, Figures>, rounds: number): void {
  const fmt = (n: number, digits = 0) =>
    n.toLocaleString("en-US", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
  const nginx = results.get(ROWS[0]!);
  console.log(
    "| server (20 KB script, 32 keep-alive connections) | req/s | server CPU µs/req | req/s vs nginx |",
  );
  console.log("|---|---:|---:|---:|");
  for (const [row, f] of results) {
    const ratio = nginx ? `${fmt(f.reqPerSec / nginx.reqPerSec, 2)}x` : "—";
    console.log(
      `| ${row.label} | ${fmt(f.reqPerSec)} | ${
        fmt(f.cpuUsPerReq, 1)
      } | ${ratio} |`,
    );
  }
  console.log(
    `\nwrk -t1 -c32 asking "${
      BROWSER_CODINGS.slice(17)
    }", best of ${rounds} alternating rounds; servers pinned to core 0, wrk to core 1.`,
  );
}

async function main(args: string[]): Promise<number> {
  const quick = args.includes("--quick");
  const missing = await ensureWrk();
  if (missing) {
    console.log(`compress bench skipped: ${missing}`);
    return 0;
  }
  const seconds = quick ? 1 : 4;
  const rounds = quick ? 1 : 3;
  const pin = await canPin();
  const root = await Deno.makeTempDir({ prefix: "pyport_compress_bench_" });
  const servers = new Map<Row["server"], Server>();
  try {
    // nginx's worker runs as another user: it must be able to read.
    await Deno.chmod(root, 0o755);
    await Deno.writeTextFile(`${root}/app.js`, script());
    // Old enough to get a stamp validator, as files served in earnest are.
    await new Promise((r) => setTimeout(r, SETTLE_MS + 100));
    try {
      servers.set("nginx", await startNginx(root, { pin }, NGINX_GZIP));
    } catch (error) {
      console.log(`nginx left out: ${error}`);
    }
    servers.set(
      "ours",
      await startSpawned(
        "ours",
        Deno.execPath(),
        oursArgs(root, "-p", "HTTP/1.1", "--compress"),
        {},
        { pin },
      ),
    );
    const rows = ROWS.filter((row) => servers.has(row.server));
    const results = new Map<Row, Figures>();
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < rows.length; i++) {
        const row = rows[(i + round) % rows.length]!;
        console.error(`round ${round + 1}/${rounds}: ${row.label}`);
        const f = await measure(servers.get(row.server)!, row, seconds, pin);
        const kept = results.get(row);
        results.set(row, {
          reqPerSec: Math.max(kept?.reqPerSec ?? 0, f.reqPerSec),
          cpuUsPerReq: Math.min(kept?.cpuUsPerReq ?? Infinity, f.cpuUsPerReq),
        });
      }
    }
    report(new Map(rows.map((row) => [row, results.get(row)!])), rounds);
    return 0;
  } finally {
    for (const server of servers.values()) await server.close();
    await Deno.remove(root, { recursive: true });
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
