/**
 * StreamSocket: the `request` a stream server hands its handler answers
 * Python's socket calls, so the tutorials' `BaseRequestHandler` programs
 * (`self.request.recv(1024)`, `self.request.send(msg)`) port line for
 * line. Checked against CPython 3.13's socket on the same cases: recv at
 * most `bufsize`, `b""` at the end, `recv_into`'s count, `getpeername`,
 * a timeout that loses nothing.
 */
import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import {
  BaseRequestHandler,
  StreamRequestHandler,
  type StreamSocket,
  TCPServer,
  ThreadingTCPServer,
  UnixStreamServer,
} from "../../socketserver/mod.ts";
import {
  connect,
  decoder,
  encoder,
  serverTest,
  sleep,
  tempDir,
} from "./_helpers.ts";

/** Reads from `conn` until the server closes it. */
async function readAll(conn: Deno.Conn): Promise<string> {
  const chunks: Uint8Array[] = [];
  const buffer = new Uint8Array(1024);
  for (let n; (n = await conn.read(buffer)) !== null;) {
    chunks.push(buffer.slice(0, n));
  }
  return chunks.map((c) => decoder.decode(c)).join("");
}

serverTest(
  "the tutorial's EchoRequestHandler: recv until b'', send back each message",
  async () => {
    const received: string[] = [];
    class EchoRequestHandler extends BaseRequestHandler<StreamSocket> {
      override async handle(): Promise<void> {
        while (true) {
          const msg = await this.request.recv(1024);
          if (msg.length === 0) break;
          received.push(decoder.decode(msg));
          await this.request.send(msg);
        }
      }
    }
    await using server = new ThreadingTCPServer(
      ["127.0.0.1", 0],
      EchoRequestHandler,
    );
    const served = server.handle_request();
    const conn = await connect(server.server_address);
    const reply = new Uint8Array(1024);
    for (const text of ["Hello!", "I like Tuesdays!"]) {
      await conn.write(encoder.encode(text));
      const n = await conn.read(reply);
      equal(decoder.decode(reply.subarray(0, n ?? 0)), text);
    }
    await conn.closeWrite();
    await served;
    equal(await readAll(conn), "");
    conn.close();
    deepEqual(received, ["Hello!", "I like Tuesdays!"]);
  },
);

serverTest(
  "recv(n) returns at most n bytes, the rest on the next call; recv_into counts; b'' at the end",
  async () => {
    const got: unknown[] = [];
    class Reader extends BaseRequestHandler<StreamSocket> {
      override async handle(): Promise<void> {
        // Wait until all of it has arrived, so the first read takes it all.
        await sleep(100);
        got.push(decoder.decode(await this.request.recv(4)));
        const into = new Uint8Array(8);
        got.push(await this.request.recv_into(into, 3));
        got.push(decoder.decode(into.subarray(0, 3)));
        const direct = new Uint8Array(16);
        const n = await this.request.read(direct);
        got.push(decoder.decode(direct.subarray(0, n ?? 0)));
        got.push((await this.request.recv(10)).length);
        got.push(await this.request.recv_into(into));
        got.push(await this.request.read(direct));
        // CPython 3.13's messages for each.
        await rejects(
          this.request.recv(-1),
          new RangeError("negative buffersize in recv"),
        );
        await rejects(
          this.request.recv_into(new Uint8Array(4), -1),
          new RangeError("negative buffersize in recv_into"),
        );
        await rejects(
          this.request.recv(1.5),
          new TypeError("'float' object cannot be interpreted as an integer"),
        );
        // An assertion failing in a handler is only logged by the server:
        // this marks that every one above passed.
        got.push("checked");
      }
    }
    await using server = new TCPServer(["127.0.0.1", 0], Reader);
    const served = server.handle_request();
    const conn = await connect(server.server_address);
    await conn.write(encoder.encode("abcdefghij"));
    await conn.closeWrite();
    await served;
    conn.close();
    // Python: recv(4) b'abcd', recv_into(buf, 3) 3, then the rest, then
    // b'' and 0 at the end of the stream (Deno's read: null).
    deepEqual(got, ["abcd", 3, "efg", "hij", 0, 0, null, "checked"]);
  },
);

