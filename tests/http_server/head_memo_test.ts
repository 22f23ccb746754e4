/**
 * A connection's last head, kept to be repeated (`BaseHTTPRequestHandler`
 * sends a head whose calls repeat the last one's from its bytes): every
 * response on one kept-alive connection must be byte for byte what the
 * same request gets on a connection of its own, where no head is kept.
 */
import { equal } from "node:assert/strict";
import { BaseHTTPRequestHandler } from "../../http_server/mod.ts";
import { exchange, normalized } from "./_harness.ts";

/** Heads of every shape a handler makes, chosen by path. */
class Shapes extends BaseHTTPRequestHandler {
  override protocol_version = "HTTP/1.1";
  override log_message(): void {}

  do_GET(): void {
    const path = this.path;
    if (path === "/early") this.send_header("X-Early", "1");
    if (path === "/parts") {
      this.send_response_only(200);
      this.send_header("Content-Length", "2");
      this.flush_headers();
      this.wfile.write("\r\nok");
      return;
    }
    if (path === "/missing") {
      this.send_error(404);
      return;
    }
    this.send_response(200, path === "/reason" ? "Fine" : undefined);
    if (path !== "/other") this.send_header("Content-Type", "text/plain");
    if (path === "/other") this.send_header("X-A", "1");
    if (path === "/number") this.send_header("X-N", 7);
    if (path === "/keep") this.send_header("Connection", "keep-alive");
    if (path === "/varies") {
      this.send_header("X-Count", String(Shapes.count++));
    }
    if (path !== "/fewer") this.send_header("Content-Length", "2");
    if (path === "/more") this.send_header("X-More", "yes");
    this.end_headers();
    this.wfile.write("ok");
  }

  do_HEAD(): void {
    this.send_response(200);
    this.send_header("Content-Type", "text/plain");
    this.send_header("Content-Length", "2");
    this.end_headers();
  }

  static count = 0;
}

function request(path: string, method = "GET"): string {
  return `${method} ${path} HTTP/1.1\r\nHost: x\r\n\r\n`;
}

/** What each request gets on a connection of its own, joined. */
async function alone(requests: string[]): Promise<string> {
  let out = "";
  for (const raw of requests) {
    const { output, error } = await exchange(Shapes, raw);
    equal(error, null);
    out += output;
  }
  return normalized(out);
}

/** What the requests get pipelined on one connection. */
async function together(requests: string[]): Promise<string> {
  const { output, error } = await exchange(Shapes, requests.join(""));
  equal(error, null);
  return normalized(output);
}

Deno.test("heads repeated, changed, cut short, lengthened, begun early, sent in parts and by send_error on one connection: each as on a connection of its own", async () => {
  const paths = [
    "/same",
    "/same",
    "/other",
    "/same",
    "/fewer",
    "/same",
    "/more",
    "/more",
    "/early",
    "/same",
    "/parts",
    "/same",
    "/reason",
    "/same",
    "/number",
    "/number",
    "/keep",
    "/keep",
    "/same",
  ];
  const requests = paths.map((path) => request(path));
  requests.splice(3, 0, request("/same", "HEAD"), request("/same", "HEAD"));
  requests.push(request("/missing"));
  equal(await together(requests), await alone(requests));
});

Deno.test("a connection whose heads always differ stops keeping them, and still answers each as on its own", async () => {
  const paths = [
    ...Array.from({ length: 12 }, () => "/varies"),
    "/same",
    "/same",
    "/same",
  ];
  const requests = paths.map((path) => request(path));
  Shapes.count = 0;
  const joined = await together(requests);
  Shapes.count = 0;
  equal(joined, await alone(requests));
});

Deno.test("an interim 100 Continue repeated on one connection still goes at once, before the body is read", async () => {
  class Upload extends Shapes {
    async do_PUT(): Promise<void> {
      const length = Number(this.headers.get("Content-Length"));
      await this.rfile.read(length);
      this.send_response(201);
      this.send_header("Content-Length", "0");
      this.end_headers();
    }
  }
  const put =
    "PUT /u HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\nhi";
  const { output, error } = await exchange(Upload, [put, put, put]);
  equal(error, null);
  const single = (await exchange(Upload, put)).output;
  equal(normalized(output), normalized(single.repeat(3)));
});

Deno.test("a head left unsent by a flush_headers override is not kept as part of the next one", async () => {
  class Leftover extends BaseHTTPRequestHandler {
    override protocol_version = "HTTP/1.1";
    override log_message(): void {}
    static first = true;
    do_GET(): void {
      if (Leftover.first) {
        Leftover.first = false;
        // An override that sends nothing, then taken away.
        const self = this as { flush_headers: () => void };
        self.flush_headers = () => {};
        this.send_response_only(200);
        this.send_header("Content-Length", "2");
        this.end_headers();
        delete (self as Partial<typeof self>).flush_headers;
      }
      this.send_response_only(200);
      this.send_header("Content-Length", "2");
      this.end_headers();
      this.wfile.write("ok");
    }
  }
  const get = "GET / HTTP/1.1\r\nHost: x\r\n\r\n";
  const { output, error } = await exchange(Leftover, [get, get, get]);
  equal(error, null);
  const head = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n";
  // The first response carries the head left unsent before its own, as
  // the hooks send it; the next ones only their own.
  equal(output, head + head + "ok" + head + "ok" + head + "ok");
});
