/**
 * examples/download.ts: the file arrives whole, the progress bar is one
 * line redrawn with `\r`, and short or failed downloads exit 1.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { runExample, serveLocal } from "./_run.ts";

const SIZE = 200_000;
const BODY = new Uint8Array(SIZE).map((_, i) => (i * 7) & 0xff);

function site() {
  return serveLocal((req) => {
    const path = new URL(req.url).pathname;
    if (path === "/files/data.bin") {
      return new Response(BODY, {
        headers: { "content-type": "application/octet-stream" },
      });
    }
    if (path === "/stream") {
      // Chunked: no Content-Length, so urlretrieve reports totalsize -1.
      let sent = 0;
      return new Response(
        new ReadableStream<Uint8Array>({
          pull(controller) {
            if (sent >= SIZE) return controller.close();
            controller.enqueue(BODY.slice(sent, sent + 50_000));
            sent += 50_000;
          },
        }),
        { headers: { "content-type": "text/plain" } },
      );
    }
    return new Response("no such file", { status: 404 });
  });
}

Deno.test("download.ts saves the file and draws a percent bar on one line", async () => {
  await using s = site();
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/copy.bin`;
    // The header's --allow-write=. and --allow-read=. cover the folder.
    const { code, stdout, stderr } = await runExample("download.ts", [
      `${s.url}/files/data.bin`,
      file,
    ], { cwd: dir });
    equal(code, 0, stderr);
    equal(
      stdout,
      `saved ${s.url}/files/data.bin to ${file} (${SIZE} bytes, application/octet-stream)\n`,
    );
    deepEqual(await Deno.readFile(file), BODY);
    // Every redraw starts with \r and the line ends once, at the end.
    ok(stderr.startsWith("\r["), JSON.stringify(stderr));
    ok(
      stderr.endsWith("\n") && !stderr.slice(0, -1).includes("\n"),
      JSON.stringify(stderr),
    );
    const frames = stderr.slice(1, -1).split("\r").map((f) => f.trimEnd());
    match(frames[0] ?? "", /^\[-{10,}\]\s+0\.0% {2}0 B \/ 195\.3 KiB {2}/);
    match(
      frames.at(-1) ?? "",
      /^\[#{10,}\] 100\.0% {2}195\.3 KiB \/ 195\.3 KiB {2}[\d.]+ \S*B\/s$/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download.ts without a size shows bytes and speed; FILE defaults to the URL's name", async () => {
  await using s = site();
  const dir = await Deno.makeTempDir();
  try {
    const { code, stdout, stderr } = await runExample("download.ts", [
      `${s.url}/stream`,
    ], {
      cwd: dir,
    });
    equal(code, 0, stderr);
    equal(
      stdout,
      `saved ${s.url}/stream to stream (${SIZE} bytes, text/plain)\n`,
    );
    deepEqual(await Deno.readFile(`${dir}/stream`), BODY);
    ok(!stderr.includes("%"), JSON.stringify(stderr));
    const frames = stderr.slice(1, -1).split("\r").map((f) => f.trimEnd());
    match(frames.at(-1) ?? "", /^195\.3 KiB {2}[\d.]+ \S*B\/s$/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download.ts exits 1 when the body is shorter than its Content-Length", async () => {
  // A raw socket: Deno.serve would not send a lying Content-Length.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const served = (async () => {
    const conn = await listener.accept();
    try {
      const buf = new Uint8Array(4096);
      await conn.read(buf);
      await conn.write(new TextEncoder().encode(
        "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nConnection: close\r\n\r\nonly this",
      ));
    } finally {
      conn.close();
    }
  })();
  const dir = await Deno.makeTempDir();
  try {
    const { code, stdout, stderr } = await runExample("download.ts", [
      `http://127.0.0.1:${port}/short.txt`,
      `${dir}/short.txt`,
    ], { cwd: dir });
    equal(code, 1);
    equal(stdout, "");
    ok(
      stderr.includes(
        "download incomplete: retrieval incomplete: got only 9 out of 1000 bytes",
      ),
      stderr,
    );
    // The bar never said 100%: the hook counts blocks, not bytes.
    ok(!stderr.includes("100.0%"), JSON.stringify(stderr));
  } finally {
    await served;
    listener.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download.ts and scrape_links.ts: a server that closes without answering is one line and exit 1, not a stack trace", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  const served = (async () => {
    for (let i = 0; i < 2; i++) {
      const conn = await listener.accept();
      await conn.read(new Uint8Array(4096));
      conn.close();
    }
  })();
  const dir = await Deno.makeTempDir();
  try {
    const url = `http://127.0.0.1:${port}/x.bin`;
    for (
      const [example, args, said] of [
        ["download.ts", [url, `${dir}/x.bin`], `cannot download ${url}: `],
        ["scrape_links.ts", [url], `${url}: cannot fetch: `],
      ] as const
    ) {
      const { code, stderr } = await runExample(example, [...args]);
      equal(code, 1, stderr);
      ok(
        stderr.includes(
          `${said}RemoteDisconnected: Remote end closed connection without response\n`,
        ),
        stderr,
      );
      ok(!stderr.includes("Uncaught"), stderr);
    }
  } finally {
    await served;
    listener.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("download.ts exits 1 on an HTTP error, 2 without a URL", async () => {
  await using s = site();
  const dir = await Deno.makeTempDir();
  try {
    const missing = await runExample("download.ts", [
      `${s.url}/nope.zip`,
      `${dir}/x`,
    ]);
    equal(missing.code, 1);
    ok(missing.stderr.includes("HTTP Error 404: Not Found"), missing.stderr);
    const usage = await runExample("download.ts", []);
    equal(usage.code, 2);
    ok(usage.stderr.startsWith("usage: download.ts URL [FILE]"), usage.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
