/**
 * The chat client of the socket tutorials (exercise 16-9 of "Core Python
 * Programming"), for `chat_server.ts`: logs in with a user name, then sends
 * each line you type and prints each line the server relays, both at once
 * (the original ran a sending and a receiving thread). `quit` leaves; so
 * does the end of input (Ctrl-D).
 *
 * Start `chat_server.ts` first, then run it from a checkout, once per
 * person:
 *
 * ```sh
 * deno run --allow-net examples/chat_client.ts [-u NAME | --username NAME] [port]
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net jsr:@pyport/web/examples/chat_client [-u NAME] [port]
 * ```
 *
 * The name defaults to `join`, as in the original. It prints
 * `用户 alice 成功登录` once logged in, `> ` before each line you type, and
 * `received from server [Mon Nov 25 16:06:00 2024] bob: hi` for what others
 * say; an empty line sends nothing. A name already in use prints
 * `用户已经 alice 登录` and exits with status 1, as does a server that gives
 * no chat answer (the original said nothing then); `-h` prints the help.
 * Messages are lines (see `chat_server.ts`), so it talks to that server,
 * not to the original's, which reads raw chunks; nor does it echo back what
 * you send, or print the name first, as the original did.
 *
 * @module
 */
import { input } from "./_socket_tutorial.ts";

const HOST = "127.0.0.1";
const HELP = [
  "chat_client.ts [ -h | --help | -u NAME | --username NAME] [port]",
  "\t-h or --help\t显示帮助信息",
  "\t-u or --username\t指定用户名",
].join("\n");

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The user name and port from the command line, or a usage error. */
function parseArgs(
  args: string[],
): { username: string; port: number } | string | null {
  let username = "join";
  let port = 21567;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === "-h" || arg === "--help") return null;
    if (arg === "-u" || arg === "--username") {
      const value = args[++i];
      if (!value) return `option ${arg} requires an argument`;
      username = value;
    } else if (arg.startsWith("--username=")) {
      username = arg.slice("--username=".length);
    } else if (arg.startsWith("-u") && arg.length > 2) {
      username = arg.slice(2); // getopt's -uNAME
    } else if (/^\d+$/.test(arg)) port = Number(arg);
    else return `未知选项 ${arg}`;
  }
  return { username, port };
}

/** Lines from the server, without their newline. */
async function* serverLines(conn: Deno.Conn): AsyncGenerator<string> {
  // The start of the current line, in pieces: a long line is joined once,
  // when its end arrives, not copied again with every piece.
  let parts: string[] = [];
  const buffer = new Uint8Array(1024);
  while (true) {
    const n = await conn.read(buffer).catch(() => null);
    if (n === null) {
      // The server closed mid-line: what came is still shown.
      if (parts.length > 0) yield parts.join("");
      return;
    }
    let text = decoder.decode(buffer.subarray(0, n), { stream: true });
    let newline: number;
    while ((newline = text.indexOf("\n")) !== -1) {
      parts.push(text.slice(0, newline));
      yield parts.join("");
      parts = [];
      text = text.slice(newline + 1);
    }
    if (text !== "") parts.push(text);
  }
}

async function send(conn: Deno.Conn, line: string): Promise<void> {
  const bytes = encoder.encode(`${line}\n`);
  for (let sent = 0; sent < bytes.length;) {
    sent += await conn.write(bytes.subarray(sent));
  }
}

/** Logs in and chats; resolves with the exit status. */
export async function main(args: string[]): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed !== "object" || parsed === null) {
    if (parsed) console.log(parsed);
    console.log(HELP);
    return parsed ? 2 : 0;
  }
  const { username, port } = parsed;
  using conn = await Deno.connect({ hostname: HOST, port });
  await send(conn, username);
  const lines = serverLines(conn);
  const answer = (await lines.next()).value;
  if (answer === "reuse") {
    console.log(`用户已经 ${username} 登录`);
    return 1;
  }
  if (answer !== "success") {
    // Not this chat server, or it closed: the original said nothing.
    console.log(
      answer === undefined
        ? "the server closed the connection"
        : `unexpected answer from the server: ${answer}`,
    );
    return 1;
  }
  console.log(`用户 ${username} 成功登录`);
  // The original's two threads: one receives, one sends what is typed.
  const receiving = (async () => {
    for await (const data of lines) {
      if (data === "quit") return;
      console.log(`received from server ${data}`);
    }
  })();
  (async () => {
    for await (const data of input("> ")) {
      // The original's send(b"") of an empty line puts nothing on the wire.
      if (data === "") continue;
      await send(conn, data);
      if (data === "quit") return;
    }
    await send(conn, "quit"); // end of input: leave politely
  })().catch(() => {}); // the server is gone: receiving ends too
  // Done when the server answers quit, or closes.
  await receiving;
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
