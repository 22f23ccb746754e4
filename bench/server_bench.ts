/**
 * http.server benchmark: our `serve`, CPython 3.13's `python3 -m http.server`
 * and a bare `Deno.serve` file server (the ceiling), measured in one run on
 * the same files with `wrk`, servers pinned to core 0 and wrk to core 1.
 *
 *     deno run -A bench/server_bench.ts [--quick]
 *
 * Figures: req/s and p99 for a 1 KiB file at 32 keep-alive connections
 * (ours with `-p HTTP/1.1`; Python's HTTP/1.0 default closes every
 * connection), req/s for a 200-entry listing, MB/s for a 100 MiB file, peak
 * RSS (VmHWM) while serving a 1 GiB file, and a `do_GET` "Hello World"
 * handler against two bare `Deno.serve` hello worlds: one sending no headers
 * of its own, and one sending the headers ours sends (the fair ceiling: in
 * Deno every extra response header costs time). Installs wrk with apt-get
 * when missing and run as root; otherwise says how and exits 0.
 *
 * @module
 */

import { RawConnection } from "../tests/http_server/_diff_http.ts";
import {
  SERVE_TS,
  type ServerProcess,
  spawnServer,
} from "../tests/http_server/_diff_server.ts";
import { havePython313, PYTHON_ENV } from "../tests/_python.ts";
import { cpuSeconds, peakRssBytes } from "./_proc.ts";
import { pythonHelloScript } from "./_python_hello.ts";
import {
  best,
  canPin,
  ensureWrk,
  runWrk,
  type WrkResult,
} from "./_server_wrk.ts";

/** "fair": the bare hello world with our handler's headers (hello only). */
type Kind = "ours" | "bare" | "python" | "fair";
const KINDS: readonly Kind[] = ["ours", "bare", "python"];

const BENCH_DIR = new URL(".", import.meta.url).pathname;

const PY_HELLO = pythonHelloScript('b"Hello World"');

interface Settings {
  seconds: number;
  /** Rounds per figure; each server keeps its best. */
  rounds: number;
  /** Smoke run: only the 1 KiB, RSS and hello figures, no warm-up. */
  smoke: boolean;
  bigSize: number;
  prefix: string[];
  pin: boolean;
}

function fileServerCommand(
  kind: Kind,
  dir: string,
): { cmd: string; args: string[]; env: Record<string, string> } {
  const common = ["0", "-b", "127.0.0.1", "-d", dir];
  switch (kind) {
    case "ours":
      return {
        cmd: Deno.execPath(),
        args: ["run", "-A", SERVE_TS, ...common, "-p", "HTTP/1.1"],
        env: {},
      };
    case "bare":
    case "fair":
      return {
        cmd: Deno.execPath(),
        args: ["run", "-A", `${BENCH_DIR}_bare_file_server.ts`, ...common],
        env: {},
      };
    case "python":
      return {
        cmd: "python3",
        args: ["-m", "http.server", ...common],
        env: { ...PYTHON_ENV },
      };
  }
}

function helloCommand(
  kind: Kind,
): { cmd: string; args: string[]; env: Record<string, string> } {
  switch (kind) {
    case "ours":
      return {
        cmd: Deno.execPath(),
        args: ["run", "-A", `${BENCH_DIR}_hello_handler.ts`, "0"],
        env: {},
      };
    case "bare":
      return {
        cmd: Deno.execPath(),
        args: ["run", "-A", `${BENCH_DIR}_bare_file_server.ts`, "0", "--hello"],
        env: {},
      };
    case "fair":
      return {
        cmd: Deno.execPath(),
        args: [
          "run",
          "-A",
          `${BENCH_DIR}_bare_file_server.ts`,
          "0",
          "--hello-headers",
        ],
        env: {},
      };
    case "python":
      return { cmd: "python3", args: ["-c", PY_HELLO], env: { ...PYTHON_ENV } };
  }
}

function start(
  kind: Kind,
  command: { cmd: string; args: string[]; env: Record<string, string> },
  settings: Settings,
): Promise<ServerProcess> {
  const [cmd, args] = settings.prefix.length
    ? [settings.prefix[0]!, [
      ...settings.prefix.slice(1),
      command.cmd,
      ...command.args,
    ]]
    : [command.cmd, command.args];
  return spawnServer(kind, cmd, args, command.env, 20_000, false);
}

