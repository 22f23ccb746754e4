/**
 * Differential app test: one BaseHTTPRequestHandler app (request_version,
 * headers.get_all, a custom reason phrase, send_response_only with raw
 * wfile bytes, a POST body read from rfile, send_error) written in Python
 * and in TypeScript (`_diff_app.ts`), the same raw requests sent to both,
 * and the raw bytes they answer compared (Date and runtime version made
 * constant), with their log lines. Skipped without CPython 3.13.
 */
import { havePython313 } from "../_python.ts";
import { deepEqual, equal, ok } from "node:assert/strict";
import { type Pick, randomSource, testSeed } from "../_random.ts";
import { type ServerProcess, spawnServer } from "./_diff_server.ts";

const havePython = havePython313();

const PY_APP = `
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

class App(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "App/1.0"

    def reply(self, code, reason, text):
        body = text.encode()
        self.send_response(code, reason)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        if self.path.startswith("/info"):
            multi = self.headers.get_all("X-Multi") or []
            state = "closing" if self.close_connection else "keeping"
            self.reply(200, None, f"{self.command}|{self.path}|{self.request_version}|"
                       f"{';'.join(multi)}|{self.headers.get('Host', '-')}|{state}\\n")
        elif self.path == "/teapot":
            self.reply(418, "Short And Stout", "I'm a teapot\\n")
        elif self.path == "/raw":
            self.send_response_only(200, "Raw Deal")
            self.send_header("X-Raw", "yes")
            self.end_headers()
            self.wfile.write(bytes([0, 1, 98, 105, 110, 0xff, 10]))
            self.close_connection = True
        else:
            self.send_error(404, "Nothing here", f"no route for {self.path}")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        text = self.rfile.read(length).decode()
        self.reply(201, "Stored", f"{length}:{text.upper()}\\n")

server = ThreadingHTTPServer(("127.0.0.1", 0), App)
host, port = server.server_address
print(f"Serving HTTP on {host} port {port} (http://{host}:{port}/) ...", flush=True)
server.serve_forever()
`;

const H = "Host: app\r\n";
const CASES: [string, string][] = [
  [
    "info, HTTP/1.1, repeated header",
    `GET /info?a=1 HTTP/1.1\r\n${H}X-Multi: one\r\nx-multi: two\r\nX-MULTI: three\r\n\r\n`,
  ],
  ["info, HTTP/1.0", "GET /info HTTP/1.0\r\n\r\n"],
  [
    "info, HTTP/1.0 keep-alive",
    "GET /info HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
  ],
  ["info, HTTP/0.9", "GET /info\r\n\r\n"],
  ["info, folded header", `GET /info HTTP/1.1\r\n${H}X-Multi: a\r\n b\r\n\r\n`],
  ["teapot", `GET /teapot HTTP/1.1\r\n${H}\r\n`],
  ["raw bytes", `GET /raw HTTP/1.1\r\n${H}\r\n`],
  ["missing", `GET /nope HTTP/1.1\r\n${H}\r\n`],
  ["post", `POST /echo HTTP/1.1\r\n${H}Content-Length: 11\r\n\r\nhello world`],
  [
    "post, 100-continue",
    `POST /echo HTTP/1.1\r\n${H}Expect: 100-continue\r\nContent-Length: 2\r\n\r\nok`,
  ],
  ["unknown method", `BREW /pot HTTP/1.1\r\n${H}\r\n`],
  // `do_` + a name JavaScript objects inherit is no method: 501, as Python.
  ["method constructor", `constructor /info HTTP/1.1\r\n${H}\r\n`],
  ["method __proto__", `__proto__ /info HTTP/1.1\r\n${H}\r\n`],
  ["method toString", `toString /info HTTP/1.1\r\n${H}\r\n`],
  ["method hasOwnProperty", `hasOwnProperty /info HTTP/1.1\r\n${H}\r\n`],
  [
    "method in lower case",
    `post /echo HTTP/1.1\r\n${H}Content-Length: 0\r\n\r\n`,
  ],
  ["method with NUL and Latin-1", `P\0ST\u00ff /echo HTTP/1.1\r\n${H}\r\n`],
  [
    "post, 100-CONTINUE",
    `POST /echo HTTP/1.1\r\n${H}Expect: 100-CONTINUE\r\nContent-Length: 2\r\n\r\nok`,
  ],
  [
    "post, 100-continue in a list",
    `POST /echo HTTP/1.1\r\n${H}Expect: 100-continue, x\r\nContent-Length: 2\r\n\r\nok`,
  ],
  [
    "post, another expectation",
    `POST /echo HTTP/1.1\r\n${H}Expect: 200-ok\r\nContent-Length: 2\r\n\r\nok`,
  ],
  [
    "post, 100-continue over HTTP/1.0",
    `POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok`,
  ],
  [
    "pipelined",
    `GET /info HTTP/1.1\r\n${H}\r\nPOST /echo HTTP/1.1\r\n${H}Content-Length: 3\r\n\r\nabc` +
    `GET /teapot HTTP/1.1\r\n${H}Connection: close\r\n\r\nGET /info HTTP/1.1\r\n${H}\r\n`,
  ],
  ["bad version", "GET /info HTTP/1.x\r\n\r\n"],
  ["too long", `GET /${"x".repeat(70_000)} HTTP/1.1\r\n\r\n`],
];

