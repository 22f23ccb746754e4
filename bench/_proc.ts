/**
 * What the benchmarks (and the tests that watch a server's resources) read
 * about server processes from Linux's `/proc`: CPU time, peak memory, open
 * descriptors, and the processes a server started.
 *
 * @module
 */

/** Clock ticks per second in `/proc/<pid>/stat` (100 on Linux). */
const TICKS = 100;

function statFields(pid: number): string[] | null {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    // The fields after the parenthesised command name, from the state on.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return null;
  }
}

/**
 * CPU time (user + system) a process has used, in seconds. Requests per
 * CPU-second do not depend on how much of its core a server got, so they
 * compare servers fairly on a machine with other load.
 */
export function cpuSeconds(pid: number): number {
  const fields = statFields(pid);
  // utime and stime: the 14th and 15th fields overall.
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS : NaN;
}

/** How many file descriptors process `pid` has open. */
export function openFds(pid: number): number {
  let count = 0;
  for (const _ of Deno.readDirSync(`/proc/${pid}/fd`)) count++;
  return count;
}

/** Peak resident memory (VmHWM) of a process in bytes, or NaN. */
export function peakRssBytes(pid: number): number {
  try {
    const status = Deno.readTextFileSync(`/proc/${pid}/status`);
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** `pid` and every process below it (workers of a supervisor, say). */
export function processTree(pid: number): number[] {
  const parents = new Map<number, number[]>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const ppid = Number(statFields(Number(entry.name))?.[1]);
    const siblings = parents.get(ppid) ?? [];
    siblings.push(Number(entry.name));
    parents.set(ppid, siblings);
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) {
    tree.push(...parents.get(tree[i]!) ?? []);
  }
  return tree;
}

/** CPU seconds used by `pid` and the processes below it. */
export function treeCpuSeconds(pid: number): number {
  return processTree(pid).reduce((sum, p) => sum + (cpuSeconds(p) || 0), 0);
}
