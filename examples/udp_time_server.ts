/**
 * The UDP timestamp server of the socket tutorials (`tsUserv.py` in "Core
 * Python Programming", section 16.3.6), on `socketserver`: it answers each
 * datagram with the same text stamped with the time,
 * `[Mon Nov 25 16:06:00 2024] hello`. Talk to it with `udp_time_client.ts`.
 *
 * Run it from a checkout (port 0 picks a free one):
 *
 * ```sh
 * deno run --allow-net examples/udp_time_server.ts [port]
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net jsr:@pyport/web/examples/udp_time_server [port]
 * ```
 *
 * It listens on 127.0.0.1 port 21567 (the original bound every interface)
 * and prints what the original prints, `waiting for message...` and
 * `...received from and returned to: ('127.0.0.1', 51234)`, after a first
 * `Listening on ('127.0.0.1', 21567)` line that tells you the port. Ctrl-C
 * stops it. UDP needs no unstable flag: `UDPServer` runs on `node:dgram`.
 *
 * The Python original, for comparison:
 *
 * ```python
 * while True:
 *     print 'waiting for message...'
 *     data, addr = udpSerSock.recvfrom(BUFSIZ)
 *     udpSerSock.sendto('[%s] %s' % (ctime(), data), addr)
 *     print '...received from and returned to:', addr
 * ```
 *
 * @module
 */
import { DatagramRequestHandler, UDPServer } from "@pyport/web/socketserver";
import { addressRepr, ctime } from "./_socket_tutorial.ts";

/** Answers a datagram with `[ctime] datagram`. */
export class TimeStampHandler extends DatagramRequestHandler {
  /** Writes the stamped text; `finish()` sends it back. */
  override async handle(): Promise<void> {
    this.wfile.write(`[${ctime()}] `);
    this.wfile.write(await this.rfile.read());
  }

  /** Sends the reply, then says so. */
  override async finish(): Promise<void> {
    await super.finish();
    console.log(
      `...received from and returned to: ${addressRepr(this.client_address)}`,
    );
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? "21567");
  const server = new UDPServer(["127.0.0.1", port], TimeStampHandler);
  console.log(`Listening on ${addressRepr(server.server_address)}`);
  Deno.addSignalListener("SIGINT", () => {
    console.log("\nKeyboard interrupt received, exiting.");
    Deno.exit(0);
  });
  while (true) {
    console.log("waiting for message...");
    await server.handle_request();
  }
}
