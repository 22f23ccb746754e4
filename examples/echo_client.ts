/**
 * The echo client of the socket tutorials (`echo-client.py`): connects to
 * the echo server on 127.0.0.1 port 65432, sends `Hello, world`, and prints
 * what comes back as Python prints bytes.
 *
 * Start `echo_server.ts` first, then run it from a checkout:
 *
 * ```sh
 * deno run --allow-net examples/echo_client.ts [port]
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net jsr:@pyport/web/examples/echo_client [port]
 * ```
 *
 * It prints `Received b'Hello, world'`. With no server listening it fails
 * with `ConnectionRefused`, as the original fails with
 * `ConnectionRefusedError`.
 *
 * The Python original, for comparison:
 *
 * ```python
 * with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
 *     s.connect((HOST, PORT))
 *     s.sendall(b"Hello, world")
 *     data = s.recv(1024)
 * print(f"Received {data!r}")
 * ```
 *
 * @module
 */
import { bytesRepr } from "./_socket_tutorial.ts";

const HOST = "127.0.0.1";

/** Sends `Hello, world` to the echo server and prints the reply. */
export async function main(port: number): Promise<void> {
  using conn = await Deno.connect({ hostname: HOST, port });
  const message = new TextEncoder().encode("Hello, world");
  // sendall: a write may take only part of the bytes.
  for (let sent = 0; sent < message.length;) {
    sent += await conn.write(message.subarray(sent));
  }
  const data = new Uint8Array(1024);
  const n = await conn.read(data);
  console.log(`Received ${bytesRepr(data.subarray(0, n ?? 0))}`);
}

if (import.meta.main) await main(Number(Deno.args[0] ?? "65432"));
