/**
 * The HTTP engine against its ceiling: Python's `do_GET` tutorial handler
 * with a 1 KiB body on our `ThreadingHTTPServer`, a bare `Deno.serve`
 * answering the same body, and CPython 3.13's `http.server` running the
 * same handler (and, like for like, a bare `Deno.serve` that also sends the
 * `Server` header ours sends), measured in one run with `wrk` (servers
 * pinned to core 0, wrk to core 1, 32 keep-alive connections), best of
 * alternating rounds. A floor row, a `Deno.listen` loop that writes a
 * prepared response for each request head and parses nothing, shows the
 * least any engine on Deno's sockets could cost.
 * Beside requests per second it prints the server's CPU time per request,
 * which other load on a shared machine disturbs much less. `wrk` sends a
 * three-line head; two more rows send the dozen header lines a browser
 * sends with a page request, where our parser (JavaScript) works more.
 *
 *     deno run -A bench/engine_bench.ts [--quick] [--seconds=N] [--rounds=N]
 *
 * Goal: ours at least 1.5x the bare `Deno.serve`.
 *
 * @module
 */

import { havePython313 } from "../tests/_python.ts";
import {
  type ServerProcess,
  spawnServer,
} from "../tests/http_server/_diff_server.ts";
import { cpuSeconds } from "./_proc.ts";
import { pythonHelloScript } from "./_python_hello.ts";
import { canPin, ensureWrk, runWrk } from "./_server_wrk.ts";

type Kind = "ours" | "bare" | "bare-headers" | "floor" | "python";

/** A row of the table: a server and the head `wrk` sends it. */
interface Row {
  kind: Kind;
  label: string;
  /** Extra request headers; none: `wrk`'s own three-line head. */
  headers?: readonly string[];
}

/** The header lines Chromium sends with a page request (besides Host). */
const BROWSER_HEADERS = [
  "Connection: keep-alive",
  'sec-ch-ua: "Chromium";v="131", "Not_A Brand";v="24"',
  "sec-ch-ua-mobile: ?0",
  'sec-ch-ua-platform: "Linux"',
  "Upgrade-Insecure-Requests: 1",
  "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
  "Sec-Fetch-Site: none",
  "Sec-Fetch-Mode: navigate",
  "Sec-Fetch-User: ?1",
  "Sec-Fetch-Dest: document",
  "Accept-Encoding: gzip, deflate, br, zstd",
  "Accept-Language: en-US,en;q=0.9",
];

const HELLO = new URL("./_engine_hello.ts", import.meta.url).pathname;
const CONNECTIONS = 32;
const GOAL = 1.5;

const PY_HELLO = pythonHelloScript('b"x" * 1023 + b"\\n"');

interface Figure {
  /** Best requests per second. */
  rps: number;
  /** Least server CPU microseconds per request. */
  cpuUs: number;
  /** Socket errors or bad statuses in the best run. */
  errors: number;
}

function option(args: string[], name: string, fallback: number): number {
  const found = args.find((a) => a.startsWith(`--${name}=`));
  return found ? Number(found.split("=")[1]) : fallback;
}

async function start(kind: Kind, prefix: string[]): Promise<ServerProcess> {
  const [cmd, args, env]: [string, string[], Record<string, string>] =
    kind === "python"
      ? ["python3", ["-c", PY_HELLO], { PYENV_VERSION: "3.13.0" }]
      : [Deno.execPath(), ["run", "-A", HELLO, kind], {}];
  const [c, a] = prefix.length
    ? [prefix[0]!, [...prefix.slice(1), cmd, ...args]]
    : [cmd, args];
  return await spawnServer(kind, c, a, env, 20_000, false);
}

