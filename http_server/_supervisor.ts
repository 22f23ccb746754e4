/**
 * The supervisor side of running one server in several processes (see
 * `_worker.ts` for the other): it starts the program again N times as
 * workers listening on one address with `SO_REUSEPORT` (Linux spreads the
 * connections among them), reports a worker that dies (and starts another
 * in its place), and stops them all on SIGINT, SIGTERM or `stop()`.
 *
 * The workers write their request log straight to the stderr they share
 * with the supervisor, each write whole lines of at most 4 KiB
 * (`_stderr.ts`), which a pipe, a terminal or a file takes in one piece:
 * one merged log, with no copy through the supervisor (which would cost it
 * CPU time on every request). Their stdout is read by the supervisor, to
 * learn when each one listens.
 *
 * @module
 */
import { formatSlot, READY_PREFIX, WORKER_ENV } from "./_worker.ts";

/** How long workers get to listen, and then to stop, before giving up. */
const START_MS = 30_000;
const STOP_MS = 5_000;
/**
 * A worker that dies before it listens, or sooner than this after, is
 * replaced only after a pause, doubling each time (1, 2, 4, 8, 16 s), and
 * not after `QUICK_DEATHS` such deaths in a row: a worker that cannot start
 * (a broken handler module) must not spin, however slowly it fails on a
 * busy machine, but one killed early (the OOM killer, an operator) must not
 * leave the group short for good.
 */
const MIN_LIFE_MS = 2_000;
const QUICK_DEATHS = 5;
const FIRST_PAUSE_MS = 1_000;

const PERMISSIONS = [
  "read",
  "write",
  "net",
  "env",
  "sys",
  "run",
  "ffi",
  "import",
] as const;

/** How to start workers. */
export interface SupervisorOptions {
  /** How many. */
  readonly workers: number;
  /** Where they all listen (a port already chosen, not 0). */
  readonly host: string;
  readonly port: number;
  /** More `deno run` flags, e.g. `--allow-read=/srv` for a partial grant. */
  readonly denoArgs?: readonly string[];
  /** More environment variables for every worker (each may read them). */
  readonly env?: Readonly<Record<string, string>>;
}

/**
 * The `deno run` permission flags a worker gets: each permission this
 * process holds in full, plus the two every worker needs (its address and
 * its slot variable). A worker never gets more than its supervisor.
 */
function permissionFlags(
  host: string,
  port: number,
  env: readonly string[],
): string[] {
  const flags: string[] = [];
  const granted = (name: (typeof PERMISSIONS)[number]) =>
    Deno.permissions.querySync({ name } as Deno.PermissionDescriptor)
      .state === "granted";
  for (const name of PERMISSIONS) {
    if (granted(name)) flags.push(`--allow-${name}`);
  }
  if (!granted("env")) flags.push(`--allow-env=${[WORKER_ENV, ...env]}`);
  if (!granted("net")) {
    flags.push(
      `--allow-net=${host.includes(":") ? `[${host}]` : host}:${port}`,
    );
  }
  return flags;
}

/**
 * Copies a worker's stdout to ours in whole lines, taking out the line
 * that says it listens (and calling `onReady` then).
 */
async function forwardStdout(
  stream: ReadableStream<Uint8Array>,
  onReady: () => void,
): Promise<void> {
  let rest = "";
  for await (const text of stream.pipeThrough(new TextDecoderStream())) {
    const lines = (rest + text).split("\n");
    rest = lines.pop()!;
    const shown = lines.filter((line) => {
      if (!line.startsWith(READY_PREFIX)) return true;
      onReady();
      return false;
    });
    if (shown.length) toStdout(shown.map((line) => line + "\n").join(""));
  }
  if (rest) toStdout(rest + "\n");
}

function writeAll(
  file: { writeSync(p: Uint8Array): number },
  data: string | Uint8Array,
) {
  const bytes = typeof data === "string"
    ? new TextEncoder().encode(data)
    : data;
  try {
    for (let done = 0; done < bytes.length;) {
      done += file.writeSync(bytes.subarray(done));
    }
  } catch {
    // Our own output closed: never let that stop the workers.
  }
}

const toStdout = (text: string) => writeAll(Deno.stdout, text);
const toStderr = (text: string) => writeAll(Deno.stderr, text);

function describeExit(status: Deno.CommandStatus): string {
  return status.signal
    ? `was killed by ${status.signal}`
    : `exited with code ${status.code}`;
}

interface Worker {
  readonly index: number;
  readonly child: Deno.ChildProcess;
  /** When it began to listen (`Date.now()`), or null before. */
  listenedAt: number | null;
  /** Resolves once it listens; rejects if it exits first. */
  readonly listening: Promise<void>;
  /** Resolves once its output is all forwarded. */
  readonly drained: Promise<void>;
}

