/**
 * The cases of CPython 3.13's `Lib/test/test_httplib.py` and
 * `Lib/test/test_urllib_response.py` that apply to what we offer: the
 * response `urlopen` gives (our `HTTPResponse`, `addinfourl`, http.client's
 * exceptions), and the request only where `urlopen` shows it. CPython's
 * tests feed `HTTPResponse` a fake socket; here a real server on 127.0.0.1
 * sends the same bytes and closes (or holds the connection, for
 * `NoEOFBytesIO`), and each case (in `_httplib_cases.ts`, named after the
 * CPython test it ports) runs its reads through our urlopen. One
 * test runs every case under CPython 3.13's urlopen (`_httplib_ops.py`) and
 * checks it gives the same results, or, where the README lists a deliberate
 * difference, what `cpythonGives` says it gives instead.
 *
 * test_httplib.py, class by class:
 * - HeaderTests: test_malformed_headers_coped_with (a deliberate
 *   difference), test_parse_all_octets (the fold is one; the octets are
 *   not) and test_content_length_0 (with TransferEncodingTest.test_empty_body)
 *   are ported here. Covered elsewhere: test_auto_headers (http_test.ts,
 *   "the request bytes on the wire"), test_ipv6host_header (http_test.ts,
 *   "IPv6 loopback URLs work"), test_invalid_headers (http_test.ts, "CR/LF,
 *   raw spaces, control characters..."), test_headers_debuglevel
 *   (http_test.ts, "HTTPHandler(debuglevel = 1)"). Not applicable:
 *   test_putheader (there is no HTTPConnection; Request's headers are in
 *   request_test.ts).
 * - HttpMethodTests.test_invalid_method_names: covered in http_test.ts
 *   ("CR/LF, raw spaces, control characters...", a method with CR LF).
 * - TransferEncodingTest: test_empty_body here; test_request and
 *   test_explicit_headers covered in http_test.ts ("POST bodies: bytes,
 *   chunked iterables...", "Content-Length and Transfer-Encoding both
 *   given"); test_endheaders_chunked not applicable (no
 *   HTTPConnection.endheaders).
 * - BasicTest: ported here: test_status_lines (with other bad status lines,
 *   reported bare as urlopen reports them), test_bad_status_repr (as the
 *   line kept; there is no repr), test_partial_reads, test_mixed_reads,
 *   test_partial_readintos, test_partial_reads_past_end,
 *   test_partial_readintos_past_end, test_partial_reads_no_content_length,
 *   test_partial_readintos_no_content_length,
 *   test_partial_reads_incomplete_body,
 *   test_partial_readintos_incomplete_body, test_response_headers,
 *   test_read_head, test_readinto_head, test_too_many_headers, test_chunked,
 *   test_readinto_chunked, test_chunked_head, test_readinto_chunked_head,
 *   test_negative_content_length, test_incomplete_read, test_epipe (the 401
 *   the server sends before reading the body, its head ended by the close;
 *   the EPIPE itself cannot be made to happen on a real socket at will),
 *   test_overflowing_status_line, test_overflowing_header_line,
 *   test_overflowing_header_limit_after_100, test_overflowing_chunked_line,
 *   test_early_eof, test_error_leak (the server sees the socket close),
 *   test_chunked_extension, test_chunked_missing_end,
 *   test_chunked_trailers, test_chunked_sync, test_content_length_sync,
 *   test_readlines_content_length, test_read1_content_length,
 *   test_readline_bound_content_length, test_read1_bound_content_length
 *   (the "extradata" after the body is never read: a later read() is
 *   empty). Covered elsewhere: test_host_port (http_test.ts, "CR/LF, raw
 *   spaces..." for the ports, "IPv6 loopback URLs work"), test_send_file,
 *   test_send_iter, test_blocksize_request, test_blocksize_send
 *   (http_test.ts, "a file object is sent as its contents", "the request's
 *   bytes as http.client writes them: a file read 8192 bytes a chunk"),
 *   test_send_type_error (http_test.ts, "POST bodies", a plain object).
 *   Not applicable: test_dir_with_added_behavior_on_status,
 *   test_simple_httpstatus, test_httpstatus_range, test_httpstatus_category
 *   (there is no `http.HTTPStatus`), test_send, test_send_updating_file
 *   (HTTPConnection.send), test_response_fileno (no `fileno()`, README),
 *   test_putrequest_override_domain_validation,
 *   test_putrequest_override_host_validation,
 *   test_putrequest_override_encoding (no HTTPConnection to subclass).
 * - ExtendedReadTest, ExtendedReadTestContentLengthKnown,
 *   ExtendedReadTestChunked: every method ported here (test_peek,
 *   test_readline, test_readline_without_limit, test_read1,
 *   test_read1_unbounded, test_read1_bounded, test_read1_0, test_peek_0),
 *   without CPython's patched short peek: the loops check what CPython's
 *   check (each piece within its bound, a peek the start of what is read,
 *   the whole body, the connection let go).
 * - OfflineTest: test_all is tests/exports_test.ts; test_responses and
 *   test_client_constants are not applicable (no `http.client.responses`
 *   nor status constants; http.server's `responses` is tested in
 *   tests/http_server/base_handler_test.ts).
 * - SourceAddressTest: not applicable (urlopen takes no source address).
 * - TimeoutTest: covered in http_test.ts ("timeout bounds connecting",
 *   "timeout bounds every read of the body").
 * - PersistenceTest: test_disconnected (its end-of-stream half) and
 *   test_100_close are ported here, with 1xx skipping. Not applicable: the
 *   reset half of test_disconnected (a Deno socket cannot send a reset) and
 *   test_reuse_reconnect (urlopen sends `Connection: close` and uses a
 *   connection once, as Python's urllib).
 * - HTTPSTest: test_local_unknown_cert, test_local_good_hostname and
 *   test_local_bad_hostname are covered in proxy_tls_test.ts ("HTTPS with a
 *   context trusting a test CA", the hostname checks). Not applicable:
 *   test_attributes, test_host_port (HTTPSConnection), test_networked,
 *   test_networked_noverification, test_networked_trusted_by_default_cert,
 *   test_networked_good_cert, test_networked_bad_cert (the internet),
 *   test_tls13_pha (post-handshake auth is Deno's TLS client's business).
 * - RequestBodyTest: test_list_body and test_bytes_body are covered in
 *   http_test.ts ("POST bodies"), test_binary_file_body there too ("a file
 *   object is sent as its contents"); test_ascii_body and test_latin1_body
 *   are not applicable (urllib refuses a str body, TypeError, tested in
 *   "POST bodies"), nor test_text_file_body (a file body is bytes here) or
 *   test_manual_content_length (HTTPConnection.request).
 * - HTTPResponseTest: every method ported here; the same defaults on
 *   HTTPError in http_test.ts ("getheader, as http.client's").
 * - TunnelTests: covered in hostile_test.ts (the CONNECT request as
 *   http.client sends it, a refusal, an IPv6 host) and proxy_tls_test.ts
 *   (HTTPS through a real proxy); `set_tunnel` itself is not applicable.
 *
 * test_urllib_response.py TestResponse: test_addinfourl is ported here (on
 * an `addinfourl` made by hand and on the response urlopen gives). Not
 * applicable: test_with, test_addclosehook, test_addinfo (`addbase`,
 * `addclosehook` and `addinfo` are not exported).
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import {
  addinfourl,
  HTTPMessage,
  HTTPResponse,
  Request,
  urlopen,
} from "../../../urllib/request/mod.ts";
import {
  BadStatusLine,
  HTTPError,
  IncompleteRead,
  URLError,
} from "../../../urllib/error.ts";
import { startRaw, startSite } from "./_site.ts";
import { startHostile } from "./_hostile.ts";
import { havePython313, pythonOutput } from "../../_python.ts";
import { within } from "../../_server.ts";
import { type Case, CASES, type Op } from "./_httplib_cases.ts";

function latin1(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** An error as `_httplib_ops.py` records Python's. */
function failure(e: unknown): Record<string, unknown> {
  if (!(e instanceof Error)) throw e;
  const out: Record<string, unknown> = { error: e.name, message: e.message };
  if (e instanceof IncompleteRead) {
    out.partial = latin1(e.partial);
    out.expected = e.expected;
  }
  if (e instanceof URLError && !(e instanceof HTTPError)) {
    out.message = String(e);
    const reason = e.reason;
    out.reason = reason instanceof Error ? reason.name : String(reason);
  }
  return out;
}

