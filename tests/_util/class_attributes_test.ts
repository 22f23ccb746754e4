import { equal } from "node:assert/strict";
import {
  BaseHTTPRequestHandler,
  SimpleHTTPRequestHandler,
  ThreadingHTTPServer,
} from "../../http_server/mod.ts";
import {
  DatagramRequestHandler,
  StreamRequestHandler,
  TCPServer,
  ThreadingMixIn,
  ThreadingUDPServer,
  UDPServer,
} from "../../socketserver/mod.ts";
import { HTTPRedirectHandler, Request } from "../../urllib/request/mod.ts";

const handler = <T>(cls: new (...args: never[]) => T): T =>
  new (cls as unknown as new (...args: unknown[]) => T)(
    null,
    ["127.0.0.1", 1],
    null,
  );

Deno.test("Python's class attributes assigned on a handler class reach its instances and its subclasses', not its base's", () => {
  // Python: Handler.protocol_version = "HTTP/1.1"; Handler.extensions_map = {...}
  class Handler extends SimpleHTTPRequestHandler {}
  class Sub extends Handler {}
  Handler.protocol_version = "HTTP/1.1";
  Handler.extensions_map = { ".x": "x/y" };
  Handler.server_version = "Mine/1";
  equal(handler(Handler).protocol_version, "HTTP/1.1");
  equal(handler(Sub).protocol_version, "HTTP/1.1");
  equal(Sub.protocol_version, "HTTP/1.1");
  equal(handler(Handler).guess_type("a.x"), "x/y");
  equal(handler(Handler).version_string().split(" ")[0], "Mine/1");
  equal(handler(SimpleHTTPRequestHandler).protocol_version, "HTTP/1.0");
  equal(BaseHTTPRequestHandler.protocol_version, "HTTP/1.0");
  equal(
    handler(SimpleHTTPRequestHandler).guess_type("a.x"),
    "application/octet-stream",
  );
  // A subclass's own field still wins, as a Python subclass attribute does.
  class Own extends Handler {
    override protocol_version = "HTTP/1.0";
  }
  equal(handler(Own).protocol_version, "HTTP/1.0");
  class Stream extends StreamRequestHandler {}
  Stream.timeout = 5;
  equal(handler(Stream).timeout, 5);
  equal(handler(StreamRequestHandler).timeout, null);
});

Deno.test("Python's class attributes assigned on a server class: allow_reuse_address, daemon_threads, max_packet_size", async () => {
  // Python: socketserver.TCPServer.allow_reuse_address = True, before binding.
  class Server extends TCPServer {}
  Server.allow_reuse_address = true;
  await using server = new Server(["127.0.0.1", 0], StreamRequestHandler);
  equal(server.allow_reuse_address, true);
  equal(TCPServer.allow_reuse_address, false);
  class Threads extends ThreadingMixIn(TCPServer) {}
  Threads.daemon_threads = true;
  await using threads = new Threads(["127.0.0.1", 0], StreamRequestHandler);
  equal(threads.daemon_threads, true);
  equal(ThreadingHTTPServer.daemon_threads, true);
  equal(ThreadingUDPServer.block_on_close, true);
  class Datagrams extends UDPServer {}
  Datagrams.max_packet_size = 100;
  equal(Datagrams.max_packet_size, 100);
  equal(UDPServer.max_packet_size, 8192);
});

Deno.test("Python's class attributes given as static fields (a Python class body's spelling) reach the instances", async () => {
  // Python: class Handler(StreamRequestHandler): timeout = 0.3
  class Handler extends StreamRequestHandler {
    static override timeout = 0.3;
    static override wbufsize = 100;
  }
  class Sub extends Handler {}
  equal(handler(Handler).timeout, 0.3);
  equal(handler(Handler).wbufsize, 100);
  equal(handler(Sub).timeout, 0.3);
  equal(handler(StreamRequestHandler).timeout, null);
  // A later assignment on the class still reaches the instances.
  Handler.timeout = 5;
  equal(handler(Handler).timeout, 5);
  equal(handler(Sub).timeout, 5);
  class Http extends BaseHTTPRequestHandler {
    static override protocol_version = "HTTP/1.1";
  }
  equal(handler(Http).protocol_version, "HTTP/1.1");
  equal(handler(BaseHTTPRequestHandler).protocol_version, "HTTP/1.0");

  class Datagrams extends UDPServer {
    static override max_packet_size = 4;
  }
  await using udp = new Datagrams(["127.0.0.1", 0], DatagramRequestHandler);
  equal(udp.max_packet_size, 4);
  class Threads extends ThreadingMixIn(TCPServer) {
    static override daemon_threads = true;
  }
  await using threads = new Threads(["127.0.0.1", 0], StreamRequestHandler);
  equal(threads.daemon_threads, true);
  class Patch extends Request {
    static override method = "PATCH";
  }
  equal(new Patch("http://x/").get_method(), "PATCH");
  equal(new Patch("http://x/", { method: "PUT" }).get_method(), "PUT");
  equal(new Request("http://x/").get_method(), "GET");
  class Patient extends HTTPRedirectHandler {
    static override max_redirections = 3;
  }
  equal(new Patient().max_redirections, 3);
  equal(new HTTPRedirectHandler().max_redirections, 10);
  await using plain = new (ThreadingMixIn(TCPServer))(
    ["127.0.0.1", 0],
    StreamRequestHandler,
  );
  equal(plain.daemon_threads, false);
});