/** Starts, watches and stops the workers of one address. */
export class Supervisor {
  readonly #options: SupervisorOptions;
  readonly #workers = new Map<number, Worker>();
  /** Per slot: deaths before listening or within `MIN_LIFE_MS` of it, in a row. */
  readonly #quickDeaths = new Map<number, number>();
  /** Replacements waiting out their pause. */
  readonly #pauses = new Set<ReturnType<typeof setTimeout>>();
  #running = false;
  #stopping = false;
  #stoppedBy: Deno.Signal | null = null;
  #finish: (code: number) => void = () => {};
  /** Resolves with the exit status once every worker has stopped. */
  readonly done: Promise<number>;

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.done = new Promise((resolve) => (this.#finish = resolve));
  }

  /** The process ids of the running workers. */
  get pids(): number[] {
    return [...this.#workers.values()].map((w) => w.child.pid);
  }

  /**
   * Starts every worker and resolves once all of them listen; if one
   * fails first, stops the others and throws.
   */
  async start(): Promise<void> {
    const { workers } = this.#options;
    const started = Array.from({ length: workers }, (_, i) => this.#spawn(i));
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`workers did not start within ${START_MS} ms`)),
        START_MS,
      );
    });
    try {
      await Promise.race([
        Promise.all(started.map((w) => w.listening)),
        timeout,
      ]);
      this.#running = true;
    } catch (error) {
      await this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  #spawn(index: number): Worker {
    const { host, port, denoArgs = [], env = {} } = this.#options;
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--unstable-net",
        "--no-prompt",
        ...permissionFlags(host, port, Object.keys(env)),
        ...denoArgs,
        Deno.mainModule,
        ...Deno.args,
      ],
      env: { ...env, [WORKER_ENV]: formatSlot({ index, host, port }) },
      stdin: "piped",
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    let ready = () => {};
    const listening = new Promise<void>((resolve, reject) => {
      ready = resolve;
      child.status.then((s) =>
        reject(new Error(`worker ${index + 1} ${describeExit(s)}`))
      );
    });
    listening.catch(() => {});
    const drained = forwardStdout(child.stdout, () => {
      worker.listenedAt = Date.now();
      ready();
    }).catch(() => {});
    const worker: Worker = {
      index,
      child,
      listenedAt: null,
      listening,
      drained,
    };
    this.#workers.set(index, worker);
    child.status.then((status) => this.#exited(worker, status));
    return worker;
  }

  async #exited(worker: Worker, status: Deno.CommandStatus): Promise<void> {
    await worker.drained;
    if (this.#workers.get(worker.index) === worker) {
      this.#workers.delete(worker.index);
    }
    // Before all listen, start() reports; once stopping, nothing to say.
    if (!this.#running || this.#stopping) return;
    const { index, child, listenedAt } = worker;
    const what = `worker ${index + 1} (pid ${child.pid}) ${
      describeExit(status)
    }`;
    if (listenedAt !== null && Date.now() - listenedAt >= MIN_LIFE_MS) {
      this.#quickDeaths.delete(index);
      const next = this.#spawn(index);
      toStderr(`${what}; started another (pid ${next.child.pid})\n`);
      return;
    }
    const deaths = (this.#quickDeaths.get(index) ?? 0) + 1;
    this.#quickDeaths.set(index, deaths);
    const early = listenedAt === null
      ? `${what} before it listened`
      : `${what} within ${MIN_LIFE_MS / 1000} s of listening`;
    if (deaths < QUICK_DEATHS) {
      const pause = FIRST_PAUSE_MS * 2 ** (deaths - 1);
      toStderr(`${early}; starting another in ${pause / 1000} s\n`);
      const timer = setTimeout(() => {
        this.#pauses.delete(timer);
        if (this.#stopping) return;
        const next = this.#spawn(index);
        toStderr(`worker ${index + 1} started again (pid ${next.child.pid})\n`);
      }, pause);
      this.#pauses.add(timer);
      return;
    }
    toStderr(`${early}, ${deaths} times in a row; not restarted\n`);
    if (this.#workers.size === 0 && this.#pauses.size === 0) {
      this.#stopping = true;
      this.#finish(1);
    }
  }

  /** Stops every worker (SIGTERM, then SIGKILL after 5 s); resolves once all have exited. */
  async stop(): Promise<void> {
    if (!this.#stopping) {
      this.#stopping = true;
      for (const timer of this.#pauses) clearTimeout(timer);
      this.#pauses.clear();
      const workers = [...this.#workers.values()];
      for (const { child } of workers) {
        try {
          child.kill("SIGTERM");
        } catch {
          // Already gone.
        }
      }
      const killer = setTimeout(() => {
        for (const { child } of workers) {
          try {
            child.kill("SIGKILL");
          } catch {
            // Already gone.
          }
        }
      }, STOP_MS);
      await Promise.all(
        workers.map((w) => w.child.status.then(() => w.drained)),
      );
      clearTimeout(killer);
      this.#finish(0);
    }
    await this.done;
  }

  /** The signal that stopped the workers, if one did. */
  get stoppedBy(): Deno.Signal | null {
    return this.#stoppedBy;
  }

  /** Stops on SIGINT or SIGTERM; resolves with the exit status once all have stopped. */
  async untilStopped(): Promise<number> {
    const listeners = (["SIGINT", "SIGTERM"] as const).map((signal) =>
      [signal, () => {
        this.#stoppedBy ??= signal;
        void this.stop();
      }] as const
    );
    for (const [signal, stop] of listeners) {
      Deno.addSignalListener(signal, stop);
    }
    try {
      return await this.done;
    } finally {
      for (const [signal, stop] of listeners) {
        Deno.removeSignalListener(signal, stop);
      }
    }
  }
}
