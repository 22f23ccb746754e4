/**
 * Local sites the urllib.request tests talk to: a Deno.serve app with the
 * routes below, and a raw TCP server for replies Deno.serve cannot make
 * (short bodies, custom reason phrases, silence).
 *
 * @module
 */
import { TEST_DEADLINE_MS, within } from "../../_server.ts";
import { startHostile } from "./_hostile.ts";

/** What the echo routes report about a request. */
export interface Seen {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

/** A running site: its base URL and the requests it saw. */
export interface Site extends AsyncDisposable {
  base: string;
  port: number;
  seen: Seen[];
  close(): Promise<void>;
}

/**
 * Runs `fn` against a local Deno.serve app answering with `handler`, given
 * its base URL, and shuts the app down afterwards, even when `fn` throws.
 * `fn` has the test deadline: a client call that hangs fails the test.
 */
export async function withServer(
  handler: (req: Request) => Response | Promise<Response>,
  fn: (base: string) => Promise<void>,
): Promise<void> {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    handler,
  );
  const base = `http://127.0.0.1:${server.addr.port}`;
  const errors: unknown[] = [];
  await within(fn(base), TEST_DEADLINE_MS, "the test")
    .catch((e) => errors.push(e));
  await within(server.shutdown(), 5_000, "shutting the server down")
    .catch((e) => errors.push(e));
  if (errors.length > 0) throw errors[0];
}

const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

async function route(
  req: Request,
  base: string,
  seen: Seen[],
): Promise<Response> {
  const url = new URL(req.url);
  const headers: Record<string, string> = {};
  req.headers.forEach((v, k) => (headers[k] = v));
  const body = req.body
    ? new TextDecoder().decode(await req.arrayBuffer())
    : "";
  const record = {
    method: req.method,
    url: url.pathname + url.search,
    headers,
    body,
  };
  seen.push(record);
  const parts = url.pathname.split("/").filter(Boolean);
  const [head, arg] = parts;
  if (head === "echo") return Response.json(record);
  if (head === "text") {
    return new Response("line one\nline two\nlast", {
      headers: { "content-type": "text/plain; charset=utf-8" },
    });
  }
  if (head === "status") {
    return new Response(`status ${arg}`, { status: Number(arg) });
  }
  if (head === "redirect" && REDIRECT_CODES.has(Number(arg))) {
    const to = url.searchParams.get("to") ?? "/echo";
    return new Response("moving", {
      status: Number(arg),
      headers: { location: to },
    });
  }
  if (head === "loop") {
    return new Response("", { status: 302, headers: { location: "/loop" } });
  }
  if (head === "chain") {
    const n = Number(arg);
    const loc = n > 0 ? `/chain/${n - 1}` : "/echo";
    return new Response("", { status: 302, headers: { location: loc } });
  }
  if (head === "bytes") {
    const n = Number(arg);
    const data = new Uint8Array(n);
    for (let i = 0; i < n; i++) data[i] = i % 251;
    return new Response(data, {
      headers: { "content-type": "application/octet-stream" },
    });
  }
  if (head === "stream") {
    const enc = new TextEncoder();
    let i = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(c) {
        if (i < 5) c.enqueue(enc.encode(`chunk${i++}\n`));
        else c.close();
      },
    });
    return new Response(stream);
  }
  if (head === "gzip") {
    const gz = new Blob([new TextEncoder().encode("zipped!")]).stream()
      .pipeThrough(new CompressionStream("gzip"));
    return new Response(gz, { headers: { "content-encoding": "gzip" } });
  }
  if (head === "slow") {
    await new Promise((r) => setTimeout(r, Number(arg ?? 2000)));
    return new Response("late");
  }
  void base;
  return new Response("not found", { status: 404 });
}

/** Starts the Deno.serve site on 127.0.0.1 (or `hostname`) at a free port. */
export function startSite(
  hostname = "127.0.0.1",
  tls?: { cert: string; key: string },
): Site {
  const seen: Seen[] = [];
  const ac = new AbortController();
  let base = "";
  const server = Deno.serve({
    hostname,
    port: 0,
    signal: ac.signal,
    onListen: () => {},
    ...(tls ?? {}),
  }, (req) => route(req, base, seen));
  const port = server.addr.port;
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  base = `${tls ? "https" : "http"}://${host}:${port}`;
  const close = async () => {
    ac.abort();
    await server.finished;
  };
  return { base, port, seen, close, [Symbol.asyncDispose]: close };
}

/** A raw server: `reply(requestText)` returns the bytes to send, or null to stay silent. */
export interface RawServer extends AsyncDisposable {
  base: string;
  port: number;
  requests: string[];
  close(): Promise<void>;
}

/** Starts a TCP server on 127.0.0.1 that answers each connection with `reply`. */
export function startRaw(
  reply: (
    request: string,
  ) => Uint8Array | string | null | Promise<Uint8Array | string | null>,
  hold = false,
): RawServer {
  const requests: string[] = [];
  const server = startHostile(async (wire) => {
    requests.push(wire.request);
    const out = await reply(wire.request);
    if (out !== null) await wire.write(out);
    // Silence, or holding the connection open, makes a stalled (not an
    // ended) reply, until the client goes.
    if (out === null || hold) await wire.closedByClient();
  });
  return {
    base: `http://127.0.0.1:${server.port}`,
    port: server.port,
    requests,
    close: () => server.close(),
    [Symbol.asyncDispose]: () => server.close(),
  };
}

/** Decodes bytes as UTF-8. */
export function text(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes);
}
