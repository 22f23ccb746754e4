/**
 * Start-up benchmark: what a program pays before it does anything. For each
 * entry point, a program that only imports it, against CPython 3.13
 * importing the same module: the time from starting the process to its
 * exit, and its peak RSS. Then `serve` against `python3 -m http.server`:
 * the time from starting the process to the first answer, and the peak RSS
 * after it. A first row runs an empty program on each side: the runtimes'
 * own floor.
 *
 *     deno run -A bench/startup_bench.ts [--quick] [--runs=N]
 *
 * CPython runs as its own executable (found through pyenv once), not
 * through pyenv's shim, which is a shell script costing more than the
 * import measured. Runs alternate between the two sides; each figure is the
 * best of them (other load only ever adds time). `--quick` takes 2 runs.
 *
 * @module
 */
import { peakRssBytes } from "./_proc.ts";
import { havePython313, pythonPrints } from "../tests/_python.ts";

const ROOT = new URL("../", import.meta.url);
const CONFIG = new URL("deno.json", ROOT).pathname;
const MiB = 1024 * 1024;

/** One import row: our entry point and the Python modules it ports. */
interface ImportRow {
  readonly label: string;
  /** Our entry point, relative to the repository root; null: nothing. */
  readonly entry: string | null;
  readonly python: readonly string[];
}

const IMPORT_ROWS: readonly ImportRow[] = [
  { label: "empty program", entry: null, python: [] },
  {
    label: "urllib.parse",
    entry: "urllib/parse/mod.ts",
    python: ["urllib.parse"],
  },
  {
    label: "urllib.request",
    entry: "urllib/request/mod.ts",
    python: ["urllib.request"],
  },
  {
    label: "socketserver",
    entry: "socketserver/mod.ts",
    python: ["socketserver"],
  },
  {
    label: "http.server",
    entry: "http_server/mod.ts",
    python: ["http.server"],
  },
  {
    label: "all of them",
    entry: "mod.ts",
    python: [
      "urllib.parse",
      "urllib.request",
      "urllib.error",
      "urllib.robotparser",
      "socketserver",
      "http.server",
    ],
  },
];

/** The best time (ms) and peak RSS (bytes) of one side over the runs. */
interface Figure {
  ms: number;
  rss: number;
}

function better(a: Figure | undefined, b: Figure): Figure {
  if (a === undefined) return b;
  return { ms: Math.min(a.ms, b.ms), rss: Math.min(a.rss, b.rss) };
}

/** The CPython executable itself, without pyenv's shim; null when absent. */
function pythonExecutable(): string | null {
  if (!havePython313()) return null;
  return pythonPrints("import sys; print(sys.executable)");
}

/** Runs `command` to its end: wall time, and the VmHWM it printed. */
async function timed(command: Deno.Command): Promise<Figure> {
  const started = performance.now();
  const out = await command.output();
  const ms = performance.now() - started;
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`failed: ${new TextDecoder().decode(out.stderr)}`);
  }
  const kb = /VmHWM:\s*(\d+)/.exec(text)?.[1];
  if (kb === undefined) throw new Error(`no VmHWM in ${text}`);
  return { ms, rss: Number(kb) * 1024 };
}

const PRINT_PEAK_TS = `console.log(
  /VmHWM:.*/.exec(Deno.readTextFileSync("/proc/self/status"))?.[0],
);`;

const PRINT_PEAK_PY = "import re; print(re.search(r'VmHWM:.*', " +
  "open('/proc/self/status').read()).group(0))";

/** A program importing `entry` and printing its peak RSS, in `dir`. */
async function ourProgram(dir: string, row: ImportRow): Promise<string> {
  const path = `${dir}/${row.label.replaceAll(/\W/g, "_")}.ts`;
  const imported = row.entry === null
    ? ""
    : `import ${JSON.stringify(new URL(row.entry, ROOT).href)};\n`;
  await Deno.writeTextFile(path, imported + PRINT_PEAK_TS + "\n");
  return path;
}

function ourImport(program: string): Deno.Command {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "--quiet", "--config", CONFIG, program],
    stdout: "piped",
    stderr: "piped",
  });
}

function pythonImport(
  python: string,
  modules: readonly string[],
): Deno.Command {
  const imports = modules.map((m) => `import ${m}; `).join("");
  return new Deno.Command(python, {
    args: ["-c", imports + PRINT_PEAK_PY],
    stdout: "piped",
    stderr: "piped",
  });
}

