/**
 * TCPServer and UnixStreamServer, ported from CPython 3.13
 * `Lib/test/test_socketserver.py` (`SocketServerTest`: test_TCPServer,
 * test_UnixStreamServer, test_tcpserver_bind_leak, test_context_manager;
 * `MiscTestCase.test_shutdown_request_called_if_verify_request_false`),
 * plus what binding does here.
 *
 * Left out: the Forking variants (Deno cannot fork; Python defines them
 * only where `os.fork` exists).
 */
import net from "node:net";
import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import {
  DatagramRequestHandler,
  type StreamConnection,
  StreamRequestHandler,
  TCPServer,
  UDPServer,
  UnixStreamServer,
} from "../../socketserver/mod.ts";
import { haveUnstableNet } from "../../socketserver/_datagram_socket.ts";
import {
  connect,
  makeStreamServer,
  readAll,
  runServer,
  serverTest,
  sleep,
  streamExamine,
  tempDir,
} from "./_helpers.ts";

serverTest("test_TCPServer: three clients in turn, each echoed", async () => {
  const server = makeStreamServer(TCPServer, ["127.0.0.1", 0]);
  await runServer(server as never, streamExamine);
});

/** Whether this machine can listen on IPv6's loopback. */
const haveIPv6 = (() => {
  try {
    Deno.listen({ hostname: "::1", port: 0 }).close();
    return true;
  } catch {
    return false;
  }
})();

/** Whether a socket bound to `::` takes IPv4 clients too (Linux's default). */
const dualStack = (() => {
  try {
    return Deno.readTextFileSync("/proc/sys/net/ipv6/bindv6only").trim() ===
      "0";
  } catch {
    return false;
  }
})();

serverTest(
  "address_family AF_INET6 binds '' to every IPv6 address (and IPv4 clients too, on Linux), as Python's",
  async () => {
    class Hi extends StreamRequestHandler {
      override handle(): void {
        this.wfile.write("hi");
      }
    }
    class V6 extends TCPServer {}
    V6.address_family = "AF_INET6";
    await using server = new V6(["", 0], Hi);
    const [host, port] = server.server_address;
    equal(host, "::");
    for (const client of dualStack ? ["::1", "127.0.0.1"] : ["::1"]) {
      const served = server.handle_request();
      const conn = await connect([client, port]);
      equal(await readAll(conn), "hi");
      conn.close();
      await served;
    }
  },
  { ignore: !haveIPv6 },
);

serverTest(
  "connections reset before they were accepted are skipped: the next accept takes the next client (a reset used to cost the loop a pause)",
  async () => {
    class Exposed extends TCPServer {
      accept() {
        return this.get_request();
      }
    }
    await using server = new Exposed(["127.0.0.1", 0], StreamRequestHandler);
    const [, port] = server.server_address;
    // Five clients that connect and reset at once (SO_LINGER 0), all still
    // waiting in the backlog, then one that stays.
    for (let i = 0; i < 5; i++) {
      await new Promise<void>((resolve) => {
        const client = net.connect(port, "127.0.0.1", () => {
          client.resetAndDestroy();
          resolve();
        });
      });
    }
    await sleep(50);
    const conn = await connect(["127.0.0.1", port]);
    // One accept takes it: the resets are not requests (nor failures that
    // make serve_forever() pause).
    const [request, address] = await server.accept();
    equal(
      (address as [string, number])[1],
      (conn.localAddr as Deno.NetAddr).port,
    );
    request.close();
    conn.close();
  },
);

serverTest("test_UnixStreamServer: the same over a Unix socket", async () => {
  await using dir = await tempDir();
  const path = `${dir.path}/stream.sock`;
  const server = makeStreamServer(UnixStreamServer, path);
  equal(server.server_address, path);
  await runServer(server as never, streamExamine);
});

serverTest(
  "UnixStreamServer: server_close() after serve_forever() has removed the socket file when it resolves",
  async () => {
    await using dir = await tempDir();
    const path = `${dir.path}/stream.sock`;
    const exists = () => {
      try {
        Deno.lstatSync(path);
        return true;
      } catch {
        return false;
      }
    };
    const first = new UnixStreamServer(path, StreamRequestHandler);
    const serving = first.serve_forever();
    await sleep(10); // the loop now waits in an accept
    await first.shutdown();
    await serving;
    await first.server_close();
    // The file went with the listener, not once the waiting accept ended
    // later: the path can be bound again at once...
    equal(exists(), false);
    const second = new UnixStreamServer(path, StreamRequestHandler);
    // ...and the late removal does not take the new server's file.
    await sleep(50);
    equal(exists(), true);
    const conn = await connect(path);
    conn.close();
    await second.server_close();
  },
);

