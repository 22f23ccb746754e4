/**
 * `serve` when the machine runs out of something: a disk that fills up
 * during an upload (a small tmpfs, mounted where this process may: root on
 * Linux; skipped elsewhere) gets 507 and leaves nothing behind; descriptors
 * used up (`prlimit`, Linux) make a file's open fail, which gets 503, not a
 * 404 a cache would keep, and the server serves again once they are free.
 * Memory: `--compress` holds a bounded total of compressed bodies for
 * clients that do not read them.
 */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { deadline } from "../_server.ts";
import { haveOpenssl, makeCerts } from "../_tls.ts";
import { acceptQueue, cpuSeconds, openFds } from "../../bench/_proc.ts";
import { gzipSync } from "node:zlib";
import {
  bodyText,
  buildRequest,
  RawConnection,
  type RawResponse,
} from "./_diff_http.ts";
import {
  eventually,
  fetchText,
  get,
  listTree,
  makeSite,
  serve,
} from "./_hosting.ts";

const linux = Deno.build.os === "linux";

/** Runs `command` quietly; whether it exited 0 (false when it is missing). */
async function succeeds(command: string, args: string[]): Promise<boolean> {
  try {
    const out = await new Deno.Command(command, {
      args,
      stdout: "null",
      stderr: "null",
      signal: AbortSignal.timeout(10_000),
    }).output();
    return out.success;
  } catch {
    return false;
  }
}

/** Whether a tmpfs can be mounted here (tried once, on a scratch folder). */
async function canMountTmpfs(): Promise<boolean> {
  if (!linux || Deno.uid() !== 0) return false;
  const dir = await Deno.makeTempDir({ prefix: "pyport_mount_probe_" });
  try {
    if (
      !await succeeds("mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", dir])
    ) {
      return false;
    }
    return await succeeds("umount", [dir]);
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => {});
  }
}

const mountable = await canMountTmpfs();
const havePrlimit = linux && await succeeds("prlimit", ["--version"]);

