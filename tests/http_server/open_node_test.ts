/**
 * Opening without following links (`_open_node.ts`), on a real temporary
 * tree: what it opens, what it refuses, and that the alias keeps naming
 * the file opened whatever happens to its path.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { nodeOpenWorks, openLinkFree } from "../../http_server/_open_node.ts";
import { SERVE_TS, spawnServer } from "./_diff_server.ts";

const LINUX = Deno.build.os === "linux";

async function withTree(
  use: (root: string) => Promise<void> | void,
): Promise<void> {
  const root = await Deno.realPath(await Deno.makeTempDir());
  try {
    await Deno.mkdir(`${root}/sub`);
    await Deno.writeTextFile(`${root}/sub/file.txt`, "inside");
    await Deno.writeTextFile(`${root}/other.txt`, "other");
    await Deno.symlink(`${root}/sub`, `${root}/alias`);
    await Deno.symlink("other.txt", `${root}/link.txt`);
    await use(root);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

Deno.test({
  name: "openLinkFree: works on Linux with FFI",
  ignore: !LINUX,
  fn() {
    // Linux 5.6 and glibc 2.28 are older than anything Deno 2 runs on.
    ok(nodeOpenWorks());
  },
});

Deno.test({
  name:
    "openLinkFree: opens plain paths (files, folders) with Deno's identity, refuses any link on the way and missing names",
  ignore: !LINUX,
  async fn() {
    await withTree((root) => {
      const file = openLinkFree(`${root}/sub/file.txt`)!;
      try {
        const info = Deno.statSync(`${root}/sub/file.txt`);
        ok(file.isFile && !file.isDirectory);
        equal(file.ino, info.ino);
        equal(file.dev, info.dev);
        equal(Deno.readTextFileSync(file.alias), "inside");
      } finally {
        file.close();
      }
      using folder = openLinkFree(`${root}/sub`)!;
      ok(folder.isDirectory && !folder.isFile);
      deepEqual([...Deno.readDirSync(folder.alias)].map((e) => e.name), [
        "file.txt",
      ]);
      equal(openLinkFree(`${root}/alias/file.txt`), null, "a folder link");
      equal(openLinkFree(`${root}/link.txt`), null, "a link itself");
      equal(openLinkFree(`${root}/missing.txt`), null, "missing");
      equal(openLinkFree(`${root}/sub/file.txt/`), null, "a file as folder");
    });
  },
});

Deno.test({
  name:
    "openLinkFree: a file reads like Deno.FsFile's readSync and seekSync, and becomes one",
  ignore: !LINUX,
  async fn() {
    await withTree((root) => {
      const node = openLinkFree(`${root}/sub/file.txt`)!;
      try {
        const buffer = new Uint8Array(4);
        equal(node.readSync(buffer), 4);
        equal(new TextDecoder().decode(buffer), "insi");
        equal(node.readSync(buffer), 2);
        equal(node.readSync(buffer), null);
        equal(node.seekSync(2, Deno.SeekMode.Start), 2);
        equal(node.readSync(buffer.subarray(0, 3)), 3);
        equal(new TextDecoder().decode(buffer.subarray(0, 3)), "sid");
      } catch (error) {
        node.close();
        throw error;
      }
      using file = node.toFsFile();
      const whole = new Uint8Array(16);
      equal(file.readSync(whole), 6);
      equal(new TextDecoder().decode(whole.subarray(0, 6)), "inside");
      let closed = false;
      try {
        node.readSync(whole);
      } catch {
        closed = true;
      }
      ok(closed, "the node is closed once it became a Deno.FsFile");
    });
  },
});

Deno.test({
  name:
    "openLinkFree: the alias names the file opened after its path is swapped for a link",
  ignore: !LINUX,
  async fn() {
    await withTree((root) => {
      using node = openLinkFree(`${root}/sub/file.txt`)!;
      Deno.renameSync(`${root}/sub`, `${root}/sub.away`);
      Deno.symlinkSync(`${root}/other.txt`, `${root}/sub`);
      equal(Deno.readTextFileSync(node.alias), "inside");
      equal(openLinkFree(`${root}/sub/file.txt`), null);
    });
  },
});

Deno.test({
  name:
    "openLinkFree: a FIFO is named, not opened for reading (which would block)",
  ignore: !LINUX,
  async fn() {
    await withTree(async (root) => {
      const made = await new Deno.Command("mkfifo", {
        args: [`${root}/pipe`],
      }).output();
      equal(made.code, 0);
      using node = openLinkFree(`${root}/pipe`)!;
      ok(node !== null && !node.isFile && !node.isDirectory);
    });
  },
});

Deno.test({
  name:
    "openLinkFree: closing twice never closes a descriptor opened since under the same number",
  ignore: !LINUX,
  async fn() {
    await withTree((root) => {
      const first = openLinkFree(`${root}/other.txt`)!;
      first.close();
      using second = openLinkFree(`${root}/sub/file.txt`)!;
      first.close();
      equal(Deno.readTextFileSync(second.alias), "inside");
    });
  },
});

Deno.test({
  name:
    "serve with FFI but short of -A (Deno then refuses the alias): files of every size, HEAD and listings are served by name",
  ignore: !LINUX,
  async fn() {
    await withTree(async (root) => {
      await Deno.writeFile(`${root}/big.bin`, new Uint8Array(70_000));
      await using server = await spawnServer("ours", Deno.execPath(), [
        "run",
        "--allow-read",
        "--allow-net=127.0.0.1",
        "--allow-ffi",
        SERVE_TS,
        "0",
        "-b",
        "127.0.0.1",
        "-d",
        root,
        "--no-cache",
      ]);
      const base = `http://127.0.0.1:${server.port}`;
      const big = await fetch(`${base}/big.bin`);
      equal(big.status, 200);
      equal((await big.bytes()).length, 70_000);
      const listing = await fetch(`${base}/`);
      equal(listing.status, 200);
      ok((await listing.text()).includes('href="big.bin"'));
      const head = await fetch(`${base}/other.txt`, { method: "HEAD" });
      equal(head.status, 200);
      equal(head.headers.get("content-length"), "5");
      equal(await (await fetch(`${base}/sub/file.txt`)).text(), "inside");
      ok(!server.stderr().includes("Traceback"), server.stderr());
    });
  },
});