/** A port free a moment ago. */
function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Whether a GET of `/` on `port` is answered. */
async function answers(port: number): Promise<boolean> {
  let conn: Deno.TcpConn;
  try {
    conn = await Deno.connect({ hostname: "127.0.0.1", port });
  } catch {
    return false;
  }
  try {
    await conn.write(new TextEncoder().encode("GET / HTTP/1.0\r\n\r\n"));
    const buffer = new Uint8Array(64);
    return (await conn.read(buffer) ?? 0) > 0;
  } catch {
    return false;
  } finally {
    conn.close();
  }
}

/**
 * Starts a server with `args` (its port last but for `dir`), waits for its
 * first answer: that time, and its peak RSS then.
 */
async function serverStart(
  executable: string,
  args: (port: number) => string[],
): Promise<Figure> {
  const port = freePort();
  const started = performance.now();
  const child = new Deno.Command(executable, {
    args: args(port),
    stdout: "null",
    stderr: "null",
  }).spawn();
  try {
    const deadline = started + 10_000;
    while (!await answers(port)) {
      if (performance.now() > deadline) {
        throw new Error(`${executable}: no answer`);
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const ms = performance.now() - started;
    return { ms, rss: peakRssBytes(child.pid) };
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
}

function cell(figure: Figure | undefined, unit: "ms" | "MiB"): string {
  if (figure === undefined) return "-";
  return unit === "ms" ? figure.ms.toFixed(0) : (figure.rss / MiB).toFixed(1);
}

function ratio(theirs: number | undefined, ours: number | undefined): string {
  if (theirs === undefined || ours === undefined) return "-";
  return `${(theirs / ours).toFixed(2)}x`;
}

/** `--runs=N` or `--runs N`; undefined when not given. */
function runsOption(args: string[]): number | undefined {
  const at = args.findIndex((a) => a === "--runs" || a.startsWith("--runs="));
  if (at === -1) return undefined;
  const text = args[at] === "--runs" ? args[at + 1] : args[at]!.slice(7);
  const runs = Number(text);
  if (!Number.isInteger(runs) || runs < 1) {
    throw new RangeError(`--runs takes a positive whole number, not ${text}`);
  }
  return runs;
}

async function main(args: string[]): Promise<number> {
  if (Deno.build.os !== "linux") {
    console.log("startup bench skipped: it reads Linux's /proc");
    return 0;
  }
  const runs = runsOption(args) ?? (args.includes("--quick") ? 2 : 10);
  const python = pythonExecutable();
  const dir = await Deno.makeTempDir({ prefix: "pyport_startup_" });
  const rows: [string, Figure | undefined, Figure | undefined][] = [];
  try {
    for (const row of IMPORT_ROWS) {
      console.error(`timing ${row.label}...`);
      const program = await ourProgram(dir, row);
      let ours: Figure | undefined;
      let theirs: Figure | undefined;
      for (let run = 0; run < runs; run++) {
        ours = better(ours, await timed(ourImport(program)));
        if (python) {
          theirs = better(
            theirs,
            await timed(pythonImport(python, row.python)),
          );
        }
      }
      rows.push([
        row.entry === null ? row.label : `import ${row.label}`,
        ours,
        theirs,
      ]);
    }
    console.error("timing serve...");
    let ours: Figure | undefined;
    let theirs: Figure | undefined;
    const serve = new URL("http_server/serve.ts", ROOT).pathname;
    for (let run = 0; run < runs; run++) {
      ours = better(
        ours,
        await serverStart(Deno.execPath(), (port) => [
          "run",
          "-A",
          "--quiet",
          "--config",
          CONFIG,
          serve,
          String(port),
          "-d",
          dir,
        ]),
      );
      if (python) {
        theirs = better(
          theirs,
          await serverStart(python, (port) => [
            "-m",
            "http.server",
            String(port),
            "-d",
            dir,
          ]),
        );
      }
    }
    rows.push(["serve: first answer", ours, theirs]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
  console.log(
    `Start-up, best of ${runs} runs (Deno ${Deno.version.deno}; ` +
      `${python ? "CPython " + python : "CPython 3.13 not found"})`,
  );
  console.log();
  console.log(
    "| program | ours ms | CPython ms | CPython/ours | ours MiB | CPython MiB |",
  );
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const [label, ours, theirs] of rows) {
    console.log(
      `| ${label} | ${cell(ours, "ms")} | ${cell(theirs, "ms")} | ` +
        `${ratio(theirs?.ms, ours?.ms)} | ${cell(ours, "MiB")} | ` +
        `${cell(theirs, "MiB")} |`,
    );
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
