/**
 * DatagramRequestHandler: `packet` and `socket` from the request, `rfile`
 * reading the datagram as a stream handler reads its connection, `wfile`
 * collected and sent back with `sendto` in `finish()` (CPython 3.13
 * `Lib/socketserver.py`; its test suite covers it through
 * test_UDPServer, ported in udp_server_test.ts).
 */
import { deepEqual, equal, rejects, throws } from "node:assert/strict";
import {
  DatagramRequestHandler,
  PacketWriter,
  UDPServer,
} from "../../socketserver/mod.ts";
import { decoder, serverTest, udpClient } from "./_helpers.ts";

/** Sends `text` to a one-request UDP server with `Handler`; returns the reply. */
async function exchange(
  Handler: typeof DatagramRequestHandler,
  text: string,
  ServerClass: typeof UDPServer = UDPServer,
): Promise<string> {
  await using server = new ServerClass(["127.0.0.1", 0], Handler);
  await using client = udpClient();
  await client.send(text, server.server_address);
  await server.handle_request();
  const [reply] = await client.receive();
  return decoder.decode(reply);
}

/** A UDPServer whose handle_error records each error's message in `errors`. */
function recordingErrors(errors: string[]): typeof UDPServer {
  return class extends UDPServer {
    override handle_error(_r: unknown, _a: unknown, error?: unknown): void {
      errors.push((error as Error).message);
    }
  };
}

serverTest(
  "rfile takes sizes as Python's BytesIO: any negative size or None reads it all",
  async () => {
    const got: string[] = [];
    class Sizes extends DatagramRequestHandler {
      override async handle(): Promise<void> {
        got.push(decoder.decode(await this.rfile.read(1)));
        got.push(decoder.decode(await this.rfile.read(-2)));
        this.wfile.write("done");
      }
    }
    equal(await exchange(Sizes, "zzz"), "done");
    class Read1 extends DatagramRequestHandler {
      override async handle(): Promise<void> {
        got.push(
          decoder.decode(await this.rfile.read1(null as unknown as number)),
        );
        this.wfile.write("done");
      }
    }
    equal(await exchange(Read1, "abc\ndef"), "done");
    deepEqual(got, ["z", "zz", "abc\ndef"]);
  },
);

serverTest(
  "rfile reads the datagram: readline, read(n), readinto, readlines, iteration, read()",
  async () => {
    const got: unknown[] = [];
    class Reader extends DatagramRequestHandler {
      override async handle(): Promise<void> {
        got.push(decoder.decode(this.packet));
        got.push(decoder.decode(await this.rfile.readline()));
        got.push(decoder.decode(await this.rfile.read(3)));
        const into = new Uint8Array(2);
        got.push(await this.rfile.readinto(into), decoder.decode(into));
        got.push((await this.rfile.readlines(3)).map((l) => decoder.decode(l)));
        const rest: string[] = [];
        for await (const line of this.rfile) rest.push(decoder.decode(line));
        got.push(rest, (await this.rfile.read()).length);
      }
    }
    await exchange(Reader, "first\nabcdefg\nx\ny\nz");
    deepEqual(got, [
      "first\nabcdefg\nx\ny\nz",
      "first\n",
      "abc",
      2,
      "de",
      ["fg\n"],
      ["x\n", "y\n", "z"],
      0,
    ]);
  },
);

serverTest(
  "wfile collects every write; finish() sends them as one datagram",
  async () => {
    class Stamp extends DatagramRequestHandler {
      override async handle(): Promise<void> {
        const data = decoder.decode(await this.rfile.read());
        equal(this.wfile.write("[stamp] "), 8);
        this.wfile.write(new TextEncoder().encode(data));
        await this.wfile.flush(); // nothing leaves yet: a no-op, as BytesIO's
      }
    }
    equal(await exchange(Stamp, "hello"), "[stamp] hello");
  },
);

serverTest(
  "wfile takes any bytes-like object (an ArrayBuffer, a wider typed array) by its bytes",
  async () => {
    class Raw extends DatagramRequestHandler {
      override handle(): void {
        equal(this.wfile.write(new TextEncoder().encode("ab").buffer), 2);
        equal(this.wfile.write(new Uint16Array([0x4443])), 2);
        throws(
          () => this.wfile.write(7 as unknown as Uint8Array),
          new TypeError("a bytes-like object is required, not 'int'"),
        );
      }
    }
    equal(await exchange(Raw, "x"), "abCD");
  },
);

serverTest(
  "nothing written: an empty datagram is still sent, as Python's finish() does",
  async () => {
    class Silent extends DatagramRequestHandler {}
    equal(await exchange(Silent, "anyone?"), "");
  },
);

serverTest(
  "a handle() that throws: finish() still sends what was written; handle_error is called",
  async () => {
    const errors: string[] = [];
    const Server = recordingErrors(errors);
    class Partial extends DatagramRequestHandler {
      override handle(): void {
        this.wfile.write("partial");
        throw new RangeError("gave up");
      }
    }
    equal(await exchange(Partial, "x", Server), "partial");
    deepEqual(errors, ["gave up"]);
  },
);

serverTest(
  "a handle() that closes wfile sends no reply: finish() fails as Python's getvalue() on a closed BytesIO, and handle_error is called",
  async () => {
    const errors: string[] = [];
    const Server = recordingErrors(errors);
    let requests = 0;
    class Closing extends DatagramRequestHandler {
      override handle(): void {
        this.wfile.write(requests++ === 0 ? "hi" : "second");
        if (requests === 1) this.wfile.close();
      }
    }
    await using server = new Server(["127.0.0.1", 0], Closing);
    await using client = udpClient();
    await client.send("x", server.server_address);
    await server.handle_request();
    deepEqual(errors, ["I/O operation on closed file."]);
    // Nothing came of the first: the second's reply is the first to arrive.
    await client.send("y", server.server_address);
    await server.handle_request();
    equal(decoder.decode((await client.receive())[0]), "second");
  },
);

serverTest(
  "a negative max_packet_size fails handle_request as Python's recvfrom refuses it",
  async () => {
    class Negative extends UDPServer {
      static override max_packet_size = -1;
    }
    await using server = new Negative(
      ["127.0.0.1", 0],
      DatagramRequestHandler,
    );
    await using client = udpClient();
    await client.send("abcd", server.server_address);
    await rejects(
      server.handle_request(),
      new RangeError("negative buffersize in recvfrom"),
    );
  },
);

serverTest("PacketWriter: UTF-8 text, writelines, getvalue(), closed", () => {
  const wfile = new PacketWriter();
  equal(wfile.getvalue().length, 0);
  equal(wfile.write("é"), 2);
  equal(wfile.write(new Uint8Array([33])), 1);
  equal(wfile.write(""), 0);
  equal(decoder.decode(wfile.getvalue()), "é!");
  equal(decoder.decode(wfile.getvalue()), "é!");
  wfile.writelines(["<", new Uint8Array([62])]);
  equal(decoder.decode(wfile.getvalue()), "é!<>");
  const source = new Uint8Array([1, 2]);
  wfile.write(source);
  source[0] = 9; // written bytes are copied
  deepEqual([...wfile.getvalue().subarray(5)], [1, 2]);
  wfile.close();
  equal(wfile.closed, true);
  throws(() => wfile.write("x"), /I\/O operation on closed file/);
});
