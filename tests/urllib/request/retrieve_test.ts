import { deepEqual, equal, match, ok, rejects } from "node:assert/strict";
import { urlcleanup, urlretrieve } from "../../../urllib/request/mod.ts";
import { ContentTooShortError, IncompleteRead } from "../../../urllib/error.ts";
import { startRaw, startSite } from "./_site.ts";
import { runScript } from "../../_deno_script.ts";

Deno.test("urlretrieve streams to a temp file and reports 8192-byte blocks", async () => {
  await using site = startSite();
  const calls: [number, number, number][] = [];
  const [path, headers] = await urlretrieve(`${site.base}/bytes/20000`, {
    reporthook: (n, bs, total) => calls.push([n, bs, total]),
  });
  try {
    equal(headers?.get("content-length"), "20000");
    const data = await Deno.readFile(path);
    equal(data.length, 20000);
    equal(data[19999], 19999 % 251);
    // Python's blocks are reads of up to 8192 bytes: 8192, 8192, 3616.
    deepEqual(calls, [[0, 8192, 20000], [1, 8192, 20000], [2, 8192, 20000], [
      3,
      8192,
      20000,
    ]]);
  } finally {
    await urlcleanup();
  }
  await rejects(Deno.stat(path), Deno.errors.NotFound);
});