/** Sends `raw`, half-closes, and reads everything until the server closes. */
async function exchange(server: ServerProcess, raw: string): Promise<string> {
  const conn = await Deno.connect({
    hostname: server.hostname,
    port: server.port,
  });
  try {
    await conn.write(Uint8Array.from(raw, (c) => c.charCodeAt(0)));
    await conn.closeWrite();
    let out = "";
    const buffer = new Uint8Array(64 * 1024);
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      const n = await conn.read(buffer).catch(() => null);
      if (n === null) break;
      for (const byte of buffer.subarray(0, n)) {
        out += String.fromCharCode(byte);
      }
    }
    return out.replace(/\r\nDate: [^\r]*/g, "\r\nDate: (date)")
      .replace(/ (?:Python|Deno)\/[\d.]+\r\n/g, " (runtime)\r\n");
  } finally {
    conn.close();
  }
}

async function logSince(
  server: ServerProcess,
  from: number,
): Promise<string[]> {
  await new Promise((r) => setTimeout(r, 30));
  const all = server.stderr();
  return all.slice(all.length - (server.stderrBytes() - from)).split("\n")
    .filter((line) => line !== "")
    .map((line) => line.replace(/\[[^\]]+\]/, "[(time)]"));
}

/** The app under CPython 3.13 and under ours. */
function startApps(): Promise<[ServerProcess, ServerProcess]> {
  const app = new URL("./_diff_app.ts", import.meta.url).pathname;
  const config = new URL("../../deno.json", import.meta.url).pathname;
  return Promise.all([
    spawnServer("python", "python3", ["-u", "-c", PY_APP], {
      PYENV_VERSION: "3.13.0",
    }),
    spawnServer("ours", Deno.execPath(), [
      "run",
      "-A",
      "--config",
      config,
      app,
    ]),
  ]);
}

Deno.test({
  name:
    "differential app: the same handler in Python and TypeScript answers byte for byte",
  ignore: !havePython,
  sanitizeResources: false,
  async fn() {
    const [py, ours] = await startApps();
    try {
      for (const [name, raw] of CASES) {
        const [pyLog, ourLog] = [py.stderrBytes(), ours.stderrBytes()];
        const [a, b] = await Promise.all([
          exchange(py, raw),
          exchange(ours, raw),
        ]);
        equal(b, a, name);
        ok(a.length > 20, `${name}: Python answered ${JSON.stringify(a)}`);
        deepEqual(
          await logSince(ours, ourLog),
          await logSince(py, pyLog),
          `${name}: log lines`,
        );
      }
      // The pipelined case got its three answers (the fourth came after
      // Connection: close, so it was not served).
      const pipelined = await exchange(
        ours,
        CASES.find(([name]) => name === "pipelined")![1],
      );
      equal(pipelined.match(/^HTTP\/1\.1 \d{3}/gm)?.length, 3);
    } finally {
      await Promise.all([py.close(), ours.close()]);
    }
  },
});

/** One request of a random pipeline: any route, version, line end. */
function randomRequest(pick: Pick): string {
  const version = pick(["HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0"]);
  const end = pick(["\r\n", "\r\n", "\r\n", "\n"]);
  const headers: string[] = pick([true, true, true, false])
    ? ["Host: app"]
    : [];
  for (let n = pick([0, 0, 1, 2]); n > 0; n--) {
    headers.push(pick([
      "X-Multi: one",
      "x-multi: two",
      "X-MULTI:  three ",
      `X-Multi: a${end} folded`,
      "X-Empty:",
      "Connection: close",
      "Connection: keep-alive",
      "Expect: 100-continue",
    ]));
  }
  const head = (line: string) =>
    line + end + headers.map((h) => h + end).join("") + end;
  switch (pick(["info", "info", "post", "post", "teapot", "raw", "other"])) {
    case "info":
      return head(`GET /info?n=${pick([1, 2, 3])} ${version}`);
    case "post": {
      const body = pick(["", "abc", "hello world", "x".repeat(300)]);
      headers.push(`Content-Length: ${body.length}`);
      // Now and then the body breaks off: the half-close ends it.
      const sent = pick([1, 1, 1, 1, 1, 0.5]) * body.length;
      return head(`POST /echo ${version}`) + body.slice(0, sent);
    }
    case "teapot":
      return head(`GET /teapot ${version}`);
    case "raw":
      return head(`GET /raw ${version}`);
    default:
      return head(pick([
        `GET /nope ${version}`,
        `BREW /pot ${version}`,
        `HEAD /info ${version}`,
        "GET /info HTTP/1.x",
        "GET /info HTTP/2.0",
      ]));
  }
}

Deno.test({
  name:
    "differential app: random pipelines get the same bytes and log lines from Python and TypeScript",
  ignore: !havePython,
  sanitizeResources: false,
  async fn() {
    const seed = testSeed(20261129);
    const pick = randomSource(seed);
    const [py, ours] = await startApps();
    try {
      for (let i = 0; i < 60; i++) {
        const count = pick([1, 2, 3, 4]);
        const raw = Array.from({ length: count }, () => randomRequest(pick))
          .join("");
        const [pyLog, ourLog] = [py.stderrBytes(), ours.stderrBytes()];
        const [a, b] = await Promise.all([
          exchange(py, raw),
          exchange(ours, raw),
        ]);
        const name = `seed ${seed}, #${i}: ${JSON.stringify(raw)}`;
        equal(b, a, name);
        let [theirs, mine] = await Promise.all([
          logSince(py, pyLog),
          logSince(ours, ourLog),
        ]);
        if (mine.length < theirs.length) {
          // Ours writes its log lines in batches: a busy machine can delay them.
          await new Promise((r) => setTimeout(r, 300));
          [theirs, mine] = await Promise.all([
            logSince(py, pyLog),
            logSince(ours, ourLog),
          ]);
        }
        deepEqual(mine, theirs, `${name}: log lines`);
      }
    } finally {
      await Promise.all([py.close(), ours.close()]);
    }
  },
});
