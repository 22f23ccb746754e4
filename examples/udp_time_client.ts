/**
 * The UDP timestamp client of the socket tutorials (`tsUclnt.py` in "Core
 * Python Programming", section 16.3.6), for `udp_time_server.ts`: sends
 * each line you type as a datagram and prints the stamped answer. An empty
 * line (or the end of input) quits.
 *
 * Start `udp_time_server.ts` first, then run it from a checkout:
 *
 * ```sh
 * deno run --allow-net examples/udp_time_client.ts [port]
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net jsr:@pyport/web/examples/udp_time_client [port]
 * ```
 *
 * It prints `> ` before each line and the answer after it,
 * `[Mon Nov 25 16:06:00 2024] hello`. UDP may lose a datagram and the
 * original would then wait for ever; this one gives up after 5 seconds
 * with `no answer from ('127.0.0.1', 21567)` and exit status 1.
 *
 * The Python original, for comparison:
 *
 * ```python
 * while True:
 *     data = raw_input('> ')
 *     if not data:
 *         break
 *     udpCliSock.sendto(data, ADDR)
 *     data, ADDR = udpCliSock.recvfrom(BUFSIZ)
 *     if not data:
 *         break
 *     print data
 * ```
 *
 * @module
 */
import dgram from "node:dgram";
import { input } from "./_socket_tutorial.ts";

const HOST = "127.0.0.1";
const BUFSIZ = 1024;
const ANSWER_TIMEOUT_MS = 5000;

/** Waits for the next datagram on `socket`, or `null` after the timeout. */
function recvfrom(socket: dgram.Socket): Promise<Uint8Array | null> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.off("message", onMessage);
      resolve(null);
    }, ANSWER_TIMEOUT_MS);
    const onMessage = (message: Uint8Array) => {
      clearTimeout(timer);
      resolve(message.subarray(0, BUFSIZ));
    };
    socket.once("message", onMessage);
  });
}

/** Sends what is typed, prints the answers; resolves with the exit status. */
export async function main(port: number): Promise<number> {
  const socket = dgram.createSocket("udp4");
  try {
    for await (const data of input("> ")) {
      if (!data) break;
      const answer = recvfrom(socket);
      socket.send(data, port, HOST);
      const reply = await answer;
      if (reply === null) {
        console.log(`\nno answer from ('${HOST}', ${port})`);
        return 1;
      }
      if (reply.length === 0) break;
      console.log(new TextDecoder().decode(reply));
    }
    return 0;
  } finally {
    socket.close();
  }
}

if (import.meta.main) Deno.exit(await main(Number(Deno.args[0] ?? "21567")));