serverTest(
  "test_tcpserver_bind_leak: a bad port fails before any socket is opened",
  () => {
    // Python raises OverflowError for port -1; ours is a RangeError. The
    // resource sanitizer checks that nothing leaked across the 1024 tries.
    for (let i = 0; i < 1024; i++) {
      throws(
        () => new TCPServer(["127.0.0.1", -1], StreamRequestHandler),
        RangeError,
      );
    }
    throws(
      () => new TCPServer(["127.0.0.1", 65536], StreamRequestHandler),
      /port must be 0-65535, not 65536/,
    );
    // A port that is no integer is Python's TypeError.
    throws(
      () =>
        new TCPServer(
          ["127.0.0.1", "0"] as unknown as [string, number],
          StreamRequestHandler,
        ),
      new TypeError("'str' object cannot be interpreted as an integer"),
    );
    throws(
      () => new TCPServer("/tmp/x.sock", StreamRequestHandler),
      /TCPServer needs a \[host, port\] address, not '\/tmp\/x.sock'/,
    );
  },
);

serverTest(
  'an address that is no [host, port] pair is named in the error (a Python tuple copied as is, ("", 8000), is the number 8000)',
  () => {
    // Python: TypeError: bind(): AF_INET address must be tuple, not int.
    // It read "'undefined' object cannot be interpreted as an integer".
    const servers: [string, new (address: [string, number]) => unknown][] = [
      ["TCPServer", TCPServer as never],
      ["UDPServer", UDPServer as never],
    ];
    for (const [name, Server] of servers) {
      for (
        const [address, shown] of [
          [8000, "8000"],
          [["127.0.0.1"], "['127.0.0.1']"],
          [{ host: "127.0.0.1", port: 0 }, "{'host': '127.0.0.1', 'port': 0}"],
        ] as const
      ) {
        throws(
          () => new Server(address as unknown as [string, number]),
          new TypeError(
            `${name} needs a [host, port] address, not ${shown}`,
          ),
        );
      }
    }
  },
);

serverTest(
  "test_context_manager: await using closes the listening socket",
  async () => {
    let port = 0;
    {
      await using server = new TCPServer(
        ["127.0.0.1", 0],
        StreamRequestHandler,
      );
      port = server.server_address[1];
      ok(server.socket !== null);
    }
    // Closed: nobody listens there any more.
    await rejects(
      Deno.connect({ hostname: "127.0.0.1", port }),
      Deno.errors.ConnectionRefused,
    );
  },
);

serverTest("test_shutdown_request_called_if_verify_request_false", async () => {
  let shutdownCalled = 0;
  let handled = 0;
  class MyServer extends TCPServer {
    override verify_request(): boolean {
      return false;
    }
    override shutdown_request(request: StreamConnection): Promise<void> {
      shutdownCalled++;
      return super.shutdown_request(request);
    }
  }
  class Counting extends StreamRequestHandler {
    override handle(): void {
      handled++;
    }
  }
  await using server = new MyServer(["127.0.0.1", 0], Counting);
  using conn = await connect(server.server_address);
  await server.handle_request();
  equal(shutdownCalled, 1);
  equal(handled, 0);
  // The refused connection was closed: the client reads its end.
  equal(await readAll(conn), "");
});

serverTest(
  "binding a taken port throws AddrInUse and closes the half-made server",
  async () => {
    await using first = new TCPServer(["127.0.0.1", 0], StreamRequestHandler);
    let closed = 0;
    class Counting extends TCPServer {
      override server_close(): void | Promise<void> {
        closed++;
        return super.server_close();
      }
    }
    throws(
      () => new Counting(first.server_address, StreamRequestHandler),
      Deno.errors.AddrInUse,
    );
    equal(closed, 1);
  },
);

