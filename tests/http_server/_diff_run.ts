/**
 * Running one differential case against a server, and comparing two
 * servers' results: shared by the fixed cases of `differential_test.ts` and
 * the generated ones of `random_differential_test.ts`.
 *
 * @module
 */

import {
  ALLOWANCES,
  type Case,
  type CaseResult,
  type Shown,
} from "./_diff_cases.ts";
import { RawConnection, type RawResponse } from "./_diff_http.ts";
import type { ServerProcess } from "./_diff_server.ts";

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

/**
 * Ours' result with each allowance (a documented improvement) undone where
 * the case shows it: what still differs from Python's, and which allowances
 * were used.
 */
export function judge(
  c: Case,
  py: CaseResult,
  ours: CaseResult,
): { left: string[]; used: string[] } {
  let adjusted = ours;
  const used: string[] = [];
  for (const allowance of ALLOWANCES) {
    if (differences(py, adjusted).length === 0) break;
    const undone = allowance.undo(c, py, adjusted);
    if (undone !== null) {
      adjusted = undone;
      used.push(allowance.id);
    }
  }
  return { left: differences(py, adjusted), used };
}

/**
 * Sends case `c` to both servers at once; returns Python's result and ours.
 * Ours writes its log lines at the end of a turn of the event loop, Python
 * before it answers: when ours has logged fewer lines, it gets the time to
 * catch up (a busy machine can delay them past the quiet spell).
 */
export async function runPair(
  py: ServerProcess,
  ours: ServerProcess,
  c: Case,
): Promise<[CaseResult, CaseResult]> {
  const [rp, ro] = await Promise.all([runCase(py, c), runCase(ours, c)]);
  if (ro.log.length < rp.log.length) {
    ro.log = await settledLog(ours, ro.logFrom, rp.log.length);
  }
  return [rp, ro];
}
