/**
 * Random rfile programs: a `StreamRequestHandler` runs a random sequence of
 * `read(n)`, `readline(limit)`, `readinto` and `readlines(hint)` calls on
 * bytes that arrive in random pieces, under CPython 3.13's `socketserver`
 * and under ours, and both must return the same bytes for every call.
 * (`read1` is left out: what it returns depends on how the pieces arrive.)
 *
 * The seed is fixed, so a run is repeatable; `DIFF_SEED=n` explores
 * another. Skipped without CPython 3.13.
 */
import { deepEqual } from "node:assert/strict";
import { StreamRequestHandler, TCPServer } from "../../socketserver/mod.ts";
import { havePython313, PYTHON, PYTHON_ENV } from "../_python.ts";
import { type Pick, randomSource, testSeed } from "../_random.ts";
import { spawnServer } from "../http_server/_diff_server.ts";
import { decoder, encoder, sleep } from "./_helpers.ts";

/** One call: its name and its argument. */
type Call = [name: "read" | "readline" | "readinto" | "readlines", arg: number];

const PY_SERVER = `
import json, socketserver

class Runner(socketserver.StreamRequestHandler):
    def handle(self):
        calls = json.loads(self.rfile.readline())
        out = []
        for name, arg in calls:
            if name == "readinto":
                buffer = bytearray(arg)
                out.append(buffer[:self.rfile.readinto(buffer)].hex())
            elif name == "readlines":
                out.append([line.hex() for line in self.rfile.readlines(arg)])
            else:
                out.append(getattr(self.rfile, name)(arg).hex())
        self.wfile.write(json.dumps(out).encode() + b"\\n")

server = socketserver.TCPServer(("127.0.0.1", 0), Runner)
host, port = server.server_address
print(f"Serving HTTP on {host} port {port} (http://{host}:{port}/) ...", flush=True)
server.serve_forever()
`;

const hex = (bytes: Uint8Array) =>
  [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");

/** The same handler in TypeScript. */
class Runner extends StreamRequestHandler {
  override async handle(): Promise<void> {
    const calls = JSON.parse(
      decoder.decode(await this.rfile.readline()),
    ) as Call[];
    const out: unknown[] = [];
    for (const [name, arg] of calls) {
      if (name === "readinto") {
        const buffer = new Uint8Array(arg);
        out.push(hex(buffer.subarray(0, await this.rfile.readinto(buffer))));
      } else if (name === "readlines") {
        out.push((await this.rfile.readlines(arg)).map(hex));
      } else {
        out.push(hex(await this.rfile[name](arg)));
      }
    }
    this.wfile.write(encoder.encode(JSON.stringify(out) + "\n"));
  }
}

const PIECES = [
  "abc",
  "\n",
  "\r\n",
  "line\n",
  "x".repeat(70),
  "\n\n",
  "\u00e9\n",
  "y".repeat(9000),
];

function randomCase(pick: Pick) {
  const data = encoder.encode(
    Array.from({ length: pick([1, 3, 5, 8]) }, () => pick(PIECES)).join(""),
  );
  const cuts = Array.from(
    { length: pick([0, 1, 2, 3]) },
    () => Math.floor(pick([0, 0.25, 0.5, 0.75, 1]) * data.length),
  ).sort((a, b) => a - b);
  const calls: Call[] = Array.from({ length: pick([1, 2, 3, 4, 5]) }, () => {
    const name = pick(["read", "readline", "readinto", "readlines"] as const);
    const arg = pick(
      name === "readinto" ? [1, 3, 10, 8193] : [-1, 0, 1, 3, 5, 100, 8193],
    );
    return [name, arg];
  });
  // Read to the end, so that no server closes with bytes unread (a reset
  // could then lose its answer).
  calls.push(["read", -1]);
  return { data, cuts, calls };
}

/** Sends the calls, then the data in pieces; returns the answer. */
async function run(
  port: number,
  { data, cuts, calls }: ReturnType<typeof randomCase>,
): Promise<unknown> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(encoder.encode(JSON.stringify(calls) + "\n"));
    let at = 0;
    for (const cut of [...cuts, data.length]) {
      if (cut <= at) continue;
      await conn.write(data.subarray(at, cut));
      at = cut;
      await sleep(3);
    }
    await conn.closeWrite();
    let answer = "";
    const buffer = new Uint8Array(64 * 1024);
    for (
      let n = await conn.read(buffer);
      n !== null;
      n = await conn.read(buffer)
    ) {
      answer += decoder.decode(buffer.subarray(0, n));
    }
    return JSON.parse(answer);
  } finally {
    conn.close();
  }
}

Deno.test({
  name:
    "rfile: random read programs give the same bytes as CPython 3.13's socketserver",
  ignore: !havePython313(),
  sanitizeResources: false,
  async fn() {
    const seed = testSeed(20261132);
    const pick = randomSource(seed);
    await using python = await spawnServer("python", PYTHON, [
      "-u",
      "-c",
      PY_SERVER,
    ], { ...PYTHON_ENV });
    await using ours = new TCPServer(["127.0.0.1", 0], Runner);
    const serving = ours.serve_forever(0.05);
    try {
      for (let i = 0; i < 80; i++) {
        const c = randomCase(pick);
        const [theirs, mine] = await Promise.all([
          run(python.port, c),
          run(ours.server_address[1], c),
        ]);
        const shown = JSON.stringify({ ...c, data: decoder.decode(c.data) });
        deepEqual(mine, theirs, `seed ${seed}, #${i}: ${shown}`);
      }
    } finally {
      await ours.shutdown();
      await serving;
    }
  },
});
