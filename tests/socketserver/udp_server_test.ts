/**
 * UDPServer and UnixDatagramServer, ported from CPython 3.13
 * `Lib/test/test_socketserver.py` (`SocketServerTest`: test_UDPServer,
 * test_ThreadingUDPServer, test_UnixDatagramServer,
 * test_ThreadingUnixDatagramServer), plus the datagram specifics: the
 * `[data, socket]` request, `max_packet_size`, queued datagrams, binding.
 *
 * Unix datagram sockets need `--unstable-net`. Without it, the tests
 * check the one clear error and run the `unstable-net:` cases of this
 * file in a child `deno test --unstable-net`.
 *
 * Left out: the Forking variants (Deno cannot fork; Python defines them
 * only where `os.fork` exists).
 */
import {
  deepEqual,
  equal,
  match,
  ok,
  rejects,
  throws,
} from "node:assert/strict";
import { fileURLToPath } from "node:url";
import {
  BaseRequestHandler,
  type DatagramRequest,
  DatagramRequestHandler,
  ThreadingUDPServer,
  ThreadingUnixDatagramServer,
  UDPServer,
  UnixDatagramServer,
} from "../../socketserver/mod.ts";
import {
  decoder,
  dgramExamine,
  HAS_UNSTABLE_NET,
  makeDatagramServer,
  runServer,
  serverTest,
  sleep,
  tempDir,
  udpClient,
} from "./_helpers.ts";

serverTest("test_UDPServer: three clients in turn, each echoed", async () => {
  const server = makeDatagramServer(UDPServer, ["127.0.0.1", 0]);
  await runServer(server as never, (address) => dgramExamine(address));
});

serverTest(
  "test_ThreadingUDPServer: the same, each datagram its own task",
  async () => {
    const server = makeDatagramServer(ThreadingUDPServer, ["127.0.0.1", 0]);
    await runServer(server as never, (address) => dgramExamine(address));
  },
);

serverTest(
  "the request is [data, socket]; socket.sendto answers the client (Python's docs example)",
  async () => {
    const seen: unknown[] = [];
    class Upper extends BaseRequestHandler<DatagramRequest> {
      override async handle(): Promise<void> {
        const [data, socket] = this.request;
        seen.push(this.client_address);
        const sent = await socket.sendto(
          new TextEncoder().encode(decoder.decode(data).trim().toUpperCase()),
          this.client_address,
        );
        seen.push(sent);
      }
    }
    await using server = new UDPServer(["127.0.0.1", 0], Upper);
    await using client = udpClient();
    await client.send("hello udp \n", server.server_address);
    await server.handle_request();
    const [reply, from] = await client.receive();
    equal(decoder.decode(reply), "HELLO UDP");
    deepEqual(from, server.server_address);
    equal((seen[0] as [string, number])[0], "127.0.0.1");
    equal(seen[1], 9);
  },
);

serverTest(
  "datagrams longer than max_packet_size are cut, as recvfrom cuts them",
  async () => {
    const sizes: number[] = [];
    class Measure extends BaseRequestHandler<DatagramRequest> {
      override handle(): void {
        sizes.push(this.request[0].length);
      }
    }
    class Small extends UDPServer {
      static {
        Object.assign(this.prototype, { max_packet_size: 100 });
      }
    }
    await using server = new UDPServer(["127.0.0.1", 0], Measure);
    await using small = new Small(["127.0.0.1", 0], Measure);
    equal(server.max_packet_size, 8192);
    await using client = udpClient();
    await client.send(new Uint8Array(10_000), server.server_address);
    await client.send(new Uint8Array(0), server.server_address);
    await client.send(new Uint8Array(500), small.server_address);
    await server.handle_request();
    await server.handle_request();
    await small.handle_request();
    deepEqual(sizes, [8192, 0, 100]);
  },
);

serverTest(
  "datagrams that arrive before anyone receives are kept, in order",
  async () => {
    const got: string[] = [];
    class Record extends BaseRequestHandler<DatagramRequest> {
      override handle(): void {
        got.push(decoder.decode(this.request[0]));
      }
    }
    await using server = new UDPServer(["127.0.0.1", 0], Record);
    await using client = udpClient();
    for (const word of ["one", "two", "three"]) {
      await client.send(word, server.server_address);
    }
    for (let i = 0; i < 3; i++) await server.handle_request();
    deepEqual(got, ["one", "two", "three"]);
  },
);

serverTest(
  "binding: a taken port throws AddrInUse; a name is resolved; attributes are Python's",
  async () => {
    await using first = new UDPServer(["127.0.0.1", 0], DatagramRequestHandler);
    let closed = 0;
    class Counting extends UDPServer {
      override server_close(): Promise<void> {
        closed++;
        return super.server_close();
      }
    }
    throws(
      () => new Counting(first.server_address, DatagramRequestHandler),
      Deno.errors.AddrInUse,
    );
    equal(closed, 1);
    await using named = new UDPServer(["localhost", 0], DatagramRequestHandler);
    const [host, port] = named.server_address;
    match(host, /^(127\.0\.0\.1|::1)$/);
    ok(port > 0);
    throws(
      () => new UDPServer(["127.0.0.1", 70000], DatagramRequestHandler),
      RangeError,
    );
    equal(first.socket_type, "SOCK_DGRAM");
    equal(first.address_family, "AF_INET");
    equal(first.allow_reuse_address, false);
    equal(first.allow_reuse_port, false);
  },
);

