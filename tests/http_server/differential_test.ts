/**
 * Differential test: CPython 3.13's `python3 -m http.server` and our `serve`
 * get the same raw requests on the same folder, in both `-p` modes, one case
 * at a time. For each case we compare every response (status line, interim
 * 1xx lines, header lines in order with repeats — Date and the runtime
 * version made constant — and body), whether the server kept or closed the
 * connection after it (a probe request tells), and the log lines. The only
 * differences allowed are in `ALLOWANCES` (`_diff_cases.ts`), each a
 * documented improvement.
 *
 * Skips when CPython 3.13 is absent. `DIFF_OURS=python` points "ours" at
 * Python too, to check the harness itself.
 */

import { havePython313 } from "../_python.ts";
import { equal, ok } from "node:assert/strict";
import {
  ALLOWANCES,
  buildCases,
  type Case,
  type CaseResult,
  type Shown,
} from "./_diff_cases.ts";
import {
  header,
  RawConnection,
  type RawResponse,
  sendRaw,
} from "./_diff_http.ts";
import { type ServerProcess, startServer } from "./_diff_server.ts";
import { buildTree } from "./_diff_tree.ts";

const PROBE = "GET /notes.txt HTTP/1.1\r\nHost: probe\r\n\r\n";
const READ_MS = 4000;

/** Header lines as compared: Date and the runtime's version made constant. */
function headerLines(res: RawResponse): string[] {
  return res.headers.map(([name, value]) => {
    if (name.toLowerCase() === "date") return `${name}: (date)`;
    if (name.toLowerCase() === "server") {
      return `${name}: ${
        value.replace(/ (?:Python|Deno)\/[\d.]+$/, " (runtime)")
      }`;
    }
    return `${name}: ${value}`;
  });
}

function shown(res: RawResponse): Shown {
  return {
    statusLine: res.statusLine,
    interim: res.interim,
    headers: headerLines(res),
    body: res.body,
    raw: res,
  };
}

