/**
 * Run by hostile_test.ts in its own process: opens the URL given, reads
 * its body (`read()`, or one `readline()` when the second argument says
 * `readline`), and prints which error ended it, how many bytes came, and
 * the process's peak resident memory
 * (Linux's VmHWM; getrusage's maxrss would include the parent's memory at
 * fork time), as JSON.
 *
 * @module
 */
import { urlopen } from "../../../urllib/request/mod.ts";

const [url = "", how = "read"] = Deno.args;
let error = "none";
let bytes = 0;
try {
  const resp = await urlopen(url);
  bytes = (how === "readline" ? await resp.readline() : await resp.read())
    .length;
} catch (e) {
  error = e instanceof Error ? e.name : String(e);
}
const status = await Deno.readTextFile("/proc/self/status");
const kib = Number(/^VmHWM:\s+(\d+) kB$/m.exec(status)?.[1] ?? NaN);
console.log(
  JSON.stringify({ error, bytes, peakRssMiB: Math.round(kib / 1024) }),
);