async function makeFiles(bigSize: number): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "pyport_server_bench_" });
  const kib = new Uint8Array(1024);
  crypto.getRandomValues(kib);
  await Deno.writeFile(`${dir}/1k.bin`, kib);
  await Deno.mkdir(`${dir}/list`);
  for (let i = 0; i < 200; i++) {
    await Deno.writeTextFile(
      `${dir}/list/entry ${String(i).padStart(3, "0")}.txt`,
      "x",
    );
  }
  // Sparse files: the same bytes for every server, no disk blocks.
  for (
    const [name, size] of [["100m.bin", 100 * 1024 ** 2], [
      "big.bin",
      bigSize,
    ]] as const
  ) {
    const f = await Deno.open(`${dir}/${name}`, { create: true, write: true });
    await f.truncate(size);
    f.close();
  }
  return dir;
}

/** Downloads `path` fully on `clients` parallel connections. */
async function download(
  server: ServerProcess,
  path: string,
  clients: number,
): Promise<number> {
  const one = async () => {
    const conn = await RawConnection.open(server);
    try {
      await conn.write(
        `GET ${path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`,
      );
      const res = await conn.read({ discardBody: true, timeoutMs: 120_000 });
      return res.bodyLength;
    } finally {
      conn.close();
    }
  };
  const sizes = await Promise.all(Array.from({ length: clients }, one));
  return sizes.reduce((a, b) => a + b, 0);
}

interface Figures {
  kib?: WrkResult;
  listing?: WrkResult;
  large?: WrkResult;
  rss?: number;
  hello?: WrkResult;
  /** Hello World requests per CPU-second of the server process (best round). */
  helloPerCpu?: number;
  note?: string;
}

type Measured = "kib" | "listing" | "large" | "hello";

interface Figure {
  key: Measured;
  path: string;
  connections: number;
  hello: boolean;
}

const FIGURES: readonly Figure[] = [
  { key: "kib", path: "/1k.bin", connections: 32, hello: false },
  { key: "listing", path: "/list/", connections: 32, hello: false },
  { key: "large", path: "/100m.bin", connections: 4, hello: false },
  { key: "hello", path: "/", connections: 32, hello: true },
];

/**
 * All servers run side by side (idle ones cost nothing) and each figure is
 * measured for each server in turn, over several rounds in rotating order,
 * keeping each server's best: on a shared machine this evens out the noise
 * that measuring one server after another would pin on one of them.
 */
async function measureThroughput(
  kinds: Kind[],
  helloKinds: Kind[],
  dir: string,
  settings: Settings,
  results: Record<Kind, Figures>,
): Promise<void> {
  const files = new Map<Kind, ServerProcess>();
  const hellos = new Map<Kind, ServerProcess>();
  try {
    for (const kind of kinds) {
      files.set(
        kind,
        await start(kind, fileServerCommand(kind, dir), settings),
      );
    }
    for (const kind of helloKinds) {
      hellos.set(kind, await start(kind, helloCommand(kind), settings));
    }
    const figures = settings.smoke
      ? FIGURES.filter((f) => f.key === "kib" || f.key === "hello")
      : FIGURES;
    const run = (server: ServerProcess, f: Figure, seconds: number) =>
      runWrk({
        url: `http://127.0.0.1:${server.port}${f.path}`,
        connections: f.connections,
        seconds,
        pin: settings.pin,
      });
    if (!settings.smoke) {
      // Warm-up: JIT, page cache.
      for (const f of [FIGURES[0]!, FIGURES[3]!]) {
        for (const [, server] of f.hello ? hellos : files) {
          await run(server, f, 1);
        }
      }
    }
    for (let round = 0; round < settings.rounds; round++) {
      for (const f of figures) {
        const order = [...(f.hello ? hellos : files)];
        for (let i = 0; i < order.length; i++) {
          const [kind, server] = order[(i + round) % order.length]!;
          try {
            const cpuBefore = cpuSeconds(server.pid);
            const r = await run(server, f, settings.seconds);
            const cpu = cpuSeconds(server.pid) - cpuBefore;
            results[kind][f.key] = best(results[kind][f.key], r);
            if (f.hello && cpu > 0) {
              const perCpu = r.requestsPerSec * settings.seconds / cpu;
              results[kind].helloPerCpu = Math.max(
                results[kind].helloPerCpu ?? 0,
                perCpu,
              );
            }
          } catch (error) {
            results[kind].note = `${f.key} failed: ${error}`;
          }
        }
      }
    }
  } finally {
    for (const s of [...files.values(), ...hellos.values()]) await s.close();
  }
}