serverTest(
  "sendto refuses text (as Python's refuses a str), a path for a UDP socket, a port that is no integer (as Python), and everything once closed",
  async () => {
    const server = new UDPServer(["127.0.0.1", 0], DatagramRequestHandler);
    const socket = server.socket!;
    const x = new Uint8Array([120]);
    // Python's socket.sendto("x", addr): the data must be bytes.
    await rejects(
      socket.sendto("x" as never, ["127.0.0.1", 9]),
      new TypeError("a bytes-like object is required, not 'str'"),
    );
    await rejects(socket.sendto(x, "/tmp/nope"), TypeError);
    // Python: TypeError: 'str' object cannot be interpreted as an integer.
    const stringPort = ["127.0.0.1", "9"] as unknown as [string, number];
    await rejects(
      socket.sendto(x, stringPort),
      new TypeError("'str' object cannot be interpreted as an integer"),
    );
    await rejects(socket.sendto(x, ["127.0.0.1", 70000]), RangeError);
    await server.server_close();
    equal(server.socket, null);
    await rejects(
      socket.sendto(x, ["127.0.0.1", 9]),
      Deno.errors.BadResource,
    );
    await rejects(socket.recvfrom(10), Deno.errors.BadResource);
  },
);

serverTest(
  "server_close() under a running serve_forever() ends the loop",
  async () => {
    const server = new UDPServer(["127.0.0.1", 0], DatagramRequestHandler);
    const serving = server.serve_forever(0.01);
    await server.server_close();
    await serving;
    await server.shutdown();
  },
);

serverTest(
  "UnixDatagramServer without the unstable flag: one clear NotSupported error",
  async () => {
    await using dir = await tempDir();
    for (
      const ServerClass of [UnixDatagramServer, ThreadingUnixDatagramServer]
    ) {
      throws(
        () => new ServerClass(`${dir.path}/d.sock`, DatagramRequestHandler),
        (error: unknown) =>
          error instanceof Deno.errors.NotSupported &&
          /needs Deno's --unstable-net flag/.test(error.message),
      );
    }
  },
  { ignore: HAS_UNSTABLE_NET },
);

serverTest(
  "the unstable-net cases pass under --unstable-net (child deno test)",
  async () => {
    const file = fileURLToPath(import.meta.url);
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["test", "-A", "--unstable-net", "--filter", "unstable-net:", file],
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const text = decoder.decode(out.stdout) + decoder.decode(out.stderr);
    equal(out.code, 0, text);
    match(text, /ok \| 3 passed/);
  },
  { ignore: HAS_UNSTABLE_NET, timeoutMs: 60_000 },
);

serverTest("unstable-net: test_UnixDatagramServer", async () => {
  await using dir = await tempDir();
  const server = makeDatagramServer(UnixDatagramServer, `${dir.path}/s.sock`);
  equal(server.address_family, "AF_UNIX");
  let n = 0;
  await runServer(
    server as never,
    (address) => dgramExamine(address, `${dir.path}/c${n++}.sock`),
  );
}, { ignore: !HAS_UNSTABLE_NET });

serverTest("unstable-net: test_ThreadingUnixDatagramServer", async () => {
  await using dir = await tempDir();
  const server = makeDatagramServer(
    ThreadingUnixDatagramServer,
    `${dir.path}/s.sock`,
  );
  let n = 0;
  await runServer(
    server as never,
    (address) => dgramExamine(address, `${dir.path}/c${n++}.sock`),
  );
}, { ignore: !HAS_UNSTABLE_NET });

serverTest(
  "unstable-net: Unix datagrams are cut to max_packet_size; sendto wants a path",
  async () => {
    await using dir = await tempDir();
    const sizes: number[] = [];
    class Measure extends DatagramRequestHandler {
      override handle(): void {
        sizes.push(this.packet.length);
      }
    }
    await using server = new UnixDatagramServer(`${dir.path}/s.sock`, Measure);
    await rejects(
      server.socket!.sendto(new Uint8Array(1), ["127.0.0.1", 9]),
      TypeError,
    );
    const { unixDatagramClient } = await import("./_helpers.ts");
    await using client = unixDatagramClient(`${dir.path}/c.sock`);
    await client.send(new Uint8Array(9000), server.server_address);
    await server.handle_request();
    await client.receive(); // the (empty) reply
    deepEqual(sizes, [8192]);
  },
  { ignore: !HAS_UNSTABLE_NET },
);

serverTest(
  "a flood of datagrams nobody receives is bounded: at most 1024 are kept",
  async () => {
    let handled = 0;
    class Count extends BaseRequestHandler<DatagramRequest> {
      override handle(): void {
        handled++;
      }
    }
    class Quick extends UDPServer {
      static {
        Object.assign(this.prototype, { timeout: 0.1 });
      }
      override handle_timeout(): void {
        timedOut = true;
      }
    }
    let timedOut = false;
    await using server = new Quick(["127.0.0.1", 0], Count);
    await using client = udpClient();
    for (let i = 1; i <= 1500; i++) {
      await client.send("x", server.server_address);
      // Pauses keep the kernel's own receive buffer from overflowing first.
      if (i % 50 === 0) await sleep(5);
    }
    await sleep(50);
    while (!timedOut) await server.handle_request();
    equal(handled, 1024);
  },
);
