/**
 * `socketserver` programs written the way Python tutorials write them (a
 * handler that half-closes to say it is done, a handler that fails), run
 * here and, where CPython 3.13 is present, as their Python twins, with the
 * same raw client. Found by running ten such programs side by side and
 * recording each byte the client got, when the connection closed, and the
 * server's stderr.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { havePython313, pythonOutput } from "../_python.ts";
import { within } from "../_server.ts";
import { StreamRequestHandler, TCPServer } from "../../socketserver/mod.ts";
import {
  connect,
  decoder,
  encoder,
  MOD_URL,
  readAll,
  runScript,
  serverTest,
} from "./_helpers.ts";

const havePython = havePython313();

/**
 * The client both servers get: ask, read the answer up to the end of the
 * stream the server's half-close sends, then say thanks and half-close.
 */
async function askThenThank(address: readonly [string, number]) {
  using conn = await connect(address);
  await conn.write(encoder.encode("query\n"));
  const answer = await within(readAll(conn), 3000, "reading the answer");
  await conn.write(encoder.encode("thanks"));
  await conn.closeWrite();
  return answer;
}

// A handler that writes its answer, then shuts down its sending side so
// that the client sees the end, and reads what the client says after.
const PY_HALF_CLOSE = `
import json, socket, socketserver, sys, threading
got = []
class Results(socketserver.StreamRequestHandler):
    def handle(self):
        self.rfile.readline()
        self.wfile.write(b"your results\\n")
        self.request.shutdown(socket.SHUT_WR)
        got.append(self.rfile.read().decode())
with socketserver.TCPServer(("127.0.0.1", 0), Results) as server:
    serving = threading.Thread(target=server.handle_request)
    serving.start()
    with socket.create_connection(server.server_address, timeout=3) as conn:
        conn.sendall(b"query\\n")
        answer = b""
        while chunk := conn.recv(1024):
            answer += chunk
        conn.sendall(b"thanks")
        conn.shutdown(socket.SHUT_WR)
        serving.join(3)
print(json.dumps([answer.decode(), got]))
`;

serverTest(
  "closeWrite() (shutdown(SHUT_WR)) sends what wfile wrote before it first, as Python's write has sent it; the half-close dropped it",
  async () => {
    const got: string[] = [];
    class Results extends StreamRequestHandler {
      override async handle(): Promise<void> {
        await this.rfile.readline();
        this.wfile.write(encoder.encode("your results\n"));
        await this.request.closeWrite();
        got.push(decoder.decode(await this.rfile.read()));
      }
    }
    await using server = new TCPServer(["127.0.0.1", 0], Results);
    const served = server.handle_request();
    const answer = await askThenThank(
      server.server_address as [string, number],
    );
    await within(served, 3000, "the request");
    deepEqual([answer, got], ["your results\n", ["thanks"]]);
  },
);

Deno.test({
  name:
    "CPython 3.13: shutdown(SHUT_WR) after wfile.write sends the bytes, then the end",
  ignore: !havePython,
  async fn() {
    const out = await pythonOutput(["-c", PY_HALF_CLOSE], {
      timeoutMs: 10_000,
    });
    deepEqual(JSON.parse(decoder.decode(out.stdout)), [
      "your results\n",
      ["thanks"],
    ]);
  },
});

// A handler that fails: the report must be on stderr when handle_request()
// returns, before whatever the program prints next (Python prints it at once).
const PY_FAILING = `
import socket, socketserver, sys
class Failing(socketserver.StreamRequestHandler):
    def handle(self):
        raise RuntimeError("handler failed")
with socketserver.TCPServer(("127.0.0.1", 0), Failing) as server:
    client = socket.create_connection(server.server_address)
    server.handle_request()
    print("after handle_request", file=sys.stderr)
    client.close()
`;

const TS_FAILING = `
import { StreamRequestHandler, TCPServer } from "${MOD_URL}";
class Failing extends StreamRequestHandler {
  handle() { throw new Error("handler failed"); }
}
const server = new TCPServer(["127.0.0.1", 0], Failing);
const [hostname, port] = server.server_address;
const client = Deno.connect({ hostname, port });
await server.handle_request();
console.error("after handle_request");
(await client).close();
await server.server_close();
`;

/** Where the report starts and where the program's own line is. */
function order(stderr: string): [number, number] {
  const report = stderr.indexOf("Exception occurred during processing");
  const after = stderr.indexOf("after handle_request");
  ok(report >= 0 && after >= 0, stderr);
  return [report, after];
}

serverTest(
  "handle_error's report is on stderr when it returns, before what the program prints next (it waited for a timer, after the next client's output)",
  async () => {
    const run = await runScript(TS_FAILING);
    equal(run.code, 0, run.stderr);
    const [report, after] = order(run.stderr);
    ok(report < after, run.stderr);
  },
  { timeoutMs: 20_000 },
);

Deno.test({
  name:
    "CPython 3.13: handle_error prints its report before handle_request() returns",
  ignore: !havePython,
  async fn() {
    const out = await pythonOutput(["-c", PY_FAILING], { timeoutMs: 10_000 });
    const stderr = decoder.decode(out.stderr);
    const [report, after] = order(stderr);
    ok(report < after, stderr);
  },
});