/** A folder on a tmpfs of `size` (a mount option: `256k`), unmounted on dispose. */
async function smallDisk(
  size: string,
): Promise<AsyncDisposable & { dir: string }> {
  const dir = await Deno.makeTempDir({ prefix: "pyport_full_disk_" });
  if (
    !await succeeds("mount", [
      "-t",
      "tmpfs",
      "-o",
      `size=${size}`,
      "tmpfs",
      dir,
    ])
  ) {
    await Deno.remove(dir);
    throw new Error(`could not mount a tmpfs on ${dir}`);
  }
  return {
    dir,
    async [Symbol.asyncDispose]() {
      // Lazily, so that a server still holding a file cannot keep it mounted.
      await succeeds("umount", ["-l", dir]);
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

type Served = Awaited<ReturnType<typeof serve>>;

/** `PUT path` with `body` on `server`: the response and its text. */
function putText(server: Served, path: string, body: BodyInit) {
  return fetchText(server.url(path), { method: "PUT", body });
}

/** Waits for `line` in `server`'s log, and checks it has no traceback. */
async function loggedCleanly(server: Served, line: string): Promise<void> {
  await server.process.until(
    () => server.process.stderr.includes(line),
    `${line} in the log`,
  );
  ok(!server.process.stderr.includes("Traceback"), server.process.stderr);
}

Deno.test({
  name:
    "exhaustion: an upload that fills the disk gets 507, leaves no file, and the server goes on",
  ignore: !mountable,
  sanitizeResources: false,
  fn: deadline(async () => {
    await using disk = await smallDisk("256k");
    await Deno.writeTextFile(`${disk.dir}/here.txt`, "here");
    await using server = await serve(disk.dir, ["--upload"]);
    const big = new Uint8Array(1024 * 1024).fill(120);

    const put = await putText(server, "/big.bin", big);
    equal(put.res.status, 507);
    match(put.text, /space/);

    const form = new FormData();
    form.append("file", new File([big], "big-form.bin"));
    const posted = await fetchText(server.url("/"), {
      method: "POST",
      body: form,
    });
    equal(posted.res.status, 507);

    // Nothing under the final names, no temporary file left.
    equal((await listTree(disk.dir)).join(","), "here.txt");
    equal((await fetchText(server.url("/here.txt"))).text, "here");
    // The space is back: a small upload now fits.
    const small = await putText(server, "/small.txt", "fits");
    equal(small.res.status, 201);
    await loggedCleanly(server, '"PUT /big.bin HTTP/1.1" 507');
  }),
});

Deno.test({
  name:
    "exhaustion: an upload whose final link finds no inode left gets 507, leaves no file, and the server goes on",
  ignore: !mountable,
  sanitizeResources: false,
  fn: deadline(async () => {
    // Three inodes: the folder, here.txt and a temporary file; the hard
    // link into place takes a fourth on tmpfs, and fails (ENOSPC).
    await using disk = await smallDisk("256k,nr_inodes=3");
    await Deno.writeTextFile(`${disk.dir}/here.txt`, "here");
    await using server = await serve(disk.dir, ["--upload"]);
    const put = await putText(server, "/new.txt", "new");
    equal(put.res.status, 507);
    match(put.text, /space/);
    const form = new FormData();
    form.append("file", new File(["new"], "form.txt"));
    const posted = await fetchText(server.url("/"), {
      method: "POST",
      body: form,
    });
    equal(posted.res.status, 507);
    // Nothing under the final names, no temporary file left.
    equal((await listTree(disk.dir)).join(","), "here.txt");
    equal((await fetchText(server.url("/here.txt"))).text, "here");
    // An inode given back: the upload now fits.
    await Deno.remove(`${disk.dir}/here.txt`);
    const fits = await putText(server, "/new.txt", "new");
    equal(fits.res.status, 201);
    equal(await Deno.readTextFile(`${disk.dir}/new.txt`), "new");
    ok(!server.process.stderr.includes("Traceback"), server.process.stderr);
  }),
});

Deno.test({
  name:
    "exhaustion: an upload the system refuses otherwise (read-only disk, a name that is a mount point) gets 500, and the server goes on",
  ignore: !mountable,
  sanitizeResources: false,
  fn: deadline(async () => {
    await using disk = await smallDisk("256k");
    await Deno.writeTextFile(`${disk.dir}/busy.txt`, "busy");
    await Deno.writeTextFile(`${disk.dir}/other.txt`, "other");
    await using server = await serve(disk.dir, ["--upload", "--overwrite"]);

    // The temporary file cannot be created (EROFS).
    ok(await succeeds("mount", ["-o", "remount,ro", disk.dir]));
    const readOnly = await putText(server, "/new.txt", "new");
    equal(readOnly.res.status, 500);
    match(readOnly.text, /Read-only file system/);
    ok(!readOnly.text.includes(disk.dir), "the page names no path");
    ok(await succeeds("mount", ["-o", "remount,rw", disk.dir]));

    // The name is a mount point: the final rename fails (EBUSY).
    ok(
      await succeeds("mount", [
        "--bind",
        `${disk.dir}/other.txt`,
        `${disk.dir}/busy.txt`,
      ]),
    );
    try {
      const busy = await putText(server, "/busy.txt", "new");
      equal(busy.res.status, 500);
      match(busy.text, /busy/);
    } finally {
      await succeeds("umount", [`${disk.dir}/busy.txt`]);
    }
    equal((await listTree(disk.dir)).join(","), "busy.txt,other.txt");
    equal(await Deno.readTextFile(`${disk.dir}/busy.txt`), "busy");
    const stored = await putText(server, "/new.txt", "new");
    equal(stored.res.status, 201);
    await loggedCleanly(server, '"PUT /busy.txt HTTP/1.1" 500');
  }),
});

Deno.test({
  name:
    "exhaustion: with no descriptor left a file gets 503, not 404; the accept loop does not spin; freed, it serves again",
  ignore: !havePrlimit,
  sanitizeResources: false,
  fn: deadline(async () => {
    // Larger than the cache takes and than a small file's read: opened.
    const big = new Uint8Array(200 * 1024).fill(98);
    await using site = await makeSite({ "big.bin": big, "a.txt": "a" });
    for (const flags of [[], ["--no-cache"]]) {
      await using server = await serve(site.root, flags);
      const pid = server.process.child.pid;
      const res = await withDescriptorsUsedUp(server, async (conn) => {
        const before = cpuSeconds(pid);
        await new Promise((resolve) => setTimeout(resolve, 1000));
        // Python's loop spins on the failing accept (a whole CPU).
        ok(cpuSeconds(pid) - before < 0.5, "the accept loop spins");
        await conn.write(buildRequest("GET", "/big.bin", { Host: "x" }));
        return await conn.read({ timeoutMs: 5000 });
      });
      equal(res.status, 503, `${flags}: ${res.status}`);
      const again = await fetchText(server.url("/big.bin"));
      equal(again.res.status, 200, server.process.stderr);
      equal(again.text.length, big.length);
      await loggedCleanly(server, "code 503, message Too many open files");
    }
  }, 40_000),
});

Deno.test({
  name:
    "exhaustion: serve --http2 outlives running out of descriptors (Deno.serve stops; it listens again) and serves once they are free",
  ignore: !havePrlimit || !haveOpenssl,
  sanitizeResources: false,
  fn: deadline(async () => {
    const certs = await makeCerts();
    await using site = await makeSite({
      "a.txt": "a",
      "cert.pem": certs.cert,
      "key.pem": certs.key,
    });
    await using server = await serve(site.root, [
      "--tls-cert",
      `${site.root}/cert.pem`,
      "--tls-key",
      `${site.root}/key.pem`,
      "--http2",
    ], { scheme: "https" });
    using client = Deno.createHttpClient({ caCerts: [certs.ca] });
    const getA = async () => {
      const res = await fetch(server.url("/a.txt"), {
        client,
        signal: AbortSignal.timeout(5000),
      });
      return [res.status, await res.text()];
    };
    deepEqual(await getA(), [200, "a"]);
    const pid = server.process.child.pid;
    const start = openFds(pid);
    // The soft limit only (`soft:`), so that it can be raised again.
    const limit = (n: number) =>
      succeeds("prlimit", ["--pid", String(pid), `--nofile=${n}:`]);
    ok(await limit(start + 4));
    const conns: Deno.Conn[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        try {
          conns.push(
            await Deno.connect({ hostname: "127.0.0.1", port: server.port }),
          );
        } catch {
          // Refused while Deno.serve is down: the descriptors are used up.
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
      equal(server.process.exitCode, null, server.process.stderr);
      const before = cpuSeconds(pid);
      await new Promise((resolve) => setTimeout(resolve, 500));
      ok(cpuSeconds(pid) - before < 0.3, "spinning while out of descriptors");
    } finally {
      for (const conn of conns) conn.close();
    }
    ok(
      await limit(start + 64),
      `exit ${server.process.exitCode}: ${server.process.stderr}`,
    );
    let last: unknown = null;
    await eventually(async () => {
      last = await getA().catch((error) => error);
      return Array.isArray(last) && last[0] === 200;
    }, "serving again").catch((error) => {
      throw new Error(
        `${error.message}: ${last}; exit ${server.process.exitCode}; ${server.process.stderr}`,
      );
    });
    equal(server.process.exitCode, null);
    await loggedCleanly(server, '"GET /a.txt HTTP/1.1" 200');
  }, 40_000),
});

/**
 * Takes every descriptor `server` may open (a lowered limit, then idle
 * connections), runs `during` with one of those connections, and gives
 * them all back before returning its result: the connections are closed,
 * the ones still in the listen queue accepted and closed by the server,
 * and its descriptor count is back where it started. Only then is the next
 * request sure to find a descriptor: a request sent while closed
 * connections still wait in the queue is accepted after them.
 */
async function withDescriptorsUsedUp<T>(
  server: {
    process: { child: Deno.ChildProcess };
    port: number;
    url: (path: string) => string;
  },
  during: (conn: RawConnection) => Promise<T>,
): Promise<T> {
  const pid = server.process.child.pid;
  // A first request, so that whatever a server opens once and keeps is
  // open before the count is taken.
  await (await fetch(server.url("/"))).body?.cancel();
  const start = openFds(pid);
  const limit = start + 4;
  ok(await succeeds("prlimit", ["--pid", String(pid), `--nofile=${limit}`]));
  const conns: RawConnection[] = [];
  try {
    const address = { hostname: "127.0.0.1", port: server.port };
    for (let i = 0; i < 12; i++) conns.push(await RawConnection.open(address));
    await eventually(() => openFds(pid) >= limit, "descriptors used up");
    return await during(conns[0]!);
  } finally {
    for (const conn of conns) conn.close();
    let seen = "";
    await eventually(() => {
      const [queued, open] = [acceptQueue(server.port), openFds(pid)];
      seen = `${queued} queued, ${open} open of ${start} at first`;
      return queued === 0 && open <= start;
    }, "the descriptors given back").catch((error) => {
      throw new Error(`${error.message} (${seen})`);
    });
  }
}

/**
 * Sends `GET path` (with `headers`) to `server` while every descriptor it
 * may open is taken, and returns the answer.
 */
function getExhausted(
  server: Parameters<typeof withDescriptorsUsedUp>[0],
  path: string,
  headers: Record<string, string>,
): Promise<RawResponse> {
  return withDescriptorsUsedUp(server, async (conn) => {
    await conn.write(buildRequest("GET", path, { Host: "x", ...headers }));
    return await conn.read({ timeoutMs: 5000 });
  });
}

Deno.test({
  name:
    "exhaustion: the hosting flags' pages (--spa, --404, --precompressed, listings) get 503 with no descriptor left, then their answer",
  ignore: !havePrlimit,
  sanitizeResources: false,
  fn: deadline(async () => {
    // Larger than the cache takes: opened on every request.
    const big = new Uint8Array(200 * 1024).fill(98);
    await using site = await makeSite({
      "app.html": big,
      "lost.html": "<p>lost</p>",
      "big.txt": big,
      "big.txt.gz": new Uint8Array(gzipSync(big)),
      "d/a.txt": "a",
      "d/.hidden": "h",
    });
    const cases: {
      flags: string[];
      path: string;
      headers: Record<string, string>;
      check: (res: Response, text: string) => void;
    }[] = [
      {
        flags: ["--spa", "app.html"],
        path: "/some/route",
        headers: { Accept: "text/html" },
        check: (res, text) => {
          equal(res.status, 200);
          equal(text.length, big.length);
        },
      },
      {
        // Was 404 with Python's page in place of the one configured.
        flags: ["--404", "lost.html"],
        path: "/missing",
        headers: {},
        check: (res, text) => {
          equal(res.status, 404);
          equal(text, "<p>lost</p>");
        },
      },
      {
        // Not the plain file either: the .gz is what was asked for.
        flags: ["--precompressed"],
        path: "/big.txt",
        headers: { "Accept-Encoding": "gzip" },
        check: (res, text) => {
          equal(res.status, 200);
          equal(res.headers.get("Content-Encoding"), "gzip");
          equal(text.length, big.length);
        },
      },
      // The listings the hosting handler reads itself were 404 "No
      // permission to list directory".
      ...[["--listing", "rich"], ["--no-dotfiles"]].map((flags) => ({
        flags,
        path: "/d/",
        headers: {},
        check: (res: Response, text: string) => {
          equal(res.status, 200);
          match(text, /a\.txt/);
        },
      })),
      {
        flags: ["--compress"],
        path: "/d/",
        headers: { Accept: "application/json" },
        check: (res: Response, text: string) => {
          equal(res.status, 200);
          match(text, /"a\.txt"/);
        },
      },
    ];
    for (const { flags, path, headers, check } of cases) {
      for (const cache of [[], ["--no-cache"]]) {
        await using server = await serve(site.root, [...flags, ...cache]);
        const res = await getExhausted(server, path, headers);
        const what = `${flags} ${cache} ${path}`;
        equal(res.status, 503, `${what}: ${res.status}`);
        match(bodyText(res), /Too many open files/, what);
        const again = await fetchText(server.url(path), { headers });
        const expected = flags[0] === "--404" ? 404 : 200;
        equal(again.res.status, expected, `${what}: ${server.process.stderr}`);
        check(again.res, again.text);
        ok(!server.process.stderr.includes("Traceback"), server.process.stderr);
      }
    }
  }, 60_000),
});

/** Reads from `conn` until a whole response head has come; returns it. */
async function readHead(conn: Deno.Conn): Promise<string> {
  const buffer = new Uint8Array(64 * 1024);
  let text = "";
  while (!text.includes("\r\n\r\n")) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error(`closed after ${JSON.stringify(text)}`);
    text += new TextDecoder("latin1").decode(buffer.subarray(0, n));
  }
  return text.slice(0, text.indexOf("\r\n\r\n"));
}

/** 7.5 MiB of random bytes: more than the socket buffers take. */
function randomBytes(): Uint8Array {
  const size = 7.5 * 1024 * 1024;
  const big = new Uint8Array(size);
  for (let i = 0; i < size; i += 65536) {
    crypto.getRandomValues(big.subarray(i, Math.min(size, i + 65536)));
  }
  return big;
}

/**
 * Opens four connections that each ask for `path` (with `headers`) and
 * read nothing past the head, which must pass `changed`; returns them.
 */
async function stallFour(
  port: number,
  path: string,
  headers: Record<string, string>,
  changed: (head: string) => boolean,
): Promise<Deno.Conn[]> {
  const request = buildRequest("GET", path, { Host: "x", ...headers });
  const stalled: Deno.Conn[] = [];
  try {
    for (let i = 0; i < 4; i++) {
      const conn = await Deno.connect({ hostname: "127.0.0.1", port });
      stalled.push(conn);
      await conn.write(new TextEncoder().encode(request));
      const head = await readHead(conn);
      ok(changed(head), head);
    }
    return stalled;
  } catch (error) {
    for (const conn of stalled) conn.close();
    throw error;
  }
}

Deno.test({
  name:
    "exhaustion: --compress holds a bounded total of large compressed bodies for clients that read nothing; past it files go out as they are",
  ignore: !linux,
  fn: deadline(async () => {
    // Random bytes compress no smaller, so a client that reads nothing
    // holds the whole compressed copy.
    const big = randomBytes();
    const size = big.length;
    await using site = await makeSite({ "big.txt": big });
    await using server = await serve(site.root, ["--compress"]);
    // Each held a whole compressed copy, so that a few hundred such
    // clients took gigabytes: four fit in the budget (32 MiB).
    const stalled = await stallFour(
      server.port,
      "/big.txt",
      { "Accept-Encoding": "gzip" },
      (head) => /\r\nContent-Encoding: gzip\r\n/i.test(head),
    );
    try {
      // The fifth gets the file as it is, whole, and at once.
      const plain = await get(server.url("/big.txt"), {
        headers: { "Accept-Encoding": "gzip" },
      });
      equal(plain.status, 200);
      equal(plain.headers.get("Content-Encoding"), null);
      equal(plain.headers.get("Vary"), "Accept-Encoding");
      equal((await plain.arrayBuffer()).byteLength, size);
    } finally {
      // (The server logs each as a client gone mid-body, as Python does.)
      for (const conn of stalled) conn.close();
    }
    // The stalled clients gone, their share comes back.
    await eventually(async () => {
      const res = await get(server.url("/big.txt"), {
        headers: { "Accept-Encoding": "gzip" },
      });
      await res.body?.cancel();
      return res.headers.get("Content-Encoding") === "gzip";
    }, "a compressed answer again");
  }, 60_000),
});

Deno.test({
  name:
    "exhaustion: --watch holds a bounded total of large pages with the reload script for clients that read nothing; past it pages go out as they are",
  ignore: !linux,
  fn: deadline(async () => {
    const text = new TextDecoder().decode(
      randomBytes().map((byte) => 0x61 + (byte % 26)),
    );
    const page = `<!DOCTYPE html>\n<title>big</title>\n<p>${text}</p>\n`;
    await using site = await makeSite({ "big.html": page });
    await using server = await serve(site.root, ["--watch"]);
    // A page with the script is longer than the file.
    const length = new TextEncoder().encode(page).length;
    const withScript = (contentLength: string | null) =>
      Number(contentLength) > length;
    const stalled = await stallFour(
      server.port,
      "/big.html",
      {},
      (head) =>
        withScript(/\r\nContent-Length: (\d+)/i.exec(head)?.[1] ?? null),
    );
    try {
      const plain = await get(server.url("/big.html"));
      equal(plain.status, 200);
      equal(await plain.text(), page, "the page as it is, without the script");
    } finally {
      for (const conn of stalled) conn.close();
    }
    await eventually(async () => {
      const res = await get(server.url("/big.html"));
      await res.body?.cancel();
      return withScript(res.headers.get("Content-Length"));
    }, "the script again");
  }, 60_000),
});
