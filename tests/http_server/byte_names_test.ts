/**
 * Files whose names are not UTF-8 (`caf\xe9.txt`, a folder `sub\xff`):
 * listed and served as `python3 -m http.server` does (links to the
 * surrogate-escaped name, %-encoded with surrogatepass; the page carries
 * the raw bytes), compared byte for byte with CPython 3.13 on the same tree;
 * and, when the server may not use FFI, listed as text without a link.
 *
 * Linux only: the tree is made with the shell, since Deno cannot create
 * such names, and serving them needs Linux's /proc/self/fd.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  type Address,
  buildRequest,
  header,
  type RawResponse,
  sendRaw,
} from "./_diff_http.ts";
import {
  SERVE_TS,
  type ServerProcess,
  spawnServer,
  startServer,
} from "./_diff_server.ts";
import { havePython313 } from "../_python.ts";

const LINUX = Deno.build.os === "linux";
const latin1 = new TextDecoder("latin1");

/** Makes the tree with the shell's printf (octal escapes give raw bytes). */
async function makeTree(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "byte_names_" });
  const script = [
    `printf 'latin name\\n' > "$(printf 'caf\\351.txt')"`,
    `mkdir "$(printf 'sub\\377')"`,
    `printf 'inner\\n' > "$(printf 'sub\\377/in\\376.bin')"`,
    `printf 'ok\\n' > ok.txt`,
    `printf 'utf8 name\\n' > "$(printf '\\303\\251.txt')"`,
    // A name that really holds U+FFFD (valid UTF-8): must stay reachable.
    `printf 'replacement\\n' > "$(printf 'r\\357\\277\\275.txt')"`,
  ].join(" && ");
  const out = await new Deno.Command("sh", { args: ["-c", script], cwd: dir })
    .output();
  equal(out.success, true, new TextDecoder().decode(out.stderr));
  return dir;
}

/** The requests compared: listings, downloads, a redirect and misses. */
const TARGETS = [
  "/",
  "/caf%ED%B3%A9.txt",
  "/sub%ED%B3%BF",
  "/sub%ED%B3%BF/",
  "/sub%ED%B3%BF/in%ED%B3%BE.bin",
  "/%C3%A9.txt",
  "/r%EF%BF%BD.txt",
  "/caf%E9.txt",
  "/caf%EF%BF%BD.txt",
];

async function get(addr: Address, target: string): Promise<RawResponse> {
  return await sendRaw(addr, buildRequest("GET", target), {
    timeoutMs: 10_000,
  });
}

/** What is compared of a response: status, body bytes, key headers. */
function shape(res: RawResponse) {
  return {
    status: res.status,
    body: latin1.decode(res.body),
    type: header(res, "content-type"),
    length: header(res, "content-length"),
    location: header(res, "location"),
  };
}

