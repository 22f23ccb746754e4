/**
 * `serve --workers N` with real processes: the workers serve,
 * log one line per request, share the connections, replace a worker that
 * dies, and stop cleanly (no process left behind) on SIGINT, on SIGTERM,
 * and even when the supervisor itself is killed.
 */
import { equal, match, rejects } from "node:assert/strict";
import {
  BaseHTTPRequestHandler,
  serve_workers,
} from "../../http_server/mod.ts";
import { ServeProcess } from "../_server.ts";
import { haveOpenssl } from "../_tls.ts";

const LINUX = Deno.build.os === "linux";
const LOG_LINE =
  /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4} \d\d:\d\d:\d\d\] "GET \/hello\.txt HTTP\/1\.1" 200 -$/;

/** The ids of the processes whose parent is `pid`. */
function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) children.push(Number(entry.name));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return !/^\S+ \(.*\) Z/.test(stat); // a zombie has exited
  } catch {
    return false;
  }
}

async function until(test: () => boolean, what: string, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!test()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One request on a fresh connection; resolves with the body. */
async function getOnce(port: number, path: string): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    headers: { Connection: "close" },
    signal: AbortSignal.timeout(10_000),
  });
  return await res.text();
}

const dir = await Deno.makeTempDir({ prefix: "pyport_workers_" });
await Deno.writeTextFile(`${dir}/hello.txt`, "Hello World\n");
globalThis.addEventListener("unload", () => {
  Deno.removeSync(dir, { recursive: true });
});

/** `serve` on 127.0.0.1 `port`, serving `dir` with two workers. */
function twoWorkers(port: number): ServeProcess {
  const args = ["-b", "127.0.0.1", "-d", dir, "--workers", "2"];
  return new ServeProcess([String(port), ...args]);
}

async function startWorkers() {
  const server = twoWorkers(0);
  const port = await server.started();
  await until(() => childPids(server.child.pid).length === 2, "two workers");
  return { server, port, workers: childPids(server.child.pid) };
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  Deno.test({
    name:
      `serve --workers 2: serves, one log line per request, ${signal} stops all`,
    ignore: !LINUX,
    async fn() {
      const { server, port, workers } = await startWorkers();
      await using _ = server;
      equal(
        server.stdout,
        `Serving HTTP on 127.0.0.1 port ${port} (http://127.0.0.1:${port}/) ...\n`,
      );
      // 200 requests, 20 at a time: the workers log concurrently, and the
      // merged log must still be whole lines.
      const requests = 200;
      for (let i = 0; i < requests; i += 20) {
        const bodies = await Promise.all(
          Array.from({ length: 20 }, () => getOnce(port, "/hello.txt")),
        );
        for (const body of bodies) equal(body, "Hello World\n");
      }
      await server.until(
        () => server.stderr.split("\n").length > requests,
        "the log lines",
      );
      const lines = server.stderr.trimEnd().split("\n");
      equal(lines.length, requests, server.stderr);
      for (const line of lines) match(line, LOG_LINE);
      // Ctrl-C in a terminal signals the whole process group at once. The
      // workers leave it to the supervisor: were they to stop by themselves,
      // it could see them exit before its own signal and report (and
      // replace) them. Here the supervisor's comes a while after theirs.
      if (signal === "SIGINT") {
        for (const pid of workers) Deno.kill(pid, signal);
        await new Promise((resolve) => setTimeout(resolve, 300));
        for (const pid of workers) {
          equal(alive(pid), true, `worker ${pid} stopped on SIGINT`);
        }
        equal(server.stderr.trimEnd().split("\n").length, requests);
      }
      equal(await server.stop(signal), 0);
      // Ctrl-C's words once; none for SIGTERM, as from Python's server.
      equal(
        server.stdout.split("Keyboard interrupt received, exiting.").length,
        signal === "SIGINT" ? 2 : 1,
      );
      equal(
        server.stderr.trimEnd().split("\n").length,
        requests,
        "nothing else logged",
      );
      for (const pid of workers) {
        equal(alive(pid), false, `worker ${pid} left running`);
      }
    },
  });
}

