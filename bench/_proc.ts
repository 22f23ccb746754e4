/**
 * What the benchmarks (and the tests that watch a server's resources) read
 * about server processes from Linux's `/proc`: CPU time, peak memory, open
 * descriptors, connections waiting to be accepted, and the processes a
 * server started.
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

/**
 * How many connections to local TCP `port` wait in its listen queue, made
 * by the kernel but not yet accepted by the server (the receive-queue
 * column of a listening socket in `/proc/net/tcp` and `tcp6`).
 */
export function acceptQueue(port: number): number {
  const local = `:${port.toString(16).toUpperCase().padStart(4, "0")}`;
  let waiting = 0;
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = Deno.readTextFileSync(table);
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const [, localAddress, , state, queues] = line.trim().split(/\s+/);
      // 0A is LISTEN; the queues column is tx_queue:rx_queue in hex.
      if (state !== "0A" || !localAddress?.endsWith(local)) continue;
      waiting += parseInt(queues!.split(":")[1]!, 16);
    }
  }
  return waiting;
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
