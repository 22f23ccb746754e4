/**
 * Runs the same scenarios under CPython 3.13's urllib (`_diff_client.py`)
 * and under ours against the same local servers, and compares status,
 * reason, final URL, body, key response headers, exception class and the
 * request headers the server saw. Each allowed difference is listed in
 * IMPROVEMENTS with its reason. Ignored when CPython 3.13 is absent.
 */
import { deepEqual } from "node:assert/strict";
import {
  HOSTILE_REPLIES,
  type Outcome,
  runOurs,
  scenarios,
} from "./_diff_scenarios.ts";
import { type Seen, startRaw, startSite } from "./_site.ts";
import { havePython313, pythonOutput } from "../../_python.ts";

/** Scenarios where we deliberately differ from CPython, and why. */
const IMPROVEMENTS: Record<string, string> = {
  "redirect-cross-origin-auth":
    "CPython forwards Authorization to the redirect's other origin; we drop it (and Cookie, Proxy-Authorization)",
  "header-obs-fold":
    "http.client sends a value containing CR LF + space (an obsolete fold, which some servers split into a new header); we refuse any CR or LF",
  "hostile/bare-cr":
    "http.client's parser splits a header at a bare CR (so the server injects a header: here a second Content-Type); we refuse the response",
  "hostile/space-before-colon":
    "http.client's parser stops reading headers at `Content-Type :` and silently drops it and every later one; we refuse the response",
  "hostile/colonless":
    "http.client's parser stops reading headers at a line without a colon and silently drops every later one (here Content-Length); we refuse the response",
};

/** What CPython gives for the hostile IMPROVEMENTS, and the error we give instead. */
const REFUSED: Record<
  string,
  { theirs: [number, string | null]; ours: string }
> = {
  "hostile/bare-cr": { theirs: [200, "text/injected"], ours: "HTTPException" },
  "hostile/space-before-colon": { theirs: [200, null], ours: "HTTPException" },
  "hostile/colonless": { theirs: [200, "text/x"], ours: "HTTPException" },
};

/** Request headers (lower-cased) a client sent that matter for the comparison. */
const KEY_HEADERS = [
  "accept-encoding",
  "authorization",
  "connection",
  "content-length",
  "content-type",
  "host",
  "transfer-encoding",
  "user-agent",
  "x-thing",
];

function keyHeaders(seen: Seen): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of KEY_HEADERS) {
    if (seen.headers[k] !== undefined) out[k] = seen.headers[k] as string;
  }
  return out;
}

Deno.test({
  name:
    "differential: urllib.request against CPython 3.13 on the same local servers",
  ignore: !havePython313(),
}, async (t) => {
  await using site = startSite();
  const echoSeen: Record<string, string[]> = {};
  await using echo = startRaw((req) => {
    const auth = /^authorization: (.*)$/im.exec(req)?.[1]?.trim() ?? "";
    if (!req.startsWith("GET /fold")) (echoSeen["auth"] ??= []).push(auth);
    return `HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${auth.length}\r\n\r\n${auth}`;
  });
  await using reason = startRaw(() =>
    "HTTP/1.0 203 Fine And Dandy\r\nContent-Length: 2\r\n\r\nok"
  );
  await using short = startRaw(() =>
    "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n" + "s".repeat(20)
  );
  await using silent = startRaw(() => null);
  await using hostile = startRaw((req) => {
    const path = req.slice(req.indexOf(" ") + 1, req.indexOf(" HTTP/"));
    return HOSTILE_REPLIES[path] ?? "HTTP/1.0 404 Not Found\r\n\r\n";
  });
  const closedListener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (closedListener.addr as Deno.NetAddr).port;
  closedListener.close();
  const file = await Deno.makeTempFile({ suffix: ".html" });
  try {
    await Deno.writeTextFile(file, "<p>local</p>");
    const raw = {
      echo: echo.base,
      reason: reason.base,
      short: short.base,
      silent: silent.base,
      hostile: hostile.base,
      closed: `http://127.0.0.1:${closedPort}/`,
    };
    const list = scenarios(site.base, raw, file);

    const script = new URL("./_diff_client.py", import.meta.url).pathname;
    const result = await pythonOutput([script], { input: list });
    const theirs = JSON.parse(
      new TextDecoder().decode(result.stdout),
    ) as Outcome[];
    const theirSeen = site.seen.splice(0);
    const theirAuth = (echoSeen["auth"] ?? []).splice(0);

    const ours: Outcome[] = [];
    for (const s of list) ours.push(await runOurs(s));
    const ourSeen = site.seen.splice(0);
    const ourAuth = echoSeen["auth"] ?? [];

    for (const [i, s] of list.entries()) {
      await t.step(s.name, () => {
        const a = theirs[i] as Outcome;
        const b = ours[i] as Outcome;
        if (s.name === "redirect-cross-origin-auth") {
          // CPython sent the credentials to the other origin; we did not.
          deepEqual(
            [theirAuth, ourAuth],
            [["Basic c2VjcmV0"], [""]],
            IMPROVEMENTS[s.name],
          );
          deepEqual({ ...b, body_b64: null, headers: null }, {
            ...a,
            body_b64: null,
            headers: null,
          });
          return;
        }
        if (s.name === "header-obs-fold") {
          deepEqual([a.status, a.error], [200, null], IMPROVEMENTS[s.name]);
          deepEqual(
            [b.status, b.error],
            [null, "ValueError"],
            IMPROVEMENTS[s.name],
          );
          return;
        }
        const refused = REFUSED[s.name];
        if (refused) {
          const contentType = a.headers?.find(([k]) => k === "content-type");
          deepEqual(
            [a.status, contentType?.[1] ?? null, a.error],
            [...refused.theirs, null],
            IMPROVEMENTS[s.name],
          );
          deepEqual([b.status, b.error], [null, refused.ours]);
          return;
        }
        deepEqual(b, a);
      });
    }
    await t.step("the server saw the same requests", () => {
      const norm = (seen: Seen[]) =>
        seen.map((x) => ({
          method: x.method,
          url: x.url,
          body: x.body,
          headers: keyHeaders(x),
        }));
      deepEqual(norm(ourSeen), norm(theirSeen));
    });
  } finally {
    await Deno.remove(file);
  }
});
