/**
 * The echo server of the socket tutorials (`echo-server.py`), on
 * `socketserver`: it waits on 127.0.0.1 port 65432, prints who connected,
 * sends back every byte it receives until the client closes, then exits —
 * the original serves one client too. Try it with `echo_client.ts`.
 *
 * Run it from a checkout (port 0 picks a free one):
 *
 * ```sh
 * deno run --allow-net examples/echo_server.ts [port]
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net jsr:@pyport/web/examples/echo_server [port]
 * ```
 *
 * It prints `Listening on ('127.0.0.1', 65432)` once bound (the original
 * prints nothing there; the line tells you the port), then
 * `Connected by ('127.0.0.1', 64623)` as the original does.
 *
 * The Python original, for comparison:
 *
 * ```python
 * with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
 *     s.bind((HOST, PORT))
 *     s.listen()
 *     conn, addr = s.accept()
 *     with conn:
 *         print(f"Connected by {addr}")
 *         while True:
 *             data = conn.recv(1024)
 *             if not data:
 *                 break
 *             conn.sendall(data)
 * ```
 *
 * @module
 */
import { StreamRequestHandler, TCPServer } from "@pyport/web/socketserver";
import { addressRepr } from "./_socket_tutorial.ts";

/** Sends back whatever arrives, as it arrives, until the client closes. */
export class EchoHandler extends StreamRequestHandler {
  /** The `while True: recv / sendall` loop of the original. */
  override async handle(): Promise<void> {
    console.log(`Connected by ${addressRepr(this.client_address)}`);
    while (true) {
      // read1: what one receive brings, like recv(1024).
      const data = await this.rfile.read1(1024);
      if (data.length === 0) break;
      this.wfile.write(data);
      await this.wfile.drain(); // a client that does not read holds us back
    }
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? "65432");
  await using server = new TCPServer(["127.0.0.1", port], EchoHandler);
  console.log(`Listening on ${addressRepr(server.server_address)}`);
  await server.handle_request();
}
