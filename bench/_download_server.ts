/**
 * The file server the download benchmark reads from, run in its own
 * process: serves one file at `/file` with Content-Length. Prints its
 * port on stdout, then serves until killed.
 *
 * Usage: deno run -A bench/_download_server.ts <path>
 *
 * @module
 */
const path = Deno.args[0];
if (!path) throw new TypeError("usage: _download_server.ts <path>");
const size = (await Deno.stat(path)).size;
const server = Deno.serve({
  hostname: "127.0.0.1",
  port: 0,
  onListen: () => {},
}, async () => {
  const file = await Deno.open(path, { read: true });
  return new Response(file.readable, {
    headers: {
      "content-length": String(size),
      "content-type": "application/octet-stream",
    },
  });
});
console.log(server.addr.port);
await server.finished;
