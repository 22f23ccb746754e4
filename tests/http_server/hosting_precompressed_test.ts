/**
 * `--precompressed`: the type sent with `x.gz` / `x.br` is `x`'s, charset
 * included, as `x` itself would be sent.
 */
import { equal } from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { HostingHTTPRequestHandler } from "../../http_server/mod.ts";
import { fetchFrom } from "./_harness.ts";

class Quiet extends HostingHTTPRequestHandler {
  override log_message(): void {}
}

Deno.test("--precompressed: a Latin-1 x is not labelled UTF-8 because x.gz is sent in its place", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pyport_precompressed_" });
  try {
    const latin1 = new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]); // "café\n"
    const utf8 = new TextEncoder().encode("café\n");
    await Deno.writeFile(`${dir}/latin.txt`, latin1);
    await Deno.writeFile(`${dir}/latin.txt.gz`, gzipSync(latin1));
    await Deno.writeFile(`${dir}/utf8.txt`, utf8);
    await Deno.writeFile(`${dir}/utf8.txt.gz`, gzipSync(utf8));
    const Handler = Quiet.partial({ directory: dir, precompressed: true });
    for (const name of ["latin.txt", "utf8.txt"]) {
      const plain = await fetchFrom(Handler, `/${name}`, {
        headers: { "Accept-Encoding": "identity" },
      });
      await plain.body?.cancel();
      const gz = await fetchFrom(Handler, `/${name}`, {
        headers: { "Accept-Encoding": "gzip" },
      });
      await gz.body?.cancel();
      equal(gz.headers.get("content-encoding"), "gzip");
      equal(
        gz.headers.get("content-type"),
        plain.headers.get("content-type"),
        name,
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