Deno.test("urlretrieve to a named file, size -1 when unknown", async () => {
  await using site = startSite();
  const dir = await Deno.makeTempDir();
  try {
    const calls: number[] = [];
    const target = `${dir}/out.txt`;
    const [path] = await urlretrieve(
      `${site.base}/stream`,
      target,
      (_n, _bs, total) => calls.push(total),
    );
    equal(path, target);
    equal(
      await Deno.readTextFile(target),
      "chunk0\nchunk1\nchunk2\nchunk3\nchunk4\n",
    );
    ok(calls.every((t) => t === -1));
    await urlcleanup();
    equal(
      await Deno.readTextFile(target),
      "chunk0\nchunk1\nchunk2\nchunk3\nchunk4\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a short body is ContentTooShortError carrying [filename, headers]", async () => {
  await using raw = startRaw(() =>
    "HTTP/1.1 200 OK\r\nContent-Length: 10000\r\n\r\n" + "x".repeat(9000)
  );
  try {
    await rejects(urlretrieve(raw.base), (e) => {
      ok(e instanceof ContentTooShortError);
      equal(
        e.message,
        "<urlopen error retrieval incomplete: got only 9000 out of 10000 bytes>",
      );
      const [file, headers] = e.content as [
        string,
        { get(n: string): string | null },
      ];
      equal(Deno.statSync(file).size, 9000);
      equal(headers.get("content-length"), "10000");
      return true;
    });
  } finally {
    await urlcleanup();
  }
});

Deno.test("a body cut short keeps every whole block read before the cut, as Python's 8192-byte reads do", async () => {
  // 100 chunks of 1000 bytes, then the connection ends without the last
  // chunk. CPython 3.13: IncompleteRead(1696 bytes read), 13 reporthook
  // calls, 98,304 bytes (twelve blocks) on disk.
  const chunk = "3e8\r\n" + "y".repeat(1000) + "\r\n";
  await using raw = startRaw(() =>
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
    chunk.repeat(100)
  );
  const dir = await Deno.makeTempDir();
  try {
    const target = `${dir}/cut.bin`;
    const calls: number[] = [];
    await rejects(
      urlretrieve(raw.base, target, (n) => calls.push(n)),
      (e) => {
        ok(e instanceof IncompleteRead);
        equal(e.partial.length, 1696);
        return true;
      },
    );
    deepEqual(calls, Array.from({ length: 13 }, (_, i) => i));
    equal((await Deno.stat(target)).size, 98304);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Content-Length is read as Python's int(): no fraction, exponent, hex or empty value; underscores between digits", async () => {
  let length = "";
  await using raw = startRaw(() =>
    `HTTP/1.1 200 OK\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\nabc`
  );
  try {
    for (const bad of ["", "3.0", "3e0", "0x3"]) {
      length = bad;
      await rejects(
        urlretrieve(raw.base),
        (e) =>
          e instanceof TypeError &&
          e.message === `invalid literal for int() with base 10: '${bad}'`,
        bad,
      );
    }
    length = "0_3";
    const sizes: number[] = [];
    await urlretrieve(raw.base, null, (_n, _bs, size) => sizes.push(size));
    deepEqual(sizes, [3, 3]);
  } finally {
    await urlcleanup();
  }
});

Deno.test("a local file: URL with no filename is not copied", async () => {
  const path = await Deno.makeTempFile();
  try {
    await Deno.writeTextFile(path, "local");
    const [got, headers] = await urlretrieve(`file://${path}`);
    equal(got, path);
    equal(headers?.get("content-length"), "5");
  } finally {
    await Deno.remove(path);
  }
});

Deno.test({
  name:
    "a temporary file goes where Python's tempfile puts it: the first usable of TMPDIR, TEMP, TMP and /tmp, named tmp and eight characters, mode 0600",
  ignore: Deno.build.os === "windows",
  async fn() {
    const scratch = await Deno.makeTempDir({ prefix: "pyport_tempdir_" });
    const module = new URL("../../../urllib/request/mod.ts", import.meta.url);
    // Each child decides its folder once, as Python's process does.
    const source = `import { urlretrieve } from ${JSON.stringify(module.href)};
const [path] = await urlretrieve("data:,abc");
console.log(JSON.stringify([path, (await Deno.stat(path)).mode & 0o777]));`;
    const retrieveIn = async (
      env: Record<string, string>,
      permissions = ["-A"],
    ) => {
      const out = await runScript(source, permissions, {
        env,
        clearEnv: true,
        cwd: scratch,
      });
      equal(out.code, 0, out.stderr);
      return JSON.parse(out.stdout);
    };
    try {
      const tmp = `${scratch}/tmp`;
      await Deno.mkdir(tmp);
      // Python's abspath, not the real path (which differs on macOS).
      const path = tmp + "/";
      // A TMPDIR that names no folder, or is empty, is passed over.
      let [file, mode] = await retrieveIn({
        TMPDIR: "/nonexistent",
        TMP: tmp,
      });
      ok(file.startsWith(path), file);
      ok(/^tmp[a-z0-9_]{8}$/.test(file.slice(path.length)), file);
      equal(mode, 0o600);
      [file] = await retrieveIn({ TMPDIR: "", TEMP: tmp });
      ok(file.startsWith(path), file);
      [file] = await retrieveIn({});
      ok(file.startsWith("/tmp/tmp"), file);
      await Deno.remove(file);
      // Write permission for TMPDIR alone, and no env permission to read it:
      // the folder Deno's own temporary files go to is used.
      const scoped = `${scratch}/scoped`;
      await Deno.mkdir(scoped);
      [file] = await retrieveIn({ TMPDIR: scoped }, [
        "--allow-read",
        `--allow-write=${scoped}`,
      ]);
      ok(file.startsWith(`${scoped}/tmp`), file);
      equal(
        await Deno.readTextFile(
          `${tmp}/${(await Array.fromAsync(Deno.readDir(tmp)))[0]?.name}`,
        ),
        "abc",
      );
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "urlretrieve to a named file needs write permission for it, not read permission too",
  ignore: Deno.build.os === "windows",
  async fn() {
    const scratch = await Deno.makeTempDir({ prefix: "pyport_writeonly_" });
    const module = new URL("../../../urllib/request/mod.ts", import.meta.url);
    const target = `${scratch}/page.txt`;
    try {
      const out = await runScript(
        `import { urlretrieve } from ${JSON.stringify(module.href)};
const [path] = await urlretrieve("data:,abc", ${JSON.stringify(target)});
console.log(path);`,
        [`--allow-write=${target}`],
      );
      equal(out.code, 0, out.stderr);
      equal(out.stdout, `${target}\n`);
      equal(await Deno.readTextFile(target), "abc");
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "urlretrieve with no file name and no write permission says which permission would give it a temporary folder",
  ignore: Deno.build.os === "windows",
  async fn() {
    const scratch = await Deno.makeTempDir({ prefix: "pyport_nowrite_" });
    const module = new URL("../../../urllib/request/mod.ts", import.meta.url);
    try {
      const out = await runScript(
        `import { urlretrieve } from ${JSON.stringify(module.href)};
try {
  await urlretrieve("data:,abc");
} catch (error) {
  console.log(JSON.stringify([error.name, error.errno, error.message]));
}`,
        [],
        { cwd: scratch },
      );
      equal(out.code, 0, out.stderr);
      const [name, errno, message] = JSON.parse(out.stdout);
      // Python's FileNotFoundError, and what Deno refused.
      deepEqual([name, errno], ["NotFound", 2]);
      match(
        message,
        /^\[Errno 2\] No usable temporary directory found in \['\/tmp', .*\]: Deno needs write permission for one \(run with --allow-write=\/tmp\)$/,
      );
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
});