async function withTree(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await makeTree();
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

function addressOf(server: ServerProcess): Address {
  return { hostname: server.hostname, port: server.port };
}

Deno.test({
  name: "names that are not UTF-8 are listed by their bytes and served",
  ignore: !LINUX,
}, async () => {
  await withTree(async (dir) => {
    await using server = await startServer("ours", dir);
    const addr = addressOf(server);
    const root = latin1.decode((await get(addr, "/")).body);
    ok(root.includes('<li><a href="caf%ED%B3%A9.txt">caf\xe9.txt</a></li>'));
    ok(root.includes('<li><a href="sub%ED%B3%BF/">sub\xff/</a></li>'));
    ok(root.includes('<li><a href="r%EF%BF%BD.txt">r\xef\xbf\xbd.txt</a>'));
    const file = await get(addr, "/caf%ED%B3%A9.txt");
    deepEqual([file.status, latin1.decode(file.body)], [200, "latin name\n"]);
    const inner = await get(addr, "/sub%ED%B3%BF/in%ED%B3%BE.bin");
    deepEqual([inner.status, latin1.decode(inner.body)], [200, "inner\n"]);
    const sub = latin1.decode((await get(addr, "/sub%ED%B3%BF/")).body);
    ok(sub.includes("<title>Directory listing for /sub\xff/</title>"), sub);
    ok(sub.includes('<a href="in%ED%B3%BE.bin">in\xfe.bin</a>'), sub);
    // The raw byte itself is not a name Python or we can decode: 404.
    equal((await get(addr, "/caf%E9.txt")).status, 404);
  });
});

Deno.test({
  name:
    "--no-dotfiles: Python's listing still carries the bytes of names that are not UTF-8",
  ignore: !LINUX,
}, async () => {
  await withTree(async (dir) => {
    await Deno.writeTextFile(`${dir}/.secret`, "hidden");
    const pages: Record<string, string> = {};
    for (const args of [[], ["--no-dotfiles"]]) {
      await using server = await startServer("ours", dir, { args });
      const page = await get(addressOf(server), "/");
      equal(page.status, 200);
      pages[args.join("")] = latin1.decode(page.body);
    }
    const all = pages[""] ?? "";
    ok(all.includes('<li><a href="caf%ED%B3%A9.txt">caf\xe9.txt</a></li>'));
    ok(all.includes('<li><a href=".secret">.secret</a></li>\n'));
    // The same page, the hidden name left out: the raw bytes, not U+FFFD.
    equal(
      pages["--no-dotfiles"],
      all.replace('<li><a href=".secret">.secret</a></li>\n', ""),
    );
  });
});

Deno.test({
  name: "names that are not UTF-8: the same bytes as python3 -m http.server",
  ignore: !LINUX || !havePython313(),
}, async () => {
  await withTree(async (dir) => {
    const results: Record<string, ReturnType<typeof shape>[]> = {};
    for (const kind of ["python", "ours"] as const) {
      await using server = await startServer(kind, dir);
      const addr = addressOf(server);
      results[kind] = [];
      for (const target of TARGETS) {
        results[kind].push(shape(await get(addr, target)));
      }
    }
    for (const [i, target] of TARGETS.entries()) {
      const [theirs, ours] = [results.python?.[i], results.ours?.[i]];
      // The one difference (README): `; charset=utf-8` on text types.
      if (ours?.type?.startsWith("text/plain")) {
        equal(ours.type, `${theirs?.type}; charset=utf-8`, target);
        deepEqual({ ...ours, type: null }, { ...theirs, type: null }, target);
      } else {
        deepEqual(ours, theirs, target);
      }
    }
  });
});

Deno.test({
  name:
    "without FFI, names Deno cannot open are listed as text, not as dead links",
  ignore: !LINUX,
}, async () => {
  await withTree(async (dir) => {
    await using server = await spawnServer(
      "ours without --allow-ffi",
      Deno.execPath(),
      [
        "run",
        "--allow-read",
        "--allow-net=127.0.0.1",
        SERVE_TS,
        "0",
        "-b",
        "127.0.0.1",
        "-d",
        dir,
      ],
    );
    const root = latin1.decode((await get(addressOf(server), "/")).body);
    // Deno reads these names with U+FFFD for the byte: shown, not linked.
    ok(root.includes("<li>caf\xef\xbf\xbd.txt</li>"), root);
    ok(root.includes("<li>sub\xef\xbf\xbd/</li>"), root);
    // A name that really holds U+FFFD, and plain ones, keep their links.
    ok(root.includes('<a href="r%EF%BF%BD.txt">'), root);
    ok(root.includes('<a href="ok.txt">ok.txt</a>'), root);
    equal((await get(addressOf(server), "/r%EF%BF%BD.txt")).status, 200);
  });
});

Deno.test({
  name:
    "with FFI but not all permissions, names Deno cannot open are listed as text, not as dead links",
  ignore: !LINUX,
}, async () => {
  await withTree(async (dir) => {
    // The C library reads the exact names, but Deno opens the descriptor's
    // /proc/self/fd alias only with all permissions: a link would be a 404.
    await using server = await spawnServer(
      "ours with --allow-ffi, without -A",
      Deno.execPath(),
      [
        "run",
        "--allow-read",
        "--allow-ffi",
        "--allow-net=127.0.0.1",
        SERVE_TS,
        "0",
        "-b",
        "127.0.0.1",
        "-d",
        dir,
      ],
    );
    const root = latin1.decode((await get(addressOf(server), "/")).body);
    ok(!root.includes('href="caf%ED%B3%A9.txt"'), root);
    ok(!root.includes('href="sub%ED%B3%BF/"'), root);
    ok(root.includes("<li>caf\xef\xbf\xbd.txt</li>"), root);
    ok(root.includes("<li>sub\xef\xbf\xbd/</li>"), root);
    ok(root.includes('<a href="r%EF%BF%BD.txt">'), root);
    ok(root.includes('<a href="ok.txt">ok.txt</a>'), root);
    equal((await get(addressOf(server), "/r%EF%BF%BD.txt")).status, 200);
  });
});
