/**
 * The load generator for the server benchmark: finds or installs `wrk`,
 * runs it pinned to its own core, and reads its report.
 *
 * @module
 */

/** Whether a command runs at all. */
async function runs(cmd: string, args: string[]): Promise<boolean> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      stdout: "null",
      stderr: "null",
    }).output();
    return out.success || out.code === 1;
  } catch {
    return false;
  }
}

/** Whether `wrk` is on PATH. */
export function haveWrk(): Promise<boolean> {
  return runs("wrk", ["--version"]);
}

/**
 * Makes sure `wrk` is installed: with apt-get when we are root. Returns
 * null when it is ready, else a message saying how to install it.
 */
export async function ensureWrk(): Promise<string | null> {
  if (await haveWrk()) return null;
  const root = Deno.uid?.() === 0;
  if (root && await runs("apt-get", ["--version"])) {
    console.error("wrk is missing: installing it with apt-get ...");
    const install = () =>
      new Deno.Command("apt-get", {
        args: ["install", "-y", "-q", "wrk"],
        env: { DEBIAN_FRONTEND: "noninteractive" },
        stdout: "null",
        stderr: "inherit",
      }).output();
    if (!(await install()).success) {
      await new Deno.Command("apt-get", {
        args: ["update", "-q"],
        stdout: "null",
        stderr: "inherit",
      }).output();
      await install();
    }
    if (await haveWrk()) return null;
  }
  return "the load generator wrk is missing: install it (Debian/Ubuntu: " +
    "`sudo apt-get install wrk`, macOS: `brew install wrk`) and run again";
}

/** Whether `taskset` can pin processes to cores, and there are two of them. */
export async function canPin(): Promise<boolean> {
  return navigator.hardwareConcurrency >= 2 &&
    await runs("taskset", ["-c", "0", "true"]);
}

/** What one wrk run measured. */
export interface WrkResult {
  requestsPerSec: number;
  /** Bytes per second read. */
  bytesPerSec: number;
  /** 99th percentile latency in milliseconds. */
  p99Ms: number;
  /** Socket errors and non-2xx/3xx responses. */
  errors: number;
  /** Requests completed in the run. */
  requests: number;
  raw: string;
}

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1024,
  MB: 1024 ** 2,
  GB: 1024 ** 3,
  TB: 1024 ** 4,
};

function toMs(value: string, unit: string): number {
  const n = Number(value);
  if (unit === "us") return n / 1000;
  if (unit === "s") return n * 1000;
  if (unit === "m") return n * 60_000;
  return n;
}

/** Reads wrk's text report. */
export function parseWrk(text: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(text);
  const transfer = /Transfer\/sec:\s+([\d.]+)([KMGT]?B)/.exec(text);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s|m)\b/.exec(text);
  let errors = 0;
  const socket =
    /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/
      .exec(text);
  if (socket) errors += socket.slice(1).reduce((n, x) => n + Number(x), 0);
  const total = /(\d+) requests in /.exec(text);
  const non2xx = /Non-2xx or 3xx responses: (\d+)/.exec(text);
  if (non2xx) errors += Number(non2xx[1]);
  return {
    requestsPerSec: rps ? Number(rps[1]) : 0,
    bytesPerSec: transfer ? Number(transfer[1]) * UNITS[transfer[2]!]! : 0,
    p99Ms: p99 ? toMs(p99[1]!, p99[2]!) : NaN,
    errors,
    requests: total ? Number(total[1]) : 0,
    raw: text,
  };
}

/** Keeps the better of two runs: more req/s, lower p99. */
export function best(a: WrkResult | undefined, b: WrkResult): WrkResult {
  if (!a) return b;
  return {
    requestsPerSec: Math.max(a.requestsPerSec, b.requestsPerSec),
    bytesPerSec: Math.max(a.bytesPerSec, b.bytesPerSec),
    p99Ms: Math.min(a.p99Ms, b.p99Ms),
    errors: Math.min(a.errors, b.errors),
    requests: Math.max(a.requests, b.requests),
    raw: b.raw,
  };
}

/** Options for one wrk run. */
export interface WrkOptions {
  url: string;
  connections: number;
  seconds: number;
  /** Pin wrk to core 1 (the servers run on core 0). */
  pin: boolean;
  /** A Lua script (`-s`), e.g. to pick request paths. */
  script?: string;
  /** Extra request headers (`-H`), e.g. `Connection: close`. */
  headers?: readonly string[];
}

/** Runs wrk once and returns its figures. */
export async function runWrk(options: WrkOptions): Promise<WrkResult> {
  const wrkArgs = [
    "-t1",
    `-c${options.connections}`,
    `-d${options.seconds}s`,
    "--timeout",
    "5s",
    "--latency",
    ...(options.script ? ["-s", options.script] : []),
    ...(options.headers ?? []).flatMap((h) => ["-H", h]),
    options.url,
  ];
  const [cmd, args] = options.pin
    ? ["taskset", ["-c", "1", "wrk", ...wrkArgs]]
    : ["wrk", wrkArgs];
  const out = await new Deno.Command(cmd, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout) +
    new TextDecoder().decode(out.stderr);
  if (!out.success) throw new Error(`wrk failed:\n${text}`);
  return parseWrk(text);
}