serverTest(
  "recv calls made at once each get their own bytes, none twice",
  async () => {
    let got: string[] = [];
    class Twice extends BaseRequestHandler<StreamSocket> {
      override async handle(): Promise<void> {
        const pair = await Promise.all([
          this.request.recv(5),
          this.request.recv(5),
        ]);
        got = [...pair, await this.request.recv(5)].map((b) =>
          decoder.decode(b)
        );
      }
    }
    await using server = new TCPServer(["127.0.0.1", 0], Twice);
    const served = server.handle_request();
    const conn = await connect(server.server_address);
    await conn.write(encoder.encode("helloworld"));
    await sleep(50);
    await conn.write(encoder.encode("XYZ"));
    await served;
    conn.close();
    deepEqual(got, ["hello", "world", "XYZ"]);
  },
);

serverTest(
  "settimeout: recv raises TimedOut, and the bytes that come later are not lost",
  async () => {
    const got: unknown[] = [];
    class Patient extends BaseRequestHandler<StreamSocket> {
      override async handle(): Promise<void> {
        this.request.settimeout(0.05);
        got.push(this.request.gettimeout());
        await rejects(this.request.recv(100), Deno.errors.TimedOut);
        this.request.settimeout(null);
        got.push(decoder.decode(await this.request.recv(100)));
        throws(
          () => this.request.settimeout(-1),
          new RangeError("Timeout value out of range"),
        );
        got.push("checked");
      }
    }
    await using server = new TCPServer(["127.0.0.1", 0], Patient);
    const served = server.handle_request();
    const conn = await connect(server.server_address);
    await sleep(200);
    await conn.write(encoder.encode("late"));
    await served;
    conn.close();
    deepEqual(got, [0.05, "late", "checked"]);
  },
);

serverTest(
  "one timeout for the socket and its files, as Python's: the handler's timeout reaches recv, and settimeout reaches rfile",
  async () => {
    const got: unknown[] = [];
    // Python's setup() sets the socket's timeout to the handler's.
    class Timed extends StreamRequestHandler {
      override timeout = 0.05;
      override async handle(): Promise<void> {
        const socket = this.request as StreamSocket;
        got.push(socket.gettimeout());
        await rejects(socket.recv(10), Deno.errors.TimedOut);
        // A later settimeout governs rfile too (Python's makefile shares it).
        socket.settimeout(0.06);
        got.push(this.rfile.timeout, this.wfile.timeout);
        await rejects(this.rfile.readline(), Deno.errors.TimedOut);
        got.push("checked");
      }
    }
    await using server = new TCPServer(["127.0.0.1", 0], Timed);
    const served = server.handle_request();
    const conn = await connect(server.server_address);
    await served;
    conn.close();
    deepEqual(got, [0.05, 0.06, 0.06, "checked"]);
  },
);

serverTest(
  "getpeername / getsockname; sendall takes any bytes-like object and goes after what wfile queued",
  async () => {
    const names: unknown[] = [];
    class Both extends StreamRequestHandler {
      override async handle(): Promise<void> {
        const socket = this.request as StreamSocket;
        names.push(socket.getpeername(), socket.getsockname());
        this.wfile.write("first ");
        await socket.sendall(encoder.encode("second ").buffer);
        names.push(await socket.send(new Uint16Array([0x6968])));
      }
    }
    await using server = new TCPServer(["127.0.0.1", 0], Both);
    const served = server.handle_request();
    const conn = await connect(server.server_address);
    await served;
    equal(await readAll(conn), "first second hi");
    const local = conn.localAddr as Deno.NetAddr;
    deepEqual(names, [["127.0.0.1", local.port], server.server_address, 2]);
    conn.close();
  },
);

serverTest(
  "on a Unix socket: getpeername is '' for an unnamed client, as in Python",
  async () => {
    await using dir = await tempDir();
    const path = `${dir.path}/s.sock`;
    const names: unknown[] = [];
    class Named extends BaseRequestHandler<StreamSocket> {
      override async handle(): Promise<void> {
        names.push(this.request.getpeername(), this.request.getsockname());
        await this.request.sendall(encoder.encode("ok"));
      }
    }
    await using server = new UnixStreamServer(path, Named);
    const served = server.handle_request();
    const conn = await Deno.connect({ transport: "unix", path });
    await served;
    equal(await readAll(conn), "ok");
    conn.close();
    deepEqual(names, ["", path]);
  },
);