serverTest(
  "bind_and_activate=false binds nothing until server_bind(), positional or keyword",
  async () => {
    for (const arg of [false, { bind_and_activate: false }] as const) {
      await using server = new TCPServer(
        ["127.0.0.1", 0],
        StreamRequestHandler,
        arg,
      );
      equal(server.socket, null);
      deepEqual(server.server_address, ["127.0.0.1", 0]);
      server.server_bind();
      server.server_activate();
      ok(server.server_address[1] > 0);
    }
    throws(
      () =>
        new TCPServer(["127.0.0.1", 0], StreamRequestHandler, {
          bind_and_active: false,
        } as never),
      /TCPServer\(\) got an unexpected keyword argument 'bind_and_active'/,
    );
  },
);

serverTest(
  "allow_reuse_port without --unstable-net is a NotSupported error to catch, not the end of the process",
  () => {
    class Reusing extends TCPServer {}
    Reusing.allow_reuse_port = true;
    throws(
      () => new Reusing(["127.0.0.1", 0], StreamRequestHandler),
      (e: unknown) =>
        e instanceof Deno.errors.NotSupported &&
        /--unstable-net/.test(e.message),
    );
    class ReusingUdp extends UDPServer {}
    ReusingUdp.allow_reuse_port = true;
    throws(
      () => new ReusingUdp(["127.0.0.1", 0], DatagramRequestHandler),
      Deno.errors.NotSupported,
    );
  },
  { ignore: haveUnstableNet() },
);

serverTest("class attributes are Python's defaults", () => {
  const server = new TCPServer(["127.0.0.1", 0], StreamRequestHandler, false);
  equal(server.address_family, "AF_INET");
  equal(server.socket_type, "SOCK_STREAM");
  equal(server.request_queue_size, 5);
  equal(server.allow_reuse_address, false);
  equal(server.allow_reuse_port, false);
  equal(server.timeout, null);
  equal(
    new UnixStreamServer("/nonexistent", StreamRequestHandler, false)
      .address_family,
    "AF_UNIX",
  );
});

serverTest(
  "what wfile queued reaches the client when finish skips the flush or fails (Python's writes have gone out when they return)",
  async () => {
    const errors: unknown[] = [];
    for (const finish of ["skip", "throw"] as const) {
      class Bye extends StreamRequestHandler {
        override handle(): void {
          this.wfile.write("bye\n");
          this.wfile.write(new Uint8Array(3 * 1024 * 1024).fill(0x61));
        }
        override finish(): Promise<void> {
          if (finish === "throw") throw new Error("finish failed");
          return Promise.resolve();
        }
      }
      class Server extends TCPServer {
        override handle_error(_r: unknown, _c: unknown, error?: unknown) {
          errors.push(error);
        }
      }
      await using server = new Server(["127.0.0.1", 0], Bye);
      const served = server.handle_request();
      const conn = await connect(server.server_address);
      const text = await readAll(conn, 4 * 1024 * 1024);
      conn.close();
      await served;
      equal(text.slice(0, 4), "bye\n", finish);
      equal(text.length, 4 + 3 * 1024 * 1024, finish);
    }
    equal(errors.length, 1, "the failed finish is reported");
  },
);

Deno.test({
  name:
    "UnixStreamServer: a relative path is bound as the absolute path it named, so server_close() after a chdir removes that socket, not another file",
  ignore: Deno.build.os === "windows",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pyport_unix_rel_" });
    try {
      await Deno.mkdir(`${dir}/a`);
      await Deno.mkdir(`${dir}/b`);
      await Deno.writeTextFile(`${dir}/b/rel.sock`, "keep me");
      // In a process of its own: a chdir would move every test's cwd.
      const script = `
        import { StreamRequestHandler, UnixStreamServer } from ${
        JSON.stringify(
          new URL("../../socketserver/mod.ts", import.meta.url).href,
        )
      };
        Deno.chdir(${JSON.stringify(`${dir}/a`)});
        const server = new UnixStreamServer("rel.sock", StreamRequestHandler);
        console.log(JSON.stringify(server.server_address));
        Deno.chdir(${JSON.stringify(`${dir}/b`)});
        await server.server_close();
      `;
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["eval", script],
        stdout: "piped",
        stderr: "piped",
      }).output();
      equal(out.success, true, new TextDecoder().decode(out.stderr));
      // server_address stays as given, as Python's.
      equal(new TextDecoder().decode(out.stdout).trim(), '"rel.sock"');
      equal(await Deno.readTextFile(`${dir}/b/rel.sock`), "keep me");
      await rejects(Deno.lstat(`${dir}/a/rel.sock`), Deno.errors.NotFound);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
