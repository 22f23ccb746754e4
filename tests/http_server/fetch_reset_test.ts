/**
 * What a response stream costs the fetch adapter (`serve --http2`) when its
 * client resets it or stops reading: an HTTP/2 client may open and reset
 * streams as fast as it can send frames (CVE-2023-44487, "Rapid Reset"),
 * or leave a hundred of them unread on one connection.
 */
import { deepEqual, equal, ok, rejects } from "node:assert/strict";
import { createFetchHandler } from "../../http_server/mod.ts";
import { OpenFile } from "../../http_server/_file_source.ts";
import {
  MemoryConnection,
  WRITE_PIECE,
} from "../../http_server/_memory_connection.ts";
import {
  ClientGone,
  ResponseAssembler,
} from "../../http_server/_wire_response.ts";
import { Logged } from "./_harness.ts";

const encoder = new TextEncoder();

/** Waits (10 ms at a time, 5 s at most) until `done()` holds. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("memory connection: a write takes one piece of 64 KiB at most, copied, as a socket takes what fits in its buffer", async () => {
  const taken: Uint8Array[] = [];
  async function* nothing(): AsyncGenerator<Uint8Array> {}
  const connection = new MemoryConnection(nothing(), {
    write: (bytes) => void taken.push(bytes),
    end() {},
  });
  const big = new Uint8Array(4 * WRITE_PIECE).fill(1);
  equal(await connection.write(big), WRITE_PIECE);
  equal(await connection.write(big.subarray(0, 10)), 10);
  big.fill(2); // the writer reuses its buffer
  deepEqual(taken.map((piece) => piece.length), [WRITE_PIECE, 10]);
  ok(taken.every((piece) => piece.every((byte) => byte === 1)));
});

Deno.test("fetch adapter: a write waiting for the client fails at once when the client goes away, not at the next write", async () => {
  const output = new ResponseAssembler(false);
  await output.write(
    encoder.encode("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\n"),
  );
  await output.response;
  const waiting = output.write(new Uint8Array(WRITE_PIECE));
  ok(waiting instanceof Promise, "a full queue makes the write wait");
  output.abort();
  await rejects(waiting, ClientGone);
});

Deno.test("fetch adapter: streams reset once their first bytes arrive cost one file read each, and their handlers stop (HTTP/2 Rapid Reset)", async () => {
  // A client that opens a stream for a large file and resets it once the
  // head and first bytes arrive, again and again, must not make each
  // handler read on: a stream cost three 256 KiB reads, and the handlers
  // of reset streams outnumbered the client's open streams many times.
  const streams = 20;
  const size = 4 * 1024 * 1024;
  let reads = 0;
  let running = 0;
  const file = {
    read(p: Uint8Array): Promise<number> {
      reads++;
      return Promise.resolve(p.length);
    },
    close() {},
  };
  class Download extends Logged {
    async do_GET(): Promise<void> {
      running++;
      try {
        this.send_response(200);
        this.send_header("Content-Length", String(size));
        this.end_headers();
        const source = new OpenFile(file as unknown as Deno.FsFile, 0, size);
        await source.copyTo(this.wfile);
      } finally {
        running--;
      }
    }
  }
  const fetchHandler = createFetchHandler(Download);
  for (let i = 0; i < streams; i++) {
    const res = await fetchHandler(new Request("http://localhost/big.bin"));
    const reader = res.body!.getReader();
    ok((await reader.read()).value!.length > 0);
    await reader.cancel();
  }
  await until(() => running === 0);
  equal(running, 0, "handlers still running");
  equal(reads, streams, "file reads");
});
