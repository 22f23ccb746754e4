/**
 * Download benchmark: a 1 GiB local file (64 MiB with `--quick`) served
 * by a lean raw-TCP server in its own process, fetched by each client in its own
 * process: plain `fetch`, `node:http` (the other transport considered),
 * our `urlopen` + `read(65536)` loop, the same with `readinto` into one
 * reused buffer, our `urlretrieve`, and CPython
 * 3.13's `urlopen` + `read(65536)` loop; and, beside it, both urllibs
 * iterating the body by lines (the file has a newline every 256 bytes).
 * Prints throughput, ratios to
 * fetch, peak RSS, and whether the goals hold: urlopen >= 90% of fetch,
 * ahead of CPython, peak RSS < 100 MiB.
 *
 * Usage: deno run -A bench/download_bench.ts [--quick] [--runs N]
 *
 * @module
 */
const here = new URL(".", import.meta.url).pathname;

interface Sample {
  bytes: number;
  seconds: number;
  peak_rss_kib: number;
}

async function makeFile(size: number): Promise<string> {
  const path = await Deno.makeTempFile({ prefix: "download_bench_" });
  const file = await Deno.open(path, { write: true });
  const block = new Uint8Array(1024 * 1024);
  for (let i = 0; i < block.length; i++) block[i] = (i * 31) & 0xff;
  for (let written = 0; written < size; written += block.length) {
    let at = 0;
    while (at < block.length) at += await file.write(block.subarray(at));
  }
  file.close();
  return path;
}

async function startServer(path: string): Promise<[Deno.ChildProcess, number]> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${here}_download_server.ts`, path],
    env: { DENO_NO_UPDATE_CHECK: "1" },
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let text = "";
  while (!text.includes("\n")) {
    const { done, value } = await reader.read();
    if (done) throw new Error("server exited before printing its port");
    text += value;
  }
  reader.releaseLock();
  return [child, Number(text.trim())];
}

async function measure(
  cmd: string,
  args: string[],
  env?: Record<string, string>,
): Promise<Sample | null> {
  try {
    const out = await new Deno.Command(cmd, {
      args,
      // Deno's check for a newer release (a thread reading the CA file and
      // resolving names) is not the client's work.
      env: { DENO_NO_UPDATE_CHECK: "1", ...env },
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      console.error(
        `${cmd} ${args.join(" ")} failed:\n${
          new TextDecoder().decode(out.stderr)
        }`,
      );
      return null;
    }
    return JSON.parse(
      new TextDecoder().decode(out.stdout).trim().split("\n").at(-1) as string,
    ) as Sample;
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return null;
    throw err;
  }
}

/** A client to measure: its name, command, arguments and extra environment. */
type Client = [string, string, string[], Record<string, string>?];

/** Runs the benchmark with the command line `args` and prints the table. */
async function main(args: string[]): Promise<void> {
  const quick = args.includes("--quick");
  const runsArg = args.indexOf("--runs");
  const runs = runsArg >= 0 ? Number(args[runsArg + 1]) : quick ? 1 : 3;
  const SIZE = quick ? 64 * 1024 * 1024 : 1024 * 1024 * 1024;
  const path = await makeFile(SIZE);
  const [server, port] = await startServer(path);
  const url = `http://127.0.0.1:${port}/file`;
  // Each Deno client is _download_client.ts in one of its modes.
  const deno = (name: string, mode: string): Client => [
    name,
    Deno.execPath(),
    ["run", "-A", `${here}_download_client.ts`, mode, url],
  ];
  const clients: Client[] = [
    deno("fetch", "fetch"),
    deno("node:http", "node-http"),
    deno("urlopen read(65536)", "urlopen"),
    deno("urlopen readinto(64 KiB)", "readinto"),
    deno("urlretrieve", "urlretrieve"),
    ["CPython 3.13 urlopen", "python3", [`${here}_download_client.py`, url], {
      PYENV_VERSION: "3.13.0",
    }],
    deno("urlopen, lines", "lines"),
    ["CPython 3.13, lines", "python3", [
      `${here}_download_client.py`,
      url,
      "lines",
    ], { PYENV_VERSION: "3.13.0" }],
  ];
  const best = new Map<string, Sample>();
  try {
    for (let r = 0; r < runs; r++) {
      for (const [name, cmd, args, env] of clients) {
        const sample = await measure(cmd, args, env);
        if (!sample) continue;
        if (sample.bytes !== SIZE) {
          throw new Error(
            `${name} read ${sample.bytes} bytes, expected ${SIZE}`,
          );
        }
        const prev = best.get(name);
        if (!prev || sample.seconds < prev.seconds) {
          best.set(name, {
            ...sample,
            peak_rss_kib: Math.max(
              sample.peak_rss_kib,
              prev?.peak_rss_kib ?? 0,
            ),
          });
        } else {
          prev.peak_rss_kib = Math.max(prev.peak_rss_kib, sample.peak_rss_kib);
        }
      }
    }
  } finally {
    server.kill("SIGTERM");
    await server.status;
    await Deno.remove(path);
  }

  const mib = (n: number) => n / (1024 * 1024);
  const fetchRate = best.get("fetch")
    ? SIZE / (best.get("fetch") as Sample).seconds
    : NaN;
  console.log(
    `download of ${
      mib(SIZE)
    } MiB from a local raw-TCP file server, best of ${runs} run(s), each client in its own process`,
  );
  console.log("client                      MiB/s   vs fetch   peak RSS MiB");
  for (const [name] of clients) {
    const s = best.get(name);
    if (!s) {
      console.log(`${name.padEnd(26)}  (not available)`);
      continue;
    }
    const rate = SIZE / s.seconds;
    console.log(
      `${name.padEnd(26)} ${mib(rate).toFixed(0).padStart(6)}   ${
        (rate / fetchRate * 100).toFixed(0).padStart(6)
      }%   ${(s.peak_rss_kib / 1024).toFixed(1).padStart(8)}`,
    );
  }
  const ours = best.get("urlopen read(65536)");
  const cpy = best.get("CPython 3.13 urlopen");
  if (ours) {
    const ratio = SIZE / ours.seconds / fetchRate;
    console.log(
      `goal urlopen >= 90% of fetch: ${(ratio * 100).toFixed(0)}% ${
        ratio >= 0.9 ? "MET" : "MISSED"
      }`,
    );
    if (cpy) {
      console.log(
        `goal ahead of CPython: ${(cpy.seconds / ours.seconds).toFixed(2)}x ${
          ours.seconds < cpy.seconds ? "MET" : "MISSED"
        }`,
      );
    }
    const lines = best.get("urlopen, lines");
    const cpyLines = best.get("CPython 3.13, lines");
    if (lines && cpyLines) {
      console.log(
        `lines, ours vs CPython: ${
          (cpyLines.seconds / lines.seconds).toFixed(2)
        }x (no goal)`,
      );
    }
    const peak =
      Math.max(ours.peak_rss_kib, best.get("urlretrieve")?.peak_rss_kib ?? 0) /
      1024;
    console.log(
      `goal peak RSS < 100 MiB (urlopen, urlretrieve): ${peak.toFixed(1)} MiB ${
        peak < 100 ? "MET" : "MISSED"
      }`,
    );
  }
}

// Only when run: importing this file (a type check, a stray `deno bench`)
// must not start a 1 GiB download.
if (import.meta.main) await main(Deno.args);
