/**
 * Run by hostile_test.ts in its own process: opens the URL given, and
 * prints which error ended it and the process's peak resident memory
 * (Linux's VmHWM; getrusage's maxrss would include the parent's memory at
 * fork time), as JSON.
 *
 * @module
 */
import { urlopen } from "../../../urllib/request/mod.ts";

const url = Deno.args[0] as string;
let error = "none";
try {
  const resp = await urlopen(url);
  await resp.read();
} catch (e) {
  error = e instanceof Error ? e.name : String(e);
}
const status = await Deno.readTextFile("/proc/self/status");
const kib = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN);
console.log(JSON.stringify({ error, peakRssMiB: Math.round(kib / 1024) }));