/** Log lines with the time stamp made constant. */
function logLines(text: string): string[] {
  return text.split("\n").filter((line) => line !== "").map((line) =>
    line.replace(/^(\S+ - - )\[[^\]]+\]/, "$1[(time)]")
      .replace(/(request from \('[^']*', )\d+\)$/, "$1(port))")
  );
}

/** What the server wrote to stderr since `from`. */
function writtenSince(server: ServerProcess, from: number): string {
  const all = server.stderr();
  const written = server.stderrBytes() - from;
  return all.slice(Math.max(0, all.length - written));
}

/**
 * Waits until the server's stderr has been quiet for a moment and ends with
 * a whole line, and (up to 2 s) until it holds `atLeast` lines (our log
 * lines leave in batches at the end of a turn of the event loop, Python's
 * before the response; a busy machine can delay ours past a short quiet
 * spell); returns what it wrote since `from`.
 */
async function settledLog(
  server: ServerProcess,
  from: number,
  atLeast = 0,
): Promise<string[]> {
  let size = server.stderrBytes();
  let quiet = 0;
  const done = () => {
    const text = writtenSince(server, from);
    return quiet >= 3 && (text === "" || text.endsWith("\n")) &&
      logLines(text).length >= atLeast;
  };
  for (let waited = 0; !done() && waited < 2000; waited += 4) {
    await new Promise((r) => setTimeout(r, 4));
    const now = server.stderrBytes();
    quiet = now === size ? quiet + 1 : 0;
    size = now;
  }
  return logLines(writtenSince(server, from));
}

/** Sends one case on a fresh connection and records what came back. */
async function runCase(
  server: ServerProcess,
  c: Case,
): Promise<CaseResult & { logFrom: number }> {
  const logFrom = server.stderrBytes();
  const conn = await RawConnection.open(server);
  const responses: Shown[] = [];
  let closed = false;
  let timedOut = false;
  try {
    if (c.request.length > 0) await conn.write(c.request);
    if (c.halfClose) await conn.closeWrite();
    for (let i = 0; i < (c.responses ?? 1); i++) {
      const res = await conn.read({
        head: i === 0 && (c.head ?? false),
        timeoutMs: READ_MS,
      });
      if (res.statusLine === "" && res.body.length === 0 && i > 0) {
        closed = true;
        break;
      }
      responses.push(shown(res));
      timedOut = res.timedOut;
      if (res.closed || res.timedOut) {
        closed = res.closed && !res.timedOut;
        break;
      }
    }
    if (!closed && !timedOut) {
      // Kept open? Another request tells.
      if (conn.eof || !(await conn.write(PROBE))) closed = true;
      else {
        const probe = await conn.read({ timeoutMs: READ_MS });
        closed = probe.status === 0;
      }
    }
  } finally {
    conn.close();
  }
  return {
    responses,
    closed,
    timedOut,
    logFrom,
    log: await settledLog(server, logFrom),
  };
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function summarize(body: Uint8Array): string {
  const text = new TextDecoder().decode(body.subarray(0, 100));
  return `${body.length} bytes: ${JSON.stringify(text)}`;
}

/** What differs between two results, one line per field. */
function differences(py: CaseResult, ours: CaseResult): string[] {
  const out: string[] = [];
  const push = (field: string, a: unknown, b: unknown) =>
    out.push(
      `${field}\n      python: ${String(a)}\n      ours:   ${String(b)}`,
    );
  if (py.responses.length !== ours.responses.length) {
    push("responses", py.responses.length, ours.responses.length);
  }
  py.responses.forEach((p, i) => {
    const o = ours.responses[i];
    if (!o) return;
    if (p.statusLine !== o.statusLine) {
      push(`#${i} status line`, p.statusLine, o.statusLine);
    }
    if (p.interim.join() !== o.interim.join()) {
      push(`#${i} interim`, p.interim, o.interim);
    }
    if (p.headers.join("\n") !== o.headers.join("\n")) {
      push(
        `#${i} headers`,
        JSON.stringify(p.headers),
        JSON.stringify(o.headers),
      );
    }
    if (!sameBytes(p.body, o.body)) {
      push(`#${i} body`, summarize(p.body), summarize(o.body));
    }
  });
  if (py.closed !== ours.closed) push("closed after", py.closed, ours.closed);
  if (py.timedOut !== ours.timedOut) {
    push("timed out", py.timedOut, ours.timedOut);
  }
  if (py.log.join("\n") !== ours.log.join("\n")) {
    push("log", JSON.stringify(py.log), JSON.stringify(ours.log));
  }
  return out;
}

/** The case as an HTTP/1.1 request, when it is a plain HTTP/1.0 one. */
function asHttp11(c: Case): Case {
  if (typeof c.request !== "string" || c.tags?.includes("wire")) return c;
  if (c.tags?.includes("http09")) return c;
  return {
    ...c,
    request: c.request.replace(/^(\S+ \S+) HTTP\/1\.0\r\n/, "$1 HTTP/1.1\r\n"),
  };
}

for (const protocol of ["HTTP/1.0", "HTTP/1.1"]) {
  Deno.test({
    name:
      `http.server differential: CPython 3.13 vs ours on the same tree, -p ${protocol}`,
    ignore: !havePython313(),
    sanitizeResources: false,
    fn: () => differential(protocol),
  });
}

async function differential(protocol: string): Promise<void> {
  await using tree = await buildTree();
  const servers: ServerProcess[] = [];
  try {
    const args = ["-p", protocol];
    const [py, ours] = await Promise.all([
      startServer("python", tree.root, { args }),
      startServer("ours", tree.root, { args }),
    ]);
    servers.push(py, ours);
    const cases = buildCases(tree).map((c) =>
      protocol === "HTTP/1.1" ? asHttp11(c) : c
    );
    const unallowed: string[] = [];
    const allowedBy = new Map<string, string[]>();
    let logged = 0;
    let probed = 0;
    for (const c of cases) {
      const [rp, ro] = await Promise.all([runCase(py, c), runCase(ours, c)]);
      if (ro.log.length === 0 && rp.log.length > 0) {
        // Ours may log late on a busy machine: give it the time to catch up.
        ro.log = await settledLog(ours, ro.logFrom, 1);
      }
      logged += rp.log.length;
      if (!rp.closed) probed++;
      let adjusted: CaseResult = ro;
      const used: string[] = [];
      for (const allowance of ALLOWANCES) {
        if (differences(rp, adjusted).length === 0) break;
        const undone = allowance.undo(c, rp, adjusted);
        if (undone !== null) {
          adjusted = undone;
          used.push(allowance.id);
        }
      }
      const left = differences(rp, adjusted);
      if (left.length > 0) {
        unallowed.push(`  ${c.name}:\n    ${left.join("\n    ")}`);
      }
      for (const id of used) {
        allowedBy.set(id, [...(allowedBy.get(id) ?? []), c.name]);
      }
    }
    // The comparison saw something: Python's log lines, and (with
    // HTTP/1.1) connections kept open for the probe.
    ok(logged > cases.length, `only ${logged} log lines captured`);
    if (protocol === "HTTP/1.1") ok(probed > 100, `only ${probed} kept open`);
    else ok(probed < 20, `${probed} HTTP/1.0 connections kept open`);
    const after = await sendRaw(ours, "GET /notes.txt HTTP/1.0\r\n\r\n");
    equal(after.status, 200, "ours stopped serving after the hostile cases");

    console.log(
      `\n${cases.length} cases sent to both servers (-p ${protocol}).`,
    );
    for (const a of ALLOWANCES) {
      const names = allowedBy.get(a.id) ?? [];
      if (names.length === 0) continue;
      console.log(`allowed [${a.id}] x${names.length}: ${a.reason}`);
      for (const name of names.slice(0, 8)) console.log(`    ${name}`);
    }
    if (unallowed.length > 0) {
      throw new Error(
        `${unallowed.length} cases differ beyond the allowance table:\n` +
          unallowed.slice(0, 40).join("\n"),
      );
    }
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
}

Deno.test({
  name: "http.server: the documented improvements are really there",
  sanitizeResources: false,
  async fn() {
    await using tree = await buildTree();
    await using ours = await startServer("ours", tree.root);
    const req = (extra: Record<string, string> = {}) =>
      sendRaw(
        ours,
        `GET /notes.txt HTTP/1.0\r\n${
          Object.entries(extra).map(([k, v]) => `${k}: ${v}\r\n`).join("")
        }\r\n`,
      );
    const full = await req();
    equal(full.status, 200);
    equal(header(full, "accept-ranges"), "bytes");
    equal(header(full, "content-type"), "text/plain; charset=utf-8");
    const etag = header(full, "etag");
    equal(typeof etag, "string", "no ETag");
    equal((await req({ "If-None-Match": etag! })).status, 304);
    equal((await req({ "If-None-Match": '"other"' })).status, 200);
    const part = await req({ Range: "bytes=2-5" });
    equal(part.status, 206);
    equal(new TextDecoder().decode(part.body), "nten");
    equal(header(part, "content-range"), `bytes 2-5/${full.body.length}`);
    equal((await req({ Range: "bytes=999999-" })).status, 416);
    const conn = await RawConnection.open(ours);
    try {
      await conn.write(
        "POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
      );
      equal((await conn.read()).status, 400);
      equal(await conn.waitClosed(2000), true);
    } finally {
      conn.close();
    }
  },
});
