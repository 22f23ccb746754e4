/**
 * The chat server of the socket tutorials (exercise 16-9 of "Core Python
 * Programming"), on `socketserver`: a `ThreadingTCPServer` serves every
 * client at once. A client first sends its user name; a name already in
 * use gets `reuse` and is dropped, a new one gets `success`. Each line a
 * client sends then goes to every other client as `[ctime] name: text`;
 * `quit` is echoed back and ends the session. Talk to it with
 * `chat_client.ts`.
 *
 * Run it from a checkout (port 0 picks a free one):
 *
 * ```sh
 * deno run --allow-net examples/chat_server.ts [port]
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net jsr:@pyport/web/examples/chat_server [port]
 * ```
 *
 * It listens on 127.0.0.1 port 21567 (the original bound every interface)
 * and prints what the original prints: `waiting for connection...`,
 * `...connected from: ('127.0.0.1', 51234)` (the original's typo, "romt",
 * fixed), `用户 alice 登录成功` once a new name has logged in (the original
 * printed it for a refused name too) and `received from [ alice  ]-- hello`
 * for each message, after a first `Listening on ('127.0.0.1', 21567)` line
 * that tells you the port. Ctrl-C stops it.
 *
 * Where the original used one thread per client and raw `recv()` chunks
 * as messages, this uses `ThreadingTCPServer` (one task per client) and one
 * line per message, so that two quick messages cannot run together. So it
 * talks to `chat_client.ts`, not to the original's client, which sends no
 * line ends (nor does that client understand this server's lines).
 *
 * @module
 */
import {
  type Address,
  type StreamConnection,
  StreamRequestHandler,
  ThreadingTCPServer,
} from "@pyport/web/socketserver";
import { addressRepr, ctime } from "./_socket_tutorial.ts";

const decoder = new TextDecoder();

/** One handler per connected client; `clients` maps user names to them. */
export class ChatHandler extends StreamRequestHandler {
  /** Everyone logged in, by user name (the original's `clients` dict). */
  static clients: Map<string, ChatHandler> = new Map();
  /** How long a client may take nothing of what the room says before it is dropped. */
  static slowReaderMs = 10_000;
  /** Whether the room dropped this client for not reading. */
  #dropped = false;

  /**
   * Sends `line` to this client, waiting while it is slow to read (as
   * Python's blocking `sendall` does, rather than keeping all the room says
   * for it); one that takes nothing for `slowReaderMs` is dropped, so that
   * it cannot hold up the room. A client already gone is skipped.
   */
  async #deliver(line: string): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      this.wfile.write(line);
      const slow = new Promise<"slow">((resolve) => {
        timer = setTimeout(() => resolve("slow"), ChatHandler.slowReaderMs);
      });
      if (await Promise.race([this.wfile.drain(), slow]) === "slow") {
        console.log(
          `dropping ${addressRepr(this.client_address)}: not reading`,
        );
        this.#dropped = true;
        this.connection.close();
      }
    } catch {
      // Gone already: its own task removes it from the room.
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads one line without its line ending; `null` when the client left. */
  async #receive(): Promise<string | null> {
    let line: Uint8Array;
    try {
      line = await this.rfile.readline(1024);
    } catch (error) {
      // Dropped for not reading (its connection closed here): it left.
      if (this.#dropped) return null;
      throw error;
    }
    return line.length === 0
      ? null
      : decoder.decode(line).replace(/\r?\n$/, "");
  }

  /** Logs the client in, then relays its lines until `quit` or it leaves. */
  override async handle(): Promise<void> {
    console.log(`...connected from: ${addressRepr(this.client_address)}`);
    const clients = ChatHandler.clients;
    const username = await this.#receive();
    if (username === null) return;
    if (clients.has(username)) {
      this.wfile.write("reuse\n");
      return;
    }
    console.log(`用户 ${username} 登录成功`);
    this.wfile.write("success\n");
    clients.set(username, this);
    try {
      let data: string | null;
      while ((data = await this.#receive()) !== null) {
        console.log(`received from [ ${username}  ]-- ${data}`);
        if (data === "quit") {
          this.wfile.write("quit\n");
          break;
        }
        const line = `[${ctime()}] ${username}: ${data}\n`;
        const others = [...clients.values()].filter((c) => c !== this);
        await Promise.all(others.map((other) => other.#deliver(line)));
      }
    } finally {
      clients.delete(username);
    }
  }
}

/** The threading server, saying when it waits for the next client. */
export class ChatServer extends ThreadingTCPServer {
  /** Starts the client's task, then goes back to accepting, as the original's loop. */
  override async process_request(
    request: StreamConnection,
    client_address: Address,
  ): Promise<void> {
    await super.process_request(request, client_address);
    console.log("waiting for connection...");
  }
}

if (import.meta.main) {
  const port = Number(Deno.args[0] ?? "21567");
  const server = new ChatServer(["127.0.0.1", port], ChatHandler);
  console.log(`Listening on ${addressRepr(server.server_address)}`);
  console.log("waiting for connection...");
  Deno.addSignalListener("SIGINT", () => {
    console.log("\nKeyboard interrupt received, exiting.");
    Deno.exit(0);
  });
  await server.serve_forever();
}
