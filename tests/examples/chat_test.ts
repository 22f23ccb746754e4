/**
 * examples/chat_server.ts and examples/chat_client.ts, run as their
 * headers say: two clients see each other's messages through the
 * ThreadingTCPServer, a third with a name in use is turned away, `quit`
 * and the end of input both leave, Ctrl-C stops the server.
 */
import { equal, match, ok } from "node:assert/strict";
import { runExample, startExample } from "./_run.ts";
import { deadline } from "../_server.ts";
import { ctime } from "../../examples/_socket_tutorial.ts";
import { ChatHandler, ChatServer } from "../../examples/chat_server.ts";

const STAMP = String.raw`\[\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\]`;

Deno.test("chat: alice and bob see each other's messages; a second alice is refused", async () => {
  await using server = startExample("chat_server.ts", ["0"]);
  const [, port] = await server.waitFor(
    /^Listening on \('127\.0\.0\.1', (\d+)\)\nwaiting for connection\.\.\.\n/,
  );
  await using alice = startExample("chat_client.ts", ["-u", "alice", port!], {
    interactive: true,
  });
  await alice.waitFor(/^用户 alice 成功登录\n> /);
  await using bob = startExample(
    "chat_client.ts",
    ["--username", "bob", port!],
    {
      interactive: true,
    },
  );
  await bob.waitFor(/^用户 bob 成功登录\n> /);
  await server.waitFor(/用户 bob 登录成功\n/);

  const again = await runExample("chat_client.ts", ["-u", "alice", port!]);
  equal(again.code, 1, again.stderr);
  equal(again.stdout, "用户已经 alice 登录\n");

  await alice.type("hello bob\n");
  await bob.waitFor(
    new RegExp(`received from server ${STAMP} alice: hello bob\n`),
  );
  await bob.type("hi alice\n");
  await alice.waitFor(
    new RegExp(`received from server ${STAMP} bob: hi alice\n`),
  );
  // An empty line sends nothing, as the original's send(b"").
  await alice.type("\nstill here\n");
  await bob.waitFor(
    new RegExp(`received from server ${STAMP} alice: still here\n`),
  );
  ok(!/alice: \n/.test(bob.stdout), bob.stdout);

  await alice.type("quit\n");
  const a = await alice.exited();
  equal(a.code, 0, a.stderr);
  ok(!a.stdout.includes("alice: hello bob"), "nobody hears themselves");
  await bob.endInput(); // Ctrl-D: bob leaves too
  const b = await bob.exited();
  equal(b.code, 0, b.stderr);

  const s = await server.stop();
  equal(s.code, 0, s.stderr);
  for (
    const line of [
      /\.\.\.connected from: \('127\.0\.0\.1', \d+\)\n/,
      /用户 alice 登录成功\n/,
      /received from \[ alice {2}\]-- hello bob\n/,
      /received from \[ bob {2}\]-- hi alice\n/,
      /received from \[ alice {2}\]-- quit\n/,
      /received from \[ bob {2}\]-- quit\n/,
      /\nKeyboard interrupt received, exiting\.\n$/,
    ]
  ) match(s.stdout, line);
});

Deno.test("chat_client.ts: a server that gives no chat answer is said to have closed, not to know the name", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closing = (async () => {
    const conn = await listener.accept();
    await conn.read(new Uint8Array(64)); // the name
    conn.close();
  })();
  try {
    const out = await runExample("chat_client.ts", [
      "-ualice", // getopt's form
      String(listener.addr.port),
    ]);
    equal(out.code, 1, out.stderr);
    equal(out.stdout, "the server closed the connection\n");
  } finally {
    // A client that never connected leaves accept() waiting: closing the
    // listener ends it.
    listener.close();
    await closing.catch(() => {});
  }
});

Deno.test("chat_client.ts -h prints the help; an unknown option is refused", async () => {
  const help = await runExample("chat_client.ts", ["-h"]);
  equal(help.code, 0);
  match(
    help.stdout,
    /^chat_client\.ts \[ -h \| --help \| -u NAME \| --username NAME\] \[port\]/,
  );
  const bad = await runExample("chat_client.ts", ["--nope"]);
  equal(bad.code, 2);
  match(bad.stdout, /^未知选项 --nope\n/);
});

Deno.test("the tutorial's ctime() writes Python's time.ctime() format, with C's English names", () => {
  equal(ctime(new Date(2024, 10, 25, 16, 6, 0)), "Mon Nov 25 16:06:00 2024");
  equal(ctime(new Date(2026, 0, 4, 9, 5, 7)), "Sun Jan  4 09:05:07 2026");
});

Deno.test(
  "chat: a client that stops reading is dropped after slowReaderMs; the room goes on",
  deadline(async () => {
    const logged: string[] = [];
    const log = console.log;
    console.log = (...args: unknown[]) => void logged.push(args.join(" "));
    ChatHandler.slowReaderMs = 200;
    const server = new ChatServer(["127.0.0.1", 0], ChatHandler);
    const serving = server.serve_forever(0.05);
    const [host, port] = server.server_address;
    // Closed at the end however the test goes: the server's close waits
    // for the clients' tasks.
    const conns: Deno.Conn[] = [];
    const join = async (name: string) => {
      const conn = await Deno.connect({ hostname: host, port });
      conns.push(conn);
      await conn.write(encoder.encode(`${name}\n`));
      equal(await readLine(conn), "success\n");
      return conn;
    };
    try {
      const alice = await join("alice"); // logs in, then never reads
      const bob = await join("bob");
      // Far more than the kernel buffers toward alice hold.
      const line = encoder.encode(`${"x".repeat(999)}\n`);
      const flood = new Uint8Array(line.length * 8192);
      for (let i = 0; i < 8192; i++) flood.set(line, i * line.length);
      const flooding = bob.write(flood).then(async (n) => {
        let sent = n;
        while (sent < flood.length) {
          sent += await bob.write(flood.subarray(sent));
        }
      });
      const alicePort = (alice.localAddr as Deno.NetAddr).port;
      const dropped = `dropping ('127.0.0.1', ${alicePort}): not reading`;
      const until = Date.now() + 10_000;
      while (!logged.includes(dropped) && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      ok(logged.includes(dropped), logged.slice(-3).join("\n"));
      await flooding;
      // The room has relayed all of bob's flood (sent is not yet read).
      await bob.write(encoder.encode("done\n"));
      const relayed = "received from [ bob  ]-- done";
      while (!logged.includes(relayed)) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const carol = await join("carol");
      await bob.write(encoder.encode("hi carol\n"));
      match(await readLine(carol), /\] bob: hi carol\n$/);
      // What alice's buffers held still arrives, then the end.
      const buffer = new Uint8Array(65536);
      while ((await alice.read(buffer)) !== null);
    } finally {
      for (const conn of conns) conn.close();
      server.shutdown();
      await serving;
      await server.server_close();
      console.log = log;
      ChatHandler.slowReaderMs = 10_000;
    }
  }, 20_000),
);

const encoder = new TextEncoder();

/** Reads from `conn` one byte at a time up to a line end (test sizes only). */
async function readLine(conn: Deno.Conn): Promise<string> {
  const bytes: number[] = [];
  const one = new Uint8Array(1);
  while (bytes.at(-1) !== 10 && (await conn.read(one)) === 1) {
    bytes.push(one[0]!);
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}
