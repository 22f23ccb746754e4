/**
 * What a server process has used, read from Linux's `/proc`: CPU time and
 * peak memory. CPU time per request is steadier than requests per second
 * on a machine whose other processes take turns on the server's core.
 *
 * @module
 */

/** User plus system CPU seconds process `pid` has used; NaN off Linux. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // Fields after the parenthesised command name: utime and stime are the
    // 14th and 15th fields overall, in clock ticks (100 a second on Linux).
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return NaN;
  }
}