Deno.test({
  name: "serve --workers 2: a worker that dies is reported and replaced",
  ignore: !LINUX,
  async fn() {
    const { server, port, workers } = await startWorkers();
    await using _ = server;
    // Workers that die within 2 s of listening are replaced after a pause
    // (the next test); this one lived longer.
    await new Promise((r) => setTimeout(r, 2_100));
    Deno.kill(workers[0]!, "SIGKILL");
    await server.until(
      () => server.stderr.includes("started another"),
      "the report",
    );
    match(
      server.stderr,
      new RegExp(
        `^worker \\d \\(pid ${
          workers[0]
        }\\) was killed by SIGKILL; started another \\(pid \\d+\\)$`,
        "m",
      ),
    );
    await until(
      () => childPids(server.child.pid).length === 2,
      "the new worker",
    );
    for (let i = 0; i < 6; i++) {
      equal(await getOnce(port, "/hello.txt"), "Hello World\n");
    }
    equal(await server.stop("SIGTERM"), 0);
  },
});

Deno.test({
  name:
    "serve --workers 2: a worker killed just after starting is replaced after a pause, not given up",
  ignore: !LINUX,
  async fn() {
    const { server, port, workers } = await startWorkers();
    await using _ = server;
    Deno.kill(workers[0]!, "SIGKILL");
    await server.until(
      () => server.stderr.includes("started again"),
      "the replacement",
    );
    match(
      server.stderr,
      new RegExp(
        `^worker (\\d) \\(pid ${
          workers[0]
        }\\) was killed by SIGKILL within 2 s of listening; starting another in 1 s\nworker \\1 started again \\(pid \\d+\\)$`,
        "m",
      ),
    );
    await until(() => childPids(server.child.pid).length === 2, "two again");
    for (let i = 0; i < 6; i++) {
      equal(await getOnce(port, "/hello.txt"), "Hello World\n");
    }
    equal(await server.stop("SIGTERM"), 0);
  },
});

Deno.test({
  name:
    "serve --workers 2: a replacement that cannot start is tried again after growing pauses, however long it took to fail",
  ignore: !LINUX,
  async fn() {
    const own = await Deno.makeTempDir({ prefix: "pyport_workers_gone_" });
    const server = new ServeProcess([
      "0",
      ...["-b", "127.0.0.1", "-d", own, "--workers", "2"],
    ]);
    await using _ = server;
    await server.started();
    await until(() => childPids(server.child.pid).length === 2, "two workers");
    // The folder goes: a new worker exits before it listens. That counts
    // as a quick death whether it took one second or five (a busy
    // machine), so it is never started again at once, in a loop.
    await Deno.remove(own);
    Deno.kill(childPids(server.child.pid)[0]!, "SIGKILL");
    await server.until(
      () =>
        /before it listened; starting another in \d s$/m.test(server.stderr),
      "the failed start",
    );
    match(
      server.stderr,
      /^worker (\d) \(pid \d+\) exited with code 1 before it listened; starting another in [12] s$/m,
    );
    equal(await server.stop("SIGTERM"), 0);
  },
});

Deno.test({
  name:
    "serve --workers 2: the workers stop by themselves when the supervisor is killed",
  ignore: !LINUX,
  async fn() {
    const { server, workers } = await startWorkers();
    await using _ = server;
    Deno.kill(server.child.pid, "SIGKILL");
    await server.child.status;
    await until(
      () => workers.every((pid) => !alive(pid)),
      "the orphaned workers to stop",
    );
  },
});

