import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import {
  DataHandler,
  pathname2url,
  Request,
  url2pathname,
  urlopen,
  urlretrieve,
} from "../../../urllib/request/mod.ts";
import { URLError } from "../../../urllib/error.ts";
import { text } from "./_site.ts";
import { deadline } from "../../_server.ts";
import { runScript } from "../../_deno_script.ts";

Deno.test("file: URLs get the type Python's mimetypes gives the name", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const expected: Record<string, string> = {
      "a.tar.gz": "application/x-tar", // the encoding set aside, as Python does
      "b.TGZ": "application/x-tar", // a shorthand suffix, any case
      "c.sgm": "text/x-sgml", // CPython's table, where mime-db differs
      "d.js": "text/javascript",
      "e.unknown-ext": "text/plain",
      "noext": "text/plain",
    };
    for (const [name, type] of Object.entries(expected)) {
      await Deno.writeTextFile(`${dir}/${name}`, "x");
      await using resp = await urlopen(
        `file://${pathname2url(`${dir}/${name}`)}`,
      );
      equal(resp.headers?.get("Content-type"), type, name);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a file: selector that reads as a URL is typed as Python's guess_type types that URL", async () => {
  // file:ab:x.html?v names the file `ab:x.html?v` here; Python's
  // mimetypes.guess_type(selector) reads `ab:` as a scheme and types the
  // URL's path, x.html (CPython 3.13: text/html, not text/plain).
  const dir = await Deno.makeTempDir();
  const cwd = Deno.cwd();
  try {
    const expected: Record<string, string> = {
      "ab:x.html?v": "text/html",
      "ab:y.txt?z.html": "text/plain",
      "ab:z.gz?.html": "text/plain",
      "c:d.html?v": "text/plain", // a one-letter scheme is a drive: the name
    };
    for (const name of Object.keys(expected)) {
      await Deno.writeTextFile(`${dir}/${name}`, "x");
    }
    Deno.chdir(dir);
    for (const [name, type] of Object.entries(expected)) {
      await using resp = await urlopen(`file:${name}`);
      equal(resp.headers?.get("Content-type"), type, name);
    }
  } finally {
    Deno.chdir(cwd);
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file: URLs carry Python's headers and the file's bytes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/a file.json`;
    await Deno.writeTextFile(path, '{"a": 1}\nsecond\n');
    const mtime = (await Deno.stat(path)).mtime as Date;
    for (
      const url of [
        `file://${pathname2url(path)}`,
        `file:${pathname2url(path)}`,
        `file://localhost${pathname2url(path)}`,
        // Host names ignore case, and the machine's own name is local too
        // (Python resolves both to one of its addresses).
        `file://LocalHost${pathname2url(path)}`,
        `file://${Deno.hostname().toUpperCase()}${pathname2url(path)}`,
      ]
    ) {
      await using resp = await urlopen(url);
      equal(resp.status, null);
      deepEqual(resp.headers?.items(), [
        ["Content-type", "application/json"],
        ["Content-length", "16"],
        ["Last-modified", mtime.toUTCString()],
      ]);
      equal(text(await resp.readline()), '{"a": 1}\n');
      equal(text(await resp.read()), "second\n");
    }
    const plain = await urlopen(`file://${pathname2url(`${dir}`)}/`).catch((
      e,
    ) => e);
    ok(plain instanceof URLError);
    await Deno.writeTextFile(`${dir}/noext`, "x");
    equal(
      (await urlopen(`file://${dir}/noext`)).headers?.get("content-type"),
      "text/plain",
    );
    equal(
      (await urlopen(`file://${dir}/noext`)).geturl(),
      `file://${dir}/noext`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("file: errors are URLError, their reasons worded as Python's OSError", async () => {
  await rejects(urlopen("file:///definitely/not/here"), (e) => {
    ok(e instanceof URLError);
    ok(e.reason instanceof Deno.errors.NotFound);
    // CPython 3.13's words, and its errno, strerror and filename.
    equal(
      e.message,
      "<urlopen error [Errno 2] No such file or directory: '/definitely/not/here'>",
    );
    const reason = e.reason as unknown as Record<string, unknown>;
    equal(reason.errno, 2);
    equal(reason.strerror, "No such file or directory");
    equal(reason.filename, "/definitely/not/here");
    return true;
  });
  const folder = await Deno.makeTempDir();
  try {
    await rejects(urlopen(`file://${folder}/`), (e) => {
      ok(e instanceof URLError && e.reason instanceof Deno.errors.IsADirectory);
      equal(
        e.message,
        `<urlopen error [Errno 21] Is a directory: '${folder}/'>`,
      );
      return true;
    });
    // urlretrieve into a folder: Python's IsADirectoryError, not wrapped.
    await rejects(urlretrieve("data:,abc", folder), (e) => {
      ok(e instanceof Deno.errors.IsADirectory);
      equal(e.message, `[Errno 21] Is a directory: '${folder}'`);
      return true;
    });
  } finally {
    await Deno.remove(folder);
  }
  // Another host is refused before the path is looked at (a folder too).
  for (const path of ["/etc/hostname", "/tmp"]) {
    await rejects(
      urlopen(`file://example.com${path}`),
      (e) => e instanceof URLError && e.reason === "file not on local host",
    );
  }
  // A NUL in the path is Python's bare ValueError (here a TypeError).
  await rejects(
    urlopen("file:///tmp/a%00b"),
    (e) => e instanceof TypeError && !(e instanceof URLError),
  );
});

Deno.test({
  name:
    "a signal ends a file: URL naming a FIFO nobody writes to: the open and a stalled read reject, and nothing waits on",
  ignore: Deno.build.os === "windows",
  // Bounded: without the signal honoured, the open waits for ever.
  fn: deadline(async () => {
    const dir = await Deno.makeTempDir();
    try {
      const [silent, stalled] = [`${dir}/silent`, `${dir}/stalled`];
      const made = await new Deno.Command("mkfifo", {
        args: [silent, stalled],
      }).output();
      ok(made.success);
      const started = Date.now();
      await rejects(
        urlopen(`file://${silent}`, { signal: AbortSignal.timeout(200) }),
        (e) => e instanceof URLError,
      );
      ok(Date.now() - started < 2000);
      // A writer that sends a little, then stalls with the FIFO open.
      const writer = new Deno.Command("sh", {
        args: ["-c", `exec 3>${stalled}; printf abc >&3; exec sleep 3`],
      }).spawn();
      try {
        const resp = await urlopen(`file://${stalled}`, {
          signal: AbortSignal.timeout(1000),
        });
        equal(text(await resp.read(3)), "abc");
        await rejects(resp.read(), (e) => e instanceof URLError);
      } finally {
        writer.kill();
        await writer.status;
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }, 10_000),
});

Deno.test("data: URLs, percent and base64 forms", async () => {
  const plain = await urlopen("data:,A%20brief%20note");
  equal(text(await plain.read()), "A brief note");
  deepEqual(plain.headers?.items(), [[
    "Content-type",
    "text/plain;charset=US-ASCII",
  ], ["Content-length", "12"]]);
  equal(plain.geturl(), "data:,A%20brief%20note");
  const b64 = await urlopen(
    "data:image/gif;base64,R0lGODdhMAAwAPAAAAAAAP%2F%2F%2Fw%3D%3D",
  );
  equal(b64.headers?.get("content-type"), "image/gif");
  deepEqual([...(await b64.read()).subarray(0, 6)], [
    0x47,
    0x49,
    0x46,
    0x38,
    0x37,
    0x61,
  ]);
  const lines = await (await urlopen("data:text/plain;charset=utf-8,one%0Atwo"))
    .readlines();
  deepEqual(lines.map(text), ["one\n", "two"]);
  // The type as Python's email parser reads the header: blanks dropped.
  for (
    const [url, type] of [["data: text/html,x", "text/html"], ["data: ,x", ""]]
  ) {
    equal((await urlopen(url!)).headers?.get("Content-type"), type);
  }
  throws(
    () => new DataHandler().data_open(new Request("data:nocomma")),
    TypeError,
  );
  throws(
    () => new DataHandler().data_open(new Request("data:;base64,QUJDR")),
    (e: unknown) =>
      e instanceof TypeError &&
      /characters \(5\) cannot be 1 more/.test((e as Error).message),
  );
});

Deno.test("base64 in data: URLs is decoded as Python's lenient decodebytes: stray and extra padding", async () => {
  // CPython 3.13's base64.decodebytes on each.
  const cases: [string, number[] | string][] = [
    ["SGVsbG8==", [72, 101, 108, 108, 111]],
    ["QUJDRA===", [65, 66, 67, 68]],
    ["S=Gk=", [72, 105]],
    ["SG=Vs", [72, 101, 108]],
    ["SGVsbG8=trailing", [72, 101, 108, 108, 111]],
    ["AB==CD", [0]],
    ["====", []],
    [
      "A===",
      "Invalid base64-encoded string: number of data characters (1) cannot be 1 more than a multiple of 4",
    ],
    ["AB=", "Incorrect padding"],
    ["SGk", "Incorrect padding"],
  ];
  for (const [encoded, expected] of cases) {
    const url = `data:;base64,${encoded}`;
    if (typeof expected === "string") {
      throws(
        () => new DataHandler().data_open(new Request(url)),
        new TypeError(expected),
      );
    } else {
      deepEqual([...await (await urlopen(url)).read()], expected, encoded);
    }
  }
});

Deno.test("unknown schemes and ftp: are URLError", async () => {
  for (
    const [url, type] of [["nope://x/", "nope"], [
      "ftp://127.0.0.1/file",
      "ftp",
    ]]
  ) {
    await rejects(
      urlopen(url as string),
      (e) => e instanceof URLError && e.reason === `unknown url type: ${type}`,
    );
  }
  throws(() => new Request("no-scheme-here"), {
    name: "TypeError",
    message: "unknown url type: 'no-scheme-here'",
  });
});

Deno.test("pathname2url and url2pathname mirror Python's POSIX forms", () => {
  equal(pathname2url("/a b/ç?#.txt"), "/a%20b/%C3%A7%3F%23.txt");
  equal(url2pathname("/a%20b/%C3%A7%3F%23.txt"), "/a b/ç?#.txt");
});

Deno.test("a closed data: or file: response is a closed file (Python's ValueError); a closed HTTP response reads as empty", async () => {
  const data = await urlopen("data:,abc");
  await data.close();
  for (
    const read of [
      () => data.read(),
      () => data.readline(),
      () => data.readinto(new Uint8Array(2)),
      () => data.readlines(),
    ]
  ) {
    await rejects(read(), new TypeError("I/O operation on closed file."));
  }
  const path = await Deno.makeTempFile();
  try {
    const file = await urlopen(`file://${path}`);
    await file.close();
    // Python's buffered file names the method (CPython 3.13, checked).
    await rejects(file.read(), new TypeError("read of closed file"));
    await rejects(file.read(2), new TypeError("read of closed file"));
    await rejects(file.readline(), new TypeError("readline of closed file"));
    await rejects(
      file.readinto(new Uint8Array(2)),
      new TypeError("readinto of closed file"),
    );
    await rejects(
      file.readlines(),
      new TypeError("I/O operation on closed file."),
    );
    await rejects(
      file[Symbol.asyncIterator]().next(),
      new TypeError("I/O operation on closed file."),
    );
  } finally {
    await Deno.remove(path);
  }
});

Deno.test({
  name:
    "file://HOSTNAME/ without --allow-sys: refused, saying the host name counts as local only with --allow-sys",
  ignore: Deno.build.os === "windows" ||
    ["", "localhost"].includes(Deno.hostname().toLowerCase()),
  async fn() {
    const scratch = await Deno.makeTempDir({ prefix: "pyport_filehost_" });
    const file = `${scratch}/a.txt`;
    await Deno.writeTextFile(file, "local");
    const module = new URL("../../../urllib/request/mod.ts", import.meta.url);
    const source = `import { urlopen } from ${JSON.stringify(module.href)};
for (const url of ${
      JSON.stringify([
        `file://${Deno.hostname()}${file}`,
        `file://${Deno.hostname()}/${file}`,
      ])
    }) {
  try {
    await using resp = await urlopen(url);
    console.log(new TextDecoder().decode(await resp.read()));
  } catch (error) {
    console.log(String(error.reason));
  }
}`;
    const run = async (permissions: string[]) => {
      const out = await runScript(source, [
        `--allow-read=${file}`,
        ...permissions,
      ]);
      equal(out.code, 0, out.stderr);
      return out.stdout.trimEnd().split("\n");
    };
    try {
      const hint =
        " (this machine's host name and addresses count as local only with --allow-sys)";
      deepEqual(await run([]), [
        `file not on local host${hint}`,
        `file:// scheme is supported only on localhost${hint}`,
      ]);
      // A local HOST before a path starting // reads the path (README).
      deepEqual(await run(["--allow-sys"]), ["local", "local"]);
    } finally {
      await Deno.remove(scratch, { recursive: true });
    }
  },
});