function fmt(n: number, digits = 0): string {
  return Number.isFinite(n)
    ? n.toLocaleString("en-US", {
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
    : "n/a";
}

async function main(args: string[]): Promise<number> {
  const quick = args.includes("--quick");
  const seconds = option(args, "seconds", quick ? 1 : 5);
  const rounds = option(args, "rounds", quick ? 1 : 5);
  const missing = await ensureWrk();
  if (missing) {
    console.log(`engine bench skipped: ${missing}`);
    return 0;
  }
  const pin = await canPin();
  const prefix = pin ? ["taskset", "-c", "0"] : [];
  const kinds: Kind[] = ["ours", "bare", "bare-headers", "floor"];
  if (havePython313()) kinds.push("python");
  const labels: Record<Kind, string> = {
    ours: "ours: do_GET on ThreadingHTTPServer",
    bare: "bare Deno.serve (Content-Type only)",
    "bare-headers": "bare Deno.serve sending our Server header too",
    floor: "floor: a Deno.listen loop writing prepared bytes, parsing nothing",
    python: "CPython 3.13: do_GET on ThreadingHTTPServer",
  };
  const rows: Row[] = kinds.map((kind) => ({ kind, label: labels[kind] }));
  for (const kind of ["ours", "bare"] as const) {
    rows.push({
      kind,
      label: `${labels[kind]}, a browser's head`,
      headers: BROWSER_HEADERS,
    });
  }
  const servers = new Map<Kind, ServerProcess>();
  const figures = new Map<Row, Figure>();
  try {
    for (const kind of kinds) servers.set(kind, await start(kind, prefix));
    const run = (server: ServerProcess, s: number, row?: Row) =>
      runWrk({
        url: `http://127.0.0.1:${server.port}/`,
        connections: CONNECTIONS,
        seconds: s,
        pin,
        headers: row?.headers ?? [],
      });
    if (!quick) { for (const server of servers.values()) await run(server, 1); }
    for (let round = 0; round < rounds; round++) {
      for (let i = 0; i < rows.length; i++) {
        const row = rows[(i + round) % rows.length]!;
        const server = servers.get(row.kind)!;
        console.error(`round ${round + 1}/${rounds}: ${row.label}`);
        const before = cpuSeconds(server.pid);
        const result = await run(server, seconds, row);
        const cpu = cpuSeconds(server.pid) - before;
        const requests = result.requestsPerSec * seconds;
        const cpuUs = requests > 0 ? cpu * 1e6 / requests : NaN;
        const best = figures.get(row);
        figures.set(row, {
          rps: Math.max(best?.rps ?? 0, result.requestsPerSec),
          cpuUs: Math.min(best?.cpuUs ?? Infinity, cpuUs),
          errors: result.requestsPerSec >= (best?.rps ?? 0)
            ? result.errors
            : best?.errors ?? 0,
        });
      }
    }
  } finally {
    for (const server of servers.values()) await server.close();
  }
  // Each row against the bare Deno.serve given the same head.
  const bareFor = (row: Row) =>
    figures.get(
      rows.find((r) => r.kind === "bare" && r.headers === row.headers)!,
    );
  const lines = [
    "| server (1 KiB body, 32 keep-alive connections) | req/s | server CPU µs/req | req/s vs bare | CPU/req vs bare |",
    "|---|---:|---:|---:|---:|",
  ];
  for (const row of rows) {
    const f = figures.get(row);
    const bare = bareFor(row);
    if (!f || !bare) continue;
    lines.push(
      `| ${row.label}${f.errors ? ` (${f.errors} errors)` : ""} | ${
        fmt(f.rps)
      } | ${fmt(f.cpuUs, 1)} | ${fmt(f.rps / bare.rps, 2)}x | ${
        fmt(bare.cpuUs / f.cpuUs, 2)
      }x |`,
    );
  }
  console.log(lines.join("\n"));
  // The goal is on wrk's own head, the first two rows.
  const [ours, bare] = [figures.get(rows[0]!), figures.get(rows[1]!)];
  const byRps = ours && bare ? ours.rps / bare.rps : NaN;
  const byCpu = ours && bare ? bare.cpuUs / ours.cpuUs : NaN;
  console.log(
    `\nwrk -t1 -c${CONNECTIONS}, best of ${rounds} alternating ${seconds} s rounds; ${
      pin
        ? "servers pinned to core 0, wrk to core 1"
        : "not pinned (no taskset or one core)"
    }. CPU/req: the server process's user+system time over the requests served.`,
  );
  const floor = figures.get(rows.find((r) => r.kind === "floor")!);
  if (ours && bare && floor) {
    console.log(
      `floor: the loop that parses nothing reaches ${
        fmt(bare.cpuUs / floor.cpuUs, 2)
      }x bare by CPU per request, the most an engine on Deno.listen could; ours costs ${
        fmt(ours.cpuUs / floor.cpuUs, 2)
      }x the floor's CPU per request.`,
    );
  }
  console.log(
    `goal: ours >= ${GOAL}x bare Deno.serve: ${fmt(byRps, 2)}x by req/s, ${
      fmt(byCpu, 2)
    }x by CPU per request: ${
      byRps >= GOAL || byCpu >= GOAL ? "met" : "NOT met"
    }`,
  );
  return ours && bare ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