Deno.test({
  name: "serve --workers: bad counts exit 2, a port in use exits 1",
  ignore: !LINUX,
  async fn() {
    for (const bad of ["0", "-1", "two", "1000"]) {
      await using server = new ServeProcess(["0", "-d", dir, "--workers", bad]);
      await server.until(() => server.exitCode !== null, "the exit");
      equal(server.exitCode, 2, bad);
      match(server.stderr, /serve: error: argument --workers: /);
    }
    using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    await using server = twoWorkers(taken.addr.port);
    await server.until(() => server.exitCode !== null, "the exit");
    equal(server.exitCode, 1);
    match(server.stderr, /^Error: port \d+ is already in use on 127\.0\.0\.1/);
  },
});

/** The SHA-256 fingerprint of the certificate the server at `port` sends. */
async function servedFingerprint(port: number): Promise<string> {
  const client = await new Deno.Command("openssl", {
    args: ["s_client", "-connect", `127.0.0.1:${port}`],
    stdin: "null",
    stdout: "piped",
    stderr: "null",
  }).output();
  const x509 = new Deno.Command("openssl", {
    args: ["x509", "-noout", "-fingerprint", "-sha256"],
    stdin: "piped",
    stdout: "piped",
    stderr: "null",
  }).spawn();
  const writer = x509.stdin.getWriter();
  await writer.write(client.stdout);
  await writer.close();
  const out = new TextDecoder().decode((await x509.output()).stdout);
  return out.trim().replace(/^.*=/, "");
}

Deno.test({
  name:
    "serve --workers 2 --tls-self-signed: every worker serves the one certificate whose fingerprint was printed",
  ignore: !LINUX || !haveOpenssl,
  async fn() {
    await using server = new ServeProcess([
      "0",
      "-b",
      "127.0.0.1",
      "-d",
      dir,
      "--workers",
      "2",
      "--tls-self-signed",
    ]);
    const port = await server.started();
    await until(() => childPids(server.child.pid).length === 2, "two workers");
    const printed = /SHA-256 fingerprint (\S+)/.exec(server.stdout)?.[1];
    match(printed ?? "", /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // The kernel spreads connections over the workers: ask several times.
    for (let i = 0; i < 8; i++) {
      equal(await servedFingerprint(port), printed);
    }
  },
});

Deno.test("serve_workers: a worker count that is no whole number is named in the RangeError (NaN, not JSON's null)", async () => {
  for (const [workers, shown] of [[NaN, "NaN"], [0, "0"], [1.5, "1.5"]]) {
    await rejects(
      serve_workers(["127.0.0.1", 0], BaseHTTPRequestHandler, {
        workers: workers as number,
      }),
      { name: "RangeError", message: new RegExp(`at least 1, not ${shown}$`) },
    );
  }
});

Deno.test({
  name:
    "serve --workers 2 --auth-file with --allow-read for the folder and the file: the workers may read the file too",
  ignore: !LINUX,
  async fn() {
    const users = await Deno.makeTempFile({ prefix: "pyport_users_" });
    try {
      await Deno.writeTextFile(users, "ada:lovelace\n");
      await using server = new ServeProcess(
        [
          "0",
          "-b",
          "127.0.0.1",
          "-d",
          dir,
          "--workers",
          "2",
          "--auth-file",
          users,
        ],
        {
          permissions: [
            "--allow-net",
            `--allow-read=${dir},${users}`,
            "--allow-run",
          ],
        },
      );
      const port = await server.started();
      await until(
        () => childPids(server.child.pid).length === 2,
        "two workers",
      );
      // Each worker reads the file on its own: ask several times.
      for (let i = 0; i < 6; i++) {
        const res = await fetch(`http://127.0.0.1:${port}/hello.txt`, {
          headers: {
            Authorization: `Basic ${btoa("ada:lovelace")}`,
            Connection: "close",
          },
          signal: AbortSignal.timeout(10_000),
        });
        equal(await res.text(), "Hello World\n");
      }
    } finally {
      await Deno.remove(users);
    }
  },
});
