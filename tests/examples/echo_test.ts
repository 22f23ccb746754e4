/**
 * examples/echo_server.ts and examples/echo_client.ts, run as their
 * headers say: the client's greeting comes back, the server names the
 * client and exits after it, as the tutorial's echo-server.py.
 */
import { equal, match } from "node:assert/strict";
import { runExample, startExample } from "./_run.ts";

Deno.test("echo_client.ts gets its Hello, world back from echo_server.ts", async () => {
  await using server = startExample("echo_server.ts", ["0"]);
  const [, port] = await server.waitFor(
    /^Listening on \('127\.0\.0\.1', (\d+)\)\n/,
  );
  const client = await runExample("echo_client.ts", [port!]);
  equal(client.code, 0, client.stderr);
  equal(client.stdout, "Received b'Hello, world'\n");
  const { code, stdout, stderr } = await server.exited();
  equal(code, 0, stderr);
  match(
    stdout,
    new RegExp(
      `^Listening on \\('127\\.0\\.0\\.1', ${port}\\)\nConnected by \\('127\\.0\\.0\\.1', \\d+\\)\n$`,
    ),
  );
});

Deno.test("echo_client.ts without a server fails with ConnectionRefused", async () => {
  // A port that was free a moment ago: nobody listens there.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const { code, stderr } = await runExample("echo_client.ts", [String(port)]);
  equal(code, 1);
  match(stderr, /ConnectionRefused/);
});