/** Peak RSS of a fresh server while two clients download the big file. */
async function measureRss(
  kind: Kind,
  dir: string,
  settings: Settings,
  fig: Figures,
): Promise<void> {
  await using server = await start(
    kind,
    fileServerCommand(kind, dir),
    settings,
  );
  const got = await download(server, "/big.bin", 2);
  if (got !== 2 * settings.bigSize) {
    fig.note = `big download cut: ${got} bytes`;
  }
  fig.rss = peakRssBytes(server.pid);
}

const fmtNum = (n: number | undefined, digits = 0) =>
  n === undefined || Number.isNaN(n) ? "n/a" : n.toLocaleString("en-US", {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });

const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !b || Number.isNaN(a) ||
    Number.isNaN(b)
    ? undefined
    : a / b;

function errs(r: WrkResult | undefined): string {
  return r && r.errors ? ` (${r.errors} err)` : "";
}

function report(results: Record<Kind, Figures>, settings: Settings): boolean {
  const { ours, bare, python } = results;
  const MiB = 1024 ** 2;
  type Row = {
    label: string;
    get: (f: Figures) => number | undefined;
    digits: number;
    /** Higher is better (else lower is, and the ratio is inverted). */
    higher: boolean;
    wrk?: (f: Figures) => WrkResult | undefined;
  };
  const rows: Row[] = [
    {
      label: "1 KiB file, req/s (32 conns)",
      get: (f) => f.kib?.requestsPerSec,
      digits: 0,
      higher: true,
      wrk: (f) => f.kib,
    },
    {
      label: "1 KiB file, p99 ms",
      get: (f) => f.kib?.p99Ms,
      digits: 2,
      higher: false,
    },
    {
      label: "200-entry listing, req/s",
      get: (f) => f.listing?.requestsPerSec,
      digits: 0,
      higher: true,
      wrk: (f) => f.listing,
    },
    {
      label: "100 MiB file, MB/s (4 conns)",
      get: (f) => f.large && f.large.bytesPerSec / MiB,
      digits: 0,
      higher: true,
      wrk: (f) => f.large,
    },
    {
      label: `peak RSS serving ${settings.bigSize / MiB} MiB, MiB`,
      get: (f) => f.rss && f.rss / MiB,
      digits: 1,
      higher: false,
    },
    {
      label: "do_GET Hello World, req/s",
      get: (f) => f.hello?.requestsPerSec,
      digits: 0,
      higher: true,
      wrk: (f) => f.hello,
    },
  ];
  const lines = [
    "| figure | ours | bare Deno.serve | python 3.13 | ours/bare | ours/python | goal |",
    "|---|---:|---:|---:|---:|---:|---|",
  ];
  let allMet = true;
  for (const row of rows) {
    const o = row.get(ours);
    const b = row.get(bare);
    const p = row.get(python);
    // "ours/bare" reads as relative performance: for lower-is-better figures it is bare/ours.
    const vsBare = row.higher ? ratio(o, b) : ratio(b, o);
    const vsPy = row.higher ? ratio(o, p) : ratio(p, o);
    let goal: string;
    if (row.label.startsWith("peak RSS")) {
      const met = o !== undefined && o < 100;
      goal = `< 100 MiB: ${met ? "met" : "NOT met"}`;
      allMet &&= met;
    } else {
      const met = vsBare !== undefined && vsBare >= 0.9;
      goal = `>= 90% of bare: ${met ? "met" : "NOT met"}`;
      allMet &&= met;
    }
    const cell = (f: Figures, v: number | undefined) =>
      fmtNum(v, row.digits) + (row.wrk ? errs(row.wrk(f)) : "");
    lines.push(
      `| ${row.label} | ${cell(ours, o)} | ${cell(bare, b)} | ${
        cell(python, p)
      } | ` +
        `${vsBare === undefined ? "n/a" : `${(vsBare * 100).toFixed(0)}%`} | ` +
        `${vsPy === undefined ? "n/a" : `${vsPy.toFixed(1)}x`} | ${goal} |`,
    );
  }
  console.log(lines.join("\n"));
  const oursHello = ours.hello?.requestsPerSec;
  const pct = (r: number | undefined) =>
    r === undefined ? "n/a" : `${(r * 100).toFixed(0)}%`;
  console.log(
    `\ndo_GET Hello World, req/s: ours ${fmtNum(oursHello)}; ` +
      `bare Deno.serve hello world (no headers of its own) ${
        fmtNum(bare.hello?.requestsPerSec)
      }, ours/bare ${pct(ratio(oursHello, bare.hello?.requestsPerSec))}; ` +
      `bare Deno.serve sending our headers (Server, Content-Type) ${
        fmtNum(results.fair.hello?.requestsPerSec)
      }, ours/that ${
        pct(ratio(oursHello, results.fair.hello?.requestsPerSec))
      } (the goal above counts against the header-less one)`,
  );
  const perCpu = (f: Figures) => f.helloPerCpu;
  console.log(
    `do_GET Hello World, requests per server CPU-second (steadier than req/s ` +
      `when other processes share the server's core): ours ${
        fmtNum(perCpu(ours))
      }; bare ${fmtNum(perCpu(bare))}, ours/bare ${
        pct(ratio(perCpu(ours), perCpu(bare)))
      }; bare with our headers ${fmtNum(perCpu(results.fair))}, ours/that ${
        pct(ratio(perCpu(ours), perCpu(results.fair)))
      }`,
  );
  for (const k of [...KINDS, "fair"] as const) {
    if (results[k].note) console.log(`note (${k}): ${results[k].note}`);
  }
  console.log(
    `\nwrk -t1, best of ${settings.rounds} interleaved ${settings.seconds} s runs per figure; servers ${
      settings.pin
        ? "pinned to core 0, wrk to core 1"
        : "not pinned (no taskset or one core)"
    }. ours: serve -p HTTP/1.1 (logs each request to stderr, as Python does; ` +
      "stderr goes to /dev/null for all); " +
      "python: python3 -m http.server (HTTP/1.0: a new connection per request; " +
      "listen backlog 5); bare: bench/_bare_file_server.ts (no logging). " +
      "Hello World handlers do not log. Sparse files. Ratios read as relative " +
      "performance: for p99 and RSS (lower is better) they are bare/ours and python/ours.",
  );
  console.log(`goals: ${allMet ? "all met" : "NOT all met"}`);
  return allMet;
}

