/**
 * One download measured in its own process, so that its peak RSS
 * (VmHWM) is its own. Prints one JSON line: bytes, seconds, peak RSS.
 *
 * Usage: deno run -A bench/_download_client.ts <fetch|urlopen|readinto|lines|urlretrieve|node-http> <url>
 *
 * @module
 */
import { urlcleanup, urlopen, urlretrieve } from "../urllib/request/mod.ts";
import http from "node:http";

async function viaFetch(url: string): Promise<number> {
  const resp = await fetch(url, {
    headers: { "accept-encoding": "identity" },
  });
  const reader = (resp.body as ReadableStream<Uint8Array>).getReader();
  let total = 0;
  while (true) {
    const { done, value } = await reader.read();
    if (done) return total;
    total += value.length;
  }
}

async function viaUrlopen(url: string): Promise<number> {
  await using resp = await urlopen(url);
  let total = 0;
  while (true) {
    const block = await resp.read(65536);
    if (block.length === 0) return total;
    total += block.length;
  }
}

async function viaReadinto(url: string): Promise<number> {
  await using resp = await urlopen(url);
  const buf = new Uint8Array(65536);
  let total = 0;
  while (true) {
    const n = await resp.readinto(buf);
    if (n === 0) return total;
    total += n;
  }
}

async function viaLines(url: string): Promise<number> {
  await using resp = await urlopen(url);
  let total = 0;
  for await (const line of resp) total += line.length;
  return total;
}

async function viaUrlretrieve(url: string): Promise<number> {
  const [path] = await urlretrieve(url);
  const size = (await Deno.stat(path)).size;
  await urlcleanup();
  return size;
}

function viaNodeHttp(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get(
      url,
      { headers: { "accept-encoding": "identity" } },
      (res) => {
        let total = 0;
        res.on("data", (chunk: Uint8Array) => (total += chunk.length));
        res.on("end", () => resolve(total));
        res.on("error", reject);
      },
    ).on("error", reject);
  });
}

function peakRssKiB(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  return Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? "0");
}

const runners: Record<string, (url: string) => Promise<number>> = {
  fetch: viaFetch,
  urlopen: viaUrlopen,
  readinto: viaReadinto,
  lines: viaLines,
  urlretrieve: viaUrlretrieve,
  "node-http": viaNodeHttp,
};
if (import.meta.main) {
  const [mode, url] = Deno.args;
  if (!mode || !url) {
    throw new TypeError("usage: _download_client.ts <mode> <url>");
  }
  const run = runners[mode];
  if (!run) throw new TypeError(`unknown mode ${mode}`);
  const started = performance.now();
  const bytes = await run(url);
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ bytes, seconds, peak_rss_kib: peakRssKiB() }));
}