// deno-lint-ignore no-explicit-any
type Resp = any;

async function step(resp: Resp, [name, ...args]: Op): Promise<unknown> {
  switch (name) {
    case "readinto": {
      const buf = new Uint8Array(args[0] as number);
      const n = await resp.readinto(buf);
      return [n, latin1(buf)];
    }
    case "lines": {
      const lines: string[] = [];
      for await (const line of resp) lines.push(latin1(line));
      return lines;
    }
    case "readlines":
      return (await resp.readlines(...args)).map(latin1);
    case "read1Loop": {
      const parts: Uint8Array[] = [];
      for (let part; (part = await resp.read1(...args)).length > 0;) {
        parts.push(part);
      }
      const max = (args[0] as number | undefined) ?? Infinity;
      return [
        parts.map(latin1).join(""),
        parts.every((p) => p.length <= max),
        resp.isclosed(),
      ];
    }
    case "peekLoop": {
      const parts: string[] = [];
      let kept = true;
      while (true) {
        const p = latin1(await resp.peek(3));
        let next: string;
        if (p.length > 0) {
          const p2 = latin1(await resp.peek());
          kept &&= p2.length >= p.length && p2.startsWith(p);
          next = latin1(await resp.read(p2.length));
          kept &&= next === p2;
        } else {
          next = latin1(await resp.read());
          kept &&= next === "";
        }
        if (next === "") break;
        parts.push(next);
      }
      return [parts.join(""), kept];
    }
    case "peekThenRead": {
      const p = latin1(await resp.peek(...args));
      const rest = latin1(await resp.read());
      return [rest.startsWith(p), rest];
    }
    case "read":
    case "read1":
    case "peek":
    case "readline":
      return latin1(await resp[name](...args));
    case "isclosed":
    case "getcode":
    case "geturl":
    case "getheaders":
      return await resp[name]();
    case "close":
      await resp.close();
      return null;
    case "getheader":
      return resp.getheader(...args);
    case "get_all":
      return resp.headers.get_all(...args);
    case "items":
      return resp.headers.items();
    default:
      return resp[name];
  }
}