async function main(args: string[]): Promise<number> {
  const smoke = args.includes("--smoke");
  const quick = smoke || args.includes("--quick");
  const missing = await ensureWrk();
  if (missing) {
    console.log(`server bench skipped: ${missing}`);
    return 0;
  }
  const pin = await canPin();
  const settings: Settings = {
    seconds: quick ? 1 : 3,
    rounds: smoke ? 1 : 3,
    smoke,
    bigSize: (smoke ? 32 : quick ? 256 : 1024) * 1024 ** 2,
    prefix: pin ? ["taskset", "-c", "0"] : [],
    pin,
  };
  const available: Record<Kind, boolean> = {
    ours: true,
    bare: true,
    python: havePython313(),
    fair: true,
  };
  const dir = await makeFiles(settings.bigSize);
  const results: Record<Kind, Figures> = {
    ours: {},
    bare: {},
    python: {},
    fair: {},
  };
  try {
    if (!available.python) results.python.note = "CPython 3.13 not found";
    const fileKinds = KINDS.filter((k) => available[k]);
    // The hello handler needs only the library, not the serve command.
    const helloKinds: Kind[] = [
      ...KINDS.filter((k) => k !== "python" || available.python),
      "fair",
    ];
    await measureThroughput(fileKinds, helloKinds, dir, settings, results);
    for (const kind of fileKinds) {
      try {
        await measureRss(kind, dir, settings, results[kind]);
      } catch (error) {
        results[kind].note = `RSS failed: ${error}`;
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  report(results, settings);
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
