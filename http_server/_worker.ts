/**
 * The worker side of running one server in several processes: a worker is
 * the same program started again by its supervisor (`_supervisor.ts`), with
 * an environment variable saying which slot it fills and where to listen.
 * It listens with `SO_REUSEPORT` beside its siblings, says so on a line of
 * its own, and stops quietly on SIGTERM or when its supervisor goes away
 * (its stdin, a pipe from the supervisor, ends). SIGINT it leaves to the
 * supervisor: Ctrl-C in a terminal signals the whole process group at once,
 * and a worker stopping by itself could be seen exiting before the
 * supervisor knew it was stopping, and be reported as a failure.
 *
 * @module
 */
import { flushStderr } from "../_util/stderr.ts";
import { discardUploadsInProgress } from "./_upload.ts";
import type { HTTPServer } from "./server.ts";
import type { SelfSigned } from "./_self_signed.ts";

/** The variable naming a worker's slot and address: `"<slot> <port> <host>"`. */
export const WORKER_ENV = "PYPORT_WORKER";

/**
 * The variable handing workers the supervisor's `--tls-self-signed`
 * certificate (JSON), so that every process serves the one certificate
 * whose fingerprint was printed.
 */
export const WORKER_TLS_ENV = "PYPORT_WORKER_TLS";

/**
 * Starts the line a worker prints once it listens; a NUL cannot begin a
 * line of ordinary output, so the supervisor can take it out.
 */
export const READY_PREFIX = "\0pyport-worker-listening ";

/** Where a worker is told to listen. */
export interface WorkerSlot {
  /** 0 to N-1. */
  readonly index: number;
  readonly host: string;
  readonly port: number;
}

/** `WORKER_ENV`'s value for `slot`. */
export function formatSlot(slot: WorkerSlot): string {
  return `${slot.index} ${slot.port} ${slot.host}`;
}

/** The slot this process was started for, or `null` when it is no worker. */
export function workerSlot(): WorkerSlot | null {
  // Never prompt for a permission the program was not started with.
  const env = Deno.permissions.querySync({ name: "env", variable: WORKER_ENV });
  if (env.state !== "granted") return null;
  const match = /^(\d+) (\d+) (.+)$/.exec(Deno.env.get(WORKER_ENV) ?? "");
  if (!match) return null;
  return { index: Number(match[1]), port: Number(match[2]), host: match[3]! };
}

/** `WORKER_TLS_ENV`'s value for `certificate`. */
export function formatCertificate(certificate: SelfSigned): string {
  const { cert, key, fingerprint, names } = certificate;
  return JSON.stringify({ cert, key, fingerprint, names });
}

/** The certificate the supervisor handed this worker, or `null`. */
export function workerCertificate(): SelfSigned | null {
  const descriptor = { name: "env", variable: WORKER_TLS_ENV } as const;
  if (Deno.permissions.querySync(descriptor).state !== "granted") return null;
  const text = Deno.env.get(WORKER_TLS_ENV);
  return text === undefined ? null : JSON.parse(text) as SelfSigned;
}

/**
 * Resolves on SIGTERM or the end of stdin, ignoring SIGINT meanwhile (see
 * the module), then lets go of all three so that nothing keeps the process
 * alive.
 */
async function untilStopped(): Promise<void> {
  // The supervisor holds the other end of stdin: it closing, even by a
  // crash or SIGKILL, ends the worker too, so none is left orphaned.
  const stdin = Deno.stdin.readable.getReader();
  let stop = () => {};
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  // A listener, even one doing nothing, keeps SIGINT from ending the process.
  const ignore = () => {};
  Deno.addSignalListener("SIGINT", ignore);
  Deno.addSignalListener("SIGTERM", stop);
  (async () => {
    while (!(await stdin.read()).done) {
      // Whatever the supervisor sends is ignored.
    }
  })().catch(() => {}).finally(stop);
  await stopped;
  Deno.removeSignalListener("SIGTERM", stop);
  Deno.removeSignalListener("SIGINT", ignore);
  await stdin.cancel().catch(() => {});
}

/**
 * Runs `server` (bound with `allow_reuse_port`) as a worker: reports its
 * address to the supervisor, serves until told to stop, then closes it.
 */
export async function serveAsWorker(server: HTTPServer): Promise<void> {
  const stopped = untilStopped();
  const [host, port] = server.server_address;
  console.log(`${READY_PREFIX}${port} ${host}`);
  const serving = server.serve_forever();
  await stopped;
  await server.shutdown();
  await serving;
  await server.server_close();
  discardUploadsInProgress();
  flushStderr();
}
