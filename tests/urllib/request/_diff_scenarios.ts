/**
 * The scenarios the differential test runs under CPython's urllib and
 * under ours, and the runner that records our outcomes in the same shape
 * as `_diff_client.py`.
 *
 * @module
 */
import { Request, urlopen } from "../../../urllib/request/mod.ts";
import { HTTPError, IncompleteRead, URLError } from "../../../urllib/error.ts";

/** One request to make. */
export interface Scenario {
  name: string;
  url: string;
  method?: string;
  data_b64?: string;
  headers?: Record<string, string>;
  timeout?: number;
  read?: "all" | number;
}

/** What happened, in the shape `_diff_client.py` prints. */
export interface Outcome {
  name: string;
  status: number | null;
  reason: string | null;
  url: string | null;
  body_b64: string | null;
  headers: [string, string][] | null;
  error: string | null;
  error_code: number | null;
  error_reason: string | null;
  /** `IncompleteRead.partial` (base64), when that was the error. */
  partial_b64: string | null;
}

/** Python exception names our classes stand for, by our `name`. */
const PYTHON_NAMES: Record<string, string> = {
  // Python's ValueError is a TypeError here (the package's mapping rule).
  TypeError: "ValueError",
  RangeError: "ValueError",
};

function b64(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function unb64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

function reasonName(reason: unknown): string {
  if (reason instanceof Error) {
    // Deno's error classes stand for Python's OSError subclasses.
    const map: Record<string, string> = {
      ConnectionRefused: "ConnectionRefusedError",
      NotFound: "FileNotFoundError",
      TimedOut: "TimeoutError",
      WouldBlock: "BlockingIOError",
    };
    return map[reason.name] ?? reason.name;
  }
  return String(reason);
}

/** Runs one scenario with our urllib. */
export async function runOurs(s: Scenario): Promise<Outcome> {
  const out: Outcome = {
    name: s.name,
    status: null,
    reason: null,
    url: null,
    body_b64: null,
    headers: null,
    error: null,
    error_code: null,
    error_reason: null,
    partial_b64: null,
  };
  try {
    const req = new Request(s.url, {
      data: s.data_b64 === undefined ? null : unb64(s.data_b64),
      headers: s.headers ?? {},
      method: s.method ?? null,
    });
    await using resp = await urlopen(req, { timeout: s.timeout ?? null });
    out.status = resp.status;
    out.reason = resp.reason;
    out.url = resp.geturl();
    out.headers = (resp.headers?.items() ?? [])
      .filter(([k]) =>
        ["content-type", "content-length", "location"].includes(k.toLowerCase())
      )
      .map(([k, v]) => [k.toLowerCase(), v]);
    const body = s.read === undefined || s.read === "all"
      ? await resp.read()
      : await resp.read(s.read);
    out.body_b64 = b64(body);
  } catch (e) {
    if (e instanceof HTTPError) {
      out.error = "HTTPError";
      out.error_code = e.code;
      out.error_reason = e.reason;
      try {
        out.body_b64 = b64(await e.read());
      } catch (cut) {
        // The error page broke off.
        if (!(cut instanceof IncompleteRead)) throw cut;
        out.partial_b64 = b64(cut.partial);
      }
      await e.close();
    } else if (e instanceof URLError) {
      out.error = "URLError";
      out.error_reason = reasonName(e.reason);
    } else if (e instanceof Error) {
      out.error = PYTHON_NAMES[e.name] ?? e.name;
      if (e instanceof IncompleteRead) out.partial_b64 = b64(e.partial);
    } else {
      throw e;
    }
  }
  return out;
}

/** The scenarios against a site at `base` (see `_site.ts`) and a raw server at `raw`. */
export function scenarios(
  base: string,
  raw: Record<string, string>,
  file: string,
): Scenario[] {
  const post = b64(new TextEncoder().encode("field=value&x=1"));
  const list: Scenario[] = [
    { name: "get", url: `${base}/echo?s=get` },
    { name: "post", url: `${base}/echo?s=post`, data_b64: post },
    {
      name: "put",
      url: `${base}/echo?s=put`,
      data_b64: post,
      method: "PUT",
      headers: { "Content-Type": "text/plain" },
    },
    {
      name: "custom-headers",
      url: `${base}/echo?s=hdr`,
      headers: { "X-Thing": "1", "user-agent": "mine/1" },
    },
    { name: "text-read-n", url: `${base}/text`, read: 6 },
    { name: "gzip-raw", url: `${base}/gzip` },
    { name: "chunked-stream", url: `${base}/stream` },
    { name: "404", url: `${base}/status/404` },
    { name: "500", url: `${base}/status/500` },
    { name: "loop", url: `${base}/loop` },
    { name: "chain-9", url: `${base}/chain/9` },
    { name: "chain-10", url: `${base}/chain/10` },
    {
      name: "redirect-file",
      url: `${base}/redirect/302?to=${
        encodeURIComponent("file:///etc/passwd")
      }`,
    },
    {
      name: "redirect-space",
      url: `${base}/redirect/302?to=${encodeURIComponent("/echo?a b")}`,
    },
    {
      name: "redirect-cross-origin-auth",
      url: `${base}/redirect/302?to=${encodeURIComponent(`${raw["echo"]}/x`)}`,
      headers: { Authorization: "Basic c2VjcmV0" },
    },
    { name: "space-in-url", url: `${base}/a b` },
    { name: "crlf-in-url", url: `${base}/a\r\nX-Injected: 1` },
    {
      name: "crlf-in-header",
      url: `${base}/echo`,
      headers: { "X-A": "v\r\nX-Injected: 1" },
    },
    {
      name: "header-obs-fold",
      url: `${raw["echo"]}/fold`,
      headers: { "X-A": "v\r\n folded" },
    },
    { name: "no-host", url: "http:///x" },
    { name: "unknown-scheme", url: "gopher://127.0.0.1/x" },
    { name: "data-url", url: "data:text/plain;base64,SGVsbG8sIFdvcmxkIQ==" },
    { name: "data-percent", url: "data:,a%20b%2Cc" },
    { name: "file-url", url: `file://${file}` },
    { name: "file-missing", url: "file:///no/such/file/here" },
    { name: "reason-phrase", url: raw["reason"] as string },
    { name: "short-body", url: raw["short"] as string },
    { name: "short-body-read-n", url: raw["short"] as string, read: 100 },
    { name: "timeout", url: raw["silent"] as string, timeout: 0.3 },
    { name: "timeout-zero", url: `${base}/echo?s=zero`, timeout: 0 },
    { name: "refused", url: raw["closed"] as string },
  ];
  for (const code of [301, 302, 303, 307, 308]) {
    list.push({
      name: `redirect-${code}-get`,
      url: `${base}/redirect/${code}?to=/echo?from=${code}`,
    });
    list.push({
      name: `redirect-${code}-post`,
      url: `${base}/redirect/${code}?to=/echo?from=${code}p`,
      data_b64: post,
    });
    list.push({
      name: `redirect-${code}-head`,
      url: `${base}/redirect/${code}?to=/echo`,
      method: "HEAD",
    });
  }
  for (const path of HOSTILE_PATHS) {
    list.push({ name: `hostile${path}`, url: `${raw["hostile"]}${path}` });
  }
  return list;
}

const OK = "HTTP/1.1 200 OK\r\n";
const CHUNKED = `${OK}Transfer-Encoding: chunked\r\n\r\n`;
const lines = (n: number, line: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => line(i)).join("");

/** What the hostile raw server answers, by path: replies that break the rules. */
export const HOSTILE_REPLIES: Record<string, string> = {
  "/status-099": "HTTP/1.1 099 Low\r\nContent-Length: 2\r\n\r\nok",
  "/status-1000": "HTTP/1.1 1000 High\r\nContent-Length: 2\r\n\r\nok",
  "/status-999": "HTTP/1.1 999 Odd\r\nContent-Length: 2\r\n\r\nok",
  "/http2": "HTTP/2.0 200 OK\r\nContent-Length: 2\r\n\r\nok",
  "/http09": "HTTP/0.9 200 OK\r\nContent-Length: 2\r\n\r\nok",
  "/status-junk": "SSH-2.0-OpenSSH_9.6\r\n",
  "/long-status": `HTTP/1.1 200 ${"r".repeat(70000)}\r\n\r\n`,
  "/long-header": `${OK}X-Long: ${"h".repeat(70000)}\r\n\r\n`,
  "/headers-99": `${OK}${lines(98, (i) => `X-${i}: v\r\n`)}` +
    "Content-Length: 2\r\n\r\nok",
  "/headers-100": `${OK}${lines(99, (i) => `X-${i}: v\r\n`)}` +
    "Content-Length: 2\r\n\r\nok",
  "/folds": `${OK}X-A: a\r\n${lines(150, () => " folded\r\n")}\r\nok`,
  "/colonless-flood": `${OK}${lines(150, () => "no colon\r\n")}\r\nok`,
  "/lead-ws": `${OK} X-Lead: 1\r\nContent-Type: text/x-lead\r\n` +
    "Content-Length: 2\r\n\r\nok",
  "/lf-only":
    "HTTP/1.1 200 OK\nContent-Type: text/x-lf\nContent-Length: 2\n\nok",
  "/continue": "HTTP/1.1 100 Continue\r\n\r\n".repeat(3) +
    `${OK}Content-Length: 2\r\n\r\nok`,
  // Only 100 is skipped: another 1xx (103 Early Hints before the real
  // answer, 102 Processing) is taken as the final, bodiless response.
  "/early-hints":
    "HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n" +
    `\r\n${OK}Content-Length: 2\r\n\r\nok`,
  "/processing":
    `HTTP/1.1 102 Processing\r\n\r\n${OK}Content-Length: 2\r\n\r\nok`,
  "/chunk-cut": `${CHUNKED}5\r\nhello\r\n3\r\nabc\r\n10\r\nxy`,
  "/chunk-cut-size": `${CHUNKED}5\r\nhello\r\n3\r\nabc\r\n`,
  "/chunk-bad-size": `${CHUNKED}5\r\nhello\r\nzz\r\n`,
  "/chunk-long-size": `${CHUNKED}5\r\nhello\r\n${"0".repeat(70000)}\r\n`,
  "/chunk-long-trailer": `${CHUNKED}5\r\nhello\r\n0\r\n${
    "t".repeat(70000)
  }\r\n\r\n`,
  "/length-cut": `${OK}Content-Length: 10\r\n\r\nabc`,
  // Deliberate differences (see IMPROVEMENTS in differential_test.ts).
  "/bare-cr": `${OK}X-A: a\rContent-Type: text/injected\r\n` +
    "Content-Length: 2\r\n\r\nok",
  "/space-before-colon": `${OK}Content-Type : text/x\r\n` +
    "Content-Length: 2\r\n\r\nok",
  "/colonless": `${OK}Content-Type: text/x\r\nno colon\r\n` +
    "Content-Length: 2\r\n\r\nok",
};

const HOSTILE_PATHS = Object.keys(HOSTILE_REPLIES);
