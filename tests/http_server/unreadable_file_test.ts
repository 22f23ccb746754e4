import { equal, match } from "node:assert/strict";
import { SimpleHTTPRequestHandler } from "../../http_server/mod.ts";
import { withHTTPServer } from "../_server.ts";

class Quiet extends SimpleHTTPRequestHandler {
  override log_message(): void {}
}

/** Whether mode 000 stops this process (not root with CAP_DAC_OVERRIDE). */
function mode000Applies(): boolean {
  if (Deno.build.os === "windows") return false;
  const dir = Deno.makeTempDirSync({ prefix: "pyport_mode000_" });
  try {
    Deno.writeTextFileSync(`${dir}/f`, "x");
    Deno.chmodSync(`${dir}/f`, 0o000);
    try {
      Deno.readFileSync(`${dir}/f`);
      return false;
    } catch {
      return true;
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test({
  name:
    "SimpleHTTPRequestHandler: a file it may not read is 404 File not found, as Python's open raising is (not 500 'File changed')",
  // Mode 000 does not stop root: run as another user, or as root without
  // CAP_DAC_OVERRIDE (setpriv --inh-caps=-dac_override,-dac_read_search
  // --bounding-set=-dac_override,-dac_read_search deno test -A …).
  ignore: !mode000Applies(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pyport_unreadable_" });
    try {
      await Deno.writeTextFile(`${dir}/small.txt`, "secret");
      await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(300_000));
      await Deno.mkdir(`${dir}/site`);
      await Deno.writeTextFile(`${dir}/site/index.html`, "<p>x</p>");
      for (const name of ["small.txt", "big.bin", "site/index.html"]) {
        await Deno.chmod(`${dir}/${name}`, 0o000);
      }
      for (const cache of [false, true]) {
        for (const follow_symlinks of [false, true]) {
          const Handler = Quiet.partial({
            directory: dir,
            cache,
            follow_symlinks,
          });
          await withHTTPServer(Handler, async (base) => {
            for (const path of ["/small.txt", "/big.bin", "/site/"]) {
              const res = await fetch(`${base}${path}`);
              const body = await res.text();
              const where = `${path} cache=${cache} follow=${follow_symlinks}`;
              equal(res.status, 404, where);
              match(body, /File not found/, where);
            }
          });
        }
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
