/**
 * Differential between our two engines: the same raw request goes to a
 * handler on a socket (`HTTPServer`) and to the same handler behind
 * `Deno.serve` through `createFetchHandler`, and what the handler saw
 * (`command`, `path`, `raw_requestline`, `Host`) and answered is compared.
 * The only differences allowed are the README's for the fetch adapter: an
 * absolute-form target becomes its path (and query), `*` becomes `/*`, a
 * `#` ends the target, the version is `HTTP/1.1`, and a request
 * `Deno.serve` refuses, or whose `Host` it would read as part of the path,
 * gets a bare 400 that no handler sees.
 */
import { deepEqual } from "node:assert/strict";
import {
  BaseHTTPRequestHandler,
  createFetchHandler,
} from "../../http_server/mod.ts";
import { bodyText, buildRequest, sendRaw } from "./_diff_http.ts";
import { deadline, withHTTPServer } from "../_server.ts";

/** What a handler saw of one request, or the status it got without one. */
interface Seen {
  status: number;
  command?: string;
  path?: string;
  requestline?: string;
  host?: string | null;
}

/** Answers every method with what it saw, as JSON. */
class Witness extends BaseHTTPRequestHandler {
  override log_message(): void {}
  #answer(): void {
    const body = new TextEncoder().encode(JSON.stringify({
      command: this.command,
      path: this.path,
      // The raw bytes, one character each: a socket hands them on as sent.
      requestline: String.fromCharCode(...this.raw_requestline)
        .replace(/\r?\n$/, ""),
      host: this.headers.get("Host"),
    }));
    this.send_response(200);
    this.send_header("Content-Length", String(body.length));
    this.end_headers();
    this.wfile.write(body);
  }
  do_GET(): void {
    this.#answer();
  }
  do_CONNECT(): void {
    this.#answer();
  }
  do_PROPFIND(): void {
    this.#answer();
  }
  do_OPTIONS(): void {
    this.#answer();
  }
}

const latin1 = (bytes: Uint8Array) => String.fromCharCode(...bytes);

interface Case {
  name: string;
  request: string | Uint8Array;
  /** The fetch adapter refuses it (bare 400, no handler), as documented. */
  refused?: true;
}

const utf8Line = (target: string) =>
  latin1(new TextEncoder().encode(`GET ${target} HTTP/1.1`));

const CASES: Case[] = [
  {
    name: "dot segments",
    request: buildRequest("GET", "/a/../b%2F/./c?q=1", { Host: "h" }),
  },
  {
    name: "percent-encoded",
    request: buildRequest("GET", "/%7E/%zz/%00", { Host: "h" }),
  },
  {
    name: "UTF-8 in the target (Deno.serve takes valid UTF-8)",
    request: new TextEncoder().encode(
      "GET /\u00fc/\u20ac?q=\u00e9 HTTP/1.0\r\nHost: h\r\n\r\n",
    ),
  },
  {
    name: "a method Python has no name for",
    request: "PROPFIND /x HTTP/1.0\r\nHost: h\r\n\r\n",
  },
  {
    name: "a method without do_",
    request: "BREW /pot HTTP/1.0\r\nHost: h\r\n\r\n",
  },
  {
    name: "CONNECT's authority-form target",
    request:
      "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n",
  },
  {
    name: "absolute-form with a path",
    request: buildRequest("GET", "http://u:p@example.com:81/a?b", {
      Host: "h",
    }),
  },
  {
    name: "absolute-form with a query and no path",
    request: buildRequest("GET", "http://h?x=1", { Host: "h" }),
  },
  {
    name: "absolute-form, IPv6 host, no path",
    request: buildRequest("GET", "http://[::1]:81", { Host: "h" }),
  },
  { name: "OPTIONS *", request: buildRequest("OPTIONS", "*", { Host: "h" }) },
  {
    name: "a fragment",
    request: buildRequest("GET", "/a?b#frag", { Host: "h" }),
  },
  {
    // Python's most: 99 lines (it counts the blank line that ends them).
    name: "99 header lines",
    request: buildRequest("GET", "/", {
      Host: "h",
      ...Object.fromEntries(
        Array.from({ length: 98 }, (_, i) => [`X-${i}`, "v"]),
      ),
    }),
  },
  {
    name: "a Host with a slash (Deno.serve puts it in the URL)",
    request: buildRequest("GET", "/", { Host: "h/evil" }),
    refused: true,
  },
  {
    name: "a Host with a query",
    request: buildRequest("GET", "/", { Host: "h?a=/b" }),
    refused: true,
  },
];

/** The target as the README says the fetch adapter hands it on. */
function viaFetch(command: string, target: string): string {
  if (command === "CONNECT") return target;
  if (target === "*") return "/*";
  target = target.split("#")[0]!;
  const absolute = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(target);
  if (absolute) target = target.slice(absolute[0].length);
  return target.startsWith("/") ? target : "/" + target;
}

/** What the socket engine's answer says the fetch adapter must answer. */
function expected(socket: Seen, refused: boolean): Seen {
  if (refused) return { status: 400 };
  if (socket.command === undefined) return socket;
  const path = viaFetch(socket.command, socket.path!);
  return {
    ...socket,
    path,
    requestline: `${socket.command} ${path} HTTP/1.1`,
  };
}

async function seen(port: number, request: string | Uint8Array) {
  const res = await sendRaw({ hostname: "127.0.0.1", port }, request);
  const text = bodyText(res);
  return res.status === 200
    ? { status: 200, ...JSON.parse(text) } as Seen
    : { status: res.status };
}

Deno.test(
  "engines: the fetch adapter's handler sees what the socket's does, but for the documented differences",
  deadline(async () => {
    const socket: Seen[] = [];
    await withHTTPServer(Witness, async (_base, server) => {
      for (const c of CASES) {
        socket.push(await seen(server.server_port, c.request));
      }
    });
    await using fetchServer = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen() {} },
      createFetchHandler(Witness),
    );
    const got: Record<string, Seen> = {};
    const want: Record<string, Seen> = {};
    for (const [i, c] of CASES.entries()) {
      got[c.name] = await seen(fetchServer.addr.port, c.request);
      want[c.name] = expected(socket[i]!, c.refused ?? false);
    }
    const differing = CASES.map((c) => c.name).filter((name) =>
      JSON.stringify(got[name]) !== JSON.stringify(want[name])
    );
    deepEqual(
      differing.map((name) => [name, got[name]]),
      differing.map((name) => [name, want[name]]),
    );
    // The socket answered each as Python would: the UTF-8 target as its
    // bytes, one character each; the Host with a slash served.
    deepEqual(
      socket.map((s) => s.requestline ?? s.status),
      CASES.map((c) =>
        typeof c.request === "string"
          ? (c.request.startsWith("BREW") ? 501 : c.request.split("\r\n")[0])
          : utf8Line("/\u00fc/\u20ac?q=\u00e9").replace("1.1", "1.0")
      ),
    );
  }),
);
