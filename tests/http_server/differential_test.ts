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
import { ALLOWANCES, buildCases, type Case } from "./_diff_cases.ts";
import { header, RawConnection, sendRaw } from "./_diff_http.ts";
import { judge, runPair } from "./_diff_run.ts";
import { type ServerProcess, startServer } from "./_diff_server.ts";
import { buildTree } from "./_diff_tree.ts";

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
      const [rp, ro] = await runPair(py, ours, c);
      logged += rp.log.length;
      if (!rp.closed) probed++;
      const { left, used } = judge(c, rp, ro);
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
