/**
 * The file server the download benchmark reads from, run in its own
 * process: answers every request on a raw TCP socket with the file and a
 * Content-Length, read and sent 1 MiB at a time, so that the server is
 * not what limits the clients being compared. Prints its port on
 * stdout, then serves until killed.
 *
 * Usage: deno run -A bench/_download_server.ts <path>
 *
 * @module
 */

async function writeAll(conn: Deno.Conn, data: Uint8Array): Promise<void> {
  let at = 0;
  while (at < data.length) at += await conn.write(data.subarray(at));
}

async function serve(
  conn: Deno.Conn,
  path: string,
  size: number,
): Promise<void> {
  const buf = new Uint8Array(1 << 20);
  try {
    let head = "";
    while (!head.includes("\r\n\r\n")) {
      const n = await conn.read(buf);
      if (n === null) return;
      head += new TextDecoder().decode(buf.subarray(0, n));
    }
    await writeAll(
      conn,
      new TextEncoder().encode(
        `HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: ${size}\r\nConnection: close\r\n\r\n`,
      ),
    );
    using file = await Deno.open(path, { read: true });
    while (true) {
      const n = await file.read(buf);
      if (n === null) break;
      await writeAll(conn, buf.subarray(0, n));
    }
  } catch {
    // The client went away.
  } finally {
    conn.close();
  }
}

if (import.meta.main) {
  const path = Deno.args[0];
  if (!path) throw new TypeError("usage: _download_server.ts <path>");
  const size = (await Deno.stat(path)).size;
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  console.log((listener.addr as Deno.NetAddr).port);
  for await (const conn of listener) serve(conn, path, size);
}
