/**
 * Runs examples/workers_server.ts as its header says and checks that the
 * connections are spread over its workers, not served by the supervisor.
 */
import { equal, match, ok } from "node:assert/strict";
import { ServeProcess } from "../_server.ts";
import { ROOT } from "./_run.ts";

Deno.test({
  name: "examples/workers_server.ts: connections are spread over the workers",
  ignore: Deno.build.os !== "linux",
  async fn() {
    await using server = new ServeProcess(["0", "2"], {
      script: `${ROOT}examples/workers_server.ts`,
      cwd: ROOT,
    });
    const port = await server.started();
    match(server.stdout, /^Started 2 workers: \d+, \d+\n/);
    // A connection that sends nothing (a browser's preconnect) holds up no
    // one: each worker serves connections concurrently.
    const idle = await Deno.connect({ hostname: "127.0.0.1", port });
    const pids = new Set<string>();
    for (let i = 0; i < 30; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/`, {
        headers: { Connection: "close" },
        signal: AbortSignal.timeout(10_000),
      });
      const body = await res.text();
      pids.add(/process (\d+)/.exec(body)?.[1] ?? "");
    }
    idle.close();
    equal(pids.size, 2, `served by ${[...pids]}`);
    ok(!pids.has(String(server.child.pid)), "the supervisor serves nothing");
    equal(await server.stop("SIGINT"), 0);
  },
});
