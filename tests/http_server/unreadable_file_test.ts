import { equal, match, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { SimpleHTTPRequestHandler } from "../../http_server/mod.ts";
import { withHTTPServer } from "../_server.ts";
import { haveCommand } from "../_command.ts";

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

/** Set in the copy of this file run without root's reading capabilities. */
const CHILD = "PYPORT_UNREADABLE_CHILD";
/** The capabilities that let root read a file of mode 000. */
const READ_ANY = "-dac_override,-dac_read_search";
const applies = mode000Applies();

Deno.test({
  name:
    "SimpleHTTPRequestHandler: a file it may not read is 404 File not found, as Python's open raising is (not 500 'File changed')",
  // Mode 000 does not stop root: the test below runs this file again
  // without the capabilities that let root read any file.
  ignore: !applies,
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

Deno.test({
  name:
    "SimpleHTTPRequestHandler: a folder it may not read is 404 No permission to list directory, as in Python (CPython's test_get), and is listed again once readable",
  ignore: !applies,
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pyport_unlistable_" });
    try {
      await Deno.mkdir(`${dir}/locked`);
      await Deno.writeTextFile(`${dir}/locked/f.txt`, "inside");
      for (const cache of [false, true]) {
        await withHTTPServer(
          Quiet.partial({ directory: dir, cache }),
          async (base) => {
            const get = async (path: string) => {
              const res = await fetch(`${base}${path}`, { redirect: "manual" });
              return [res.status, await res.text()] as const;
            };
            const where = `cache=${cache}`;
            // Read once while readable: nothing of it may be kept.
            equal((await get("/locked/"))[0], 200, where);
            await Deno.chmod(`${dir}/locked`, 0o000);
            try {
              const [status, body] = await get("/locked/");
              equal(status, 404, where);
              match(body, /No permission to list directory/, where);
              equal((await get("/locked/f.txt"))[0], 404, where);
              // The folder itself can still be looked at: the redirect.
              equal((await get("/locked"))[0], 301, where);
            } finally {
              await Deno.chmod(`${dir}/locked`, 0o755);
            }
            const [status, body] = await get("/locked/");
            equal(status, 200, where);
            match(body, /f\.txt/, where);
          },
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "as root: the tests above, run again without the capabilities that read any file",
  ignore: applies || Deno.build.os !== "linux" || Deno.uid() !== 0 ||
    Deno.env.get(CHILD) !== undefined || !haveCommand("setpriv", ["--version"]),
  async fn() {
    const out = await new Deno.Command("setpriv", {
      args: [
        `--inh-caps=${READ_ANY}`,
        `--bounding-set=${READ_ANY}`,
        Deno.execPath(),
        "test",
        "-A",
        "--config",
        fileURLToPath(new URL("../../deno.json", import.meta.url)),
        fileURLToPath(import.meta.url),
      ],
      env: { [CHILD]: "1", NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout) +
      new TextDecoder().decode(out.stderr);
    ok(out.success, text);
    // The tests ran there (mode 000 applied), not skipped.
    match(text, /ok \| 2 passed \| 0 failed \| 1 ignored/, text);
  },
});