async function runOurs(url: string, c: Case): Promise<unknown[]> {
  const results: unknown[] = [];
  let resp: Resp;
  try {
    const req = new Request(url, {
      method: c.method ?? null,
      data: c.data === undefined
        ? null
        : Uint8Array.from(c.data, (ch) => ch.charCodeAt(0)),
    });
    resp = await urlopen(req, { timeout: 10 });
    results.push(null);
  } catch (e) {
    results.push(failure(e));
    if (!(e instanceof HTTPError)) return results;
    resp = e;
  }
  for (const op of c.ops) {
    try {
      results.push(await step(resp, op));
    } catch (e) {
      results.push(failure(e));
    }
  }
  await resp.close();
  return results;
}

/** Replaces the server's URL, which changes with its port. */
function normal(results: unknown, base: string): unknown {
  return JSON.parse(JSON.stringify(results).replaceAll(base, "URL"));
}

async function runCase(c: Case): Promise<void> {
  await using raw = startRaw(() => c.reply, c.hold);
  const got = await within(runOurs(`${raw.base}/`, c), 15_000, c.cpython);
  deepEqual(normal(got, raw.base), c.want, c.cpython);
}

for (const c of CASES) {
  Deno.test(`${c.cpython}: as urlopen's response`, () => runCase(c));
}

Deno.test({
  name:
    "CPython 3.13's urlopen gives every case's results, or what the README says it gives instead",
  ignore: !havePython313(),
}, async () => {
  const servers = CASES.map((c) => startRaw(() => c.reply, c.hold));
  try {
    const input = CASES.map((c, i) => ({
      url: `${servers[i]!.base}/`,
      method: c.method,
      data: c.data,
      ops: c.ops,
    }));
    const script = new URL("./_httplib_ops.py", import.meta.url).pathname;
    const { stdout } = await pythonOutput([script], { input });
    const theirs = JSON.parse(new TextDecoder().decode(stdout)) as unknown[];
    CASES.forEach((c, i) => {
      deepEqual(
        normal(theirs[i], servers[i]!.base),
        c.cpythonGives?.want ?? c.want,
        c.cpython,
      );
    });
  } finally {
    await Promise.all(servers.map((s) => s.close()));
  }
});

Deno.test("BasicTest.test_bad_status_repr: an empty status line is kept as its repr, ''", () => {
  const e = new BadStatusLine("");
  deepEqual([e.line, e.message], ["''", "''"]);
});

Deno.test("BasicTest.test_error_leak: a bad status line closes the socket at once", async () => {
  let closed!: () => void;
  const seenClose = new Promise<void>((resolve) => closed = resolve);
  await using server = startHostile(async (wire) => {
    await wire.write("Invalid status line\r\n");
    await wire.closedByClient();
    closed();
  });
  await rejects(urlopen(server.url, { timeout: 10 }), {
    name: "BadStatusLine",
    message: "Invalid status line\r\n",
  });
  // No garbage collection or close() needed: the server sees the end.
  await within(seenClose, 5_000, "the client closing its socket");
});

Deno.test("HeaderTests.test_content_length_0, TransferEncodingTest.test_empty_body: an empty body is Content-Length: 0, an empty iterable one chunked, a GET neither (as CPython 3.13's urllib adds them)", async () => {
  await using site = startSite();
  const seen = async (data: Uint8Array | Uint8Array[] | null) => {
    const req = new Request(`${site.base}/echo`, {
      data,
      method: data === null ? "GET" : "PUT",
    });
    await using resp = await urlopen(req, { timeout: 10 });
    const { headers, body } = JSON.parse(latin1(await resp.read()));
    return [headers["content-length"], headers["transfer-encoding"], body];
  };
  deepEqual(await seen(new Uint8Array(0)), ["0", undefined, ""]);
  deepEqual(await seen([]), [undefined, "chunked", ""]);
  deepEqual(await seen(null), [undefined, undefined, ""]);
});

Deno.test("test_urllib_response TestResponse.test_addinfourl: info, geturl, getcode, headers, url, status", async () => {
  const headers = new HTTPMessage([["Host", "www.python.org"], [
    "Connection",
    "close",
  ]]);
  const url = "http://www.python.org";
  await using infourl = new addinfourl(new Uint8Array(0), headers, url, 200);
  equal(infourl.info(), headers);
  equal(infourl.geturl(), url);
  equal(infourl.getcode(), 200);
  equal(infourl.headers, headers);
  equal(infourl.url, url);
  equal(infourl.status, 200);
  ok(!(infourl instanceof HTTPResponse));
});
