/**
 * examples/static_hosting.md: the serve commands it shows, run from the
 * checkout as it says (`deno run -A http_server/serve.ts ...`).
 */
import { equal, match, ok } from "node:assert/strict";
import { ROOT } from "./_run.ts";
import { CLIENT_TIMEOUT_MS, ServeProcess } from "../_server.ts";
import { haveOpenssl, openssl } from "../_tls.ts";

interface Running {
  port: number;
  /** Sends Ctrl-C (SIGINT) and waits for the exit. */
  stop(): Promise<{ code: number; stdout: string; stderr: string }>;
}

/**
 * Starts the serve command as the document shows it (relative path, from
 * the checkout) and waits for its "Serving ..." line.
 */
async function startServe(args: string[]): Promise<Running> {
  const server = new ServeProcess(args, {
    script: "http_server/serve.ts",
    cwd: ROOT,
    env: { NO_COLOR: "1" },
  });
  let port: number;
  try {
    port = await server.started();
  } catch (error) {
    await server[Symbol.asyncDispose]();
    throw error;
  }
  return {
    port,
    stop: async () => {
      const code = await server.stop();
      return { code, stdout: server.stdout, stderr: server.stderr };
    },
  };
}

async function siteDir(): Promise<string> {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/index.html`, "<h1>Home</h1>\n");
  await Deno.mkdir(`${dir}/docs`);
  await Deno.writeTextFile(`${dir}/docs/notes.txt`, "notes\n");
  return dir;
}

Deno.test("serve -b 127.0.0.1 -d DIR -p HTTP/1.1: index page, listing, Ctrl-C", async () => {
  const dir = await siteDir();
  try {
    const server = await startServe([
      "0",
      "-b",
      "127.0.0.1",
      "-d",
      dir,
      "-p",
      "HTTP/1.1",
    ]);
    let result;
    try {
      const base = `http://127.0.0.1:${server.port}`;
      const home = await fetch(`${base}/`, {
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      equal(home.status, 200);
      equal(await home.text(), "<h1>Home</h1>\n");
      const listing = await fetch(`${base}/docs/`, {
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      equal(listing.status, 200);
      ok((await listing.text()).includes('<a href="notes.txt">notes.txt</a>'));
      const missing = await fetch(`${base}/nothing`, {
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      equal(missing.status, 404);
      await missing.body?.cancel();
    } finally {
      result = await server.stop();
    }
    equal(result.code, 0, result.stderr);
    equal(
      result.stdout,
      `Serving HTTP on 127.0.0.1 port ${server.port} (http://127.0.0.1:${server.port}/) ...\n` +
        "\nKeyboard interrupt received, exiting.\n",
    );
    // The access log goes to stderr, in Python's format.
    match(
      result.stderr,
      /^127\.0\.0\.1 - - \[[^\]]+\] "GET \/ HTTP\/1\.1" 200 -$/m,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("serve --help lists every option static_hosting.md uses", async () => {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "http_server/serve.ts", "--help"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(out.code, 0);
  const help = new TextDecoder().decode(out.stdout);
  const doc = await Deno.readTextFile(`${ROOT}examples/static_hosting.md`);
  const used = new Set<string>();
  // The flags written after the command's name, continuation lines joined.
  const commands = doc.replaceAll("\\\n", " ").split("\n")
    .map((line) =>
      /(?:jsr:@pyport\/web\/serve|http_server\/serve\.ts)( .*)$/.exec(line)?.[1]
    )
    .filter((tail) => tail !== undefined);
  for (const tail of commands) {
    for (const m of tail.matchAll(/ (--?[a-z][a-z-]*)/g)) {
      used.add(m[1] as string);
    }
  }
  ok(
    used.has("--tls-cert") && used.has("-d") && used.has("-p"),
    [...used].join(" "),
  );
  for (const flag of used) {
    ok(help.includes(flag), `${flag} is not in serve --help`);
  }
});

/** The words of the doc's `openssl ...` command, continuation lines joined. */
async function docOpensslArgs(): Promise<string[]> {
  const doc = await Deno.readTextFile(`${ROOT}examples/static_hosting.md`);
  const line = doc.replaceAll("\\\n", " ").split("\n")
    .find((l) => l.startsWith("openssl "));
  ok(line, "static_hosting.md shows no openssl command");
  // Shell words: runs of plain characters or double-quoted strings.
  const words = [...line.matchAll(/"([^"]*)"|(\S+)/g)]
    .map((m) => m[1] ?? m[2] as string);
  return words.slice(1);
}

Deno.test({
  name: "serve over HTTPS with the self-signed certificate the doc makes",
  ignore: !haveOpenssl,
}, async (t) => {
  const dir = await siteDir();
  try {
    // The openssl command of static_hosting.md, as written there.
    await openssl(await docOpensslArgs(), dir);
    const server = await startServe([
      "0",
      "-b",
      "127.0.0.1",
      "-d",
      dir,
      "--tls-cert",
      `${dir}/cert.pem`,
      "--tls-key",
      `${dir}/key.pem`,
    ]);
    let result;
    try {
      const ca = await Deno.readTextFile(`${dir}/cert.pem`);
      const client = Deno.createHttpClient({ caCerts: [ca] });
      try {
        const res = await fetch(`https://localhost:${server.port}/`, {
          client,
          signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
        });
        equal(await res.text(), "<h1>Home</h1>\n");
      } finally {
        client.close();
      }
      await t.step("and urlopen trusts it with deno run --cert", async () => {
        const out = await new Deno.Command(Deno.execPath(), {
          args: [
            "run",
            "-A",
            "--cert",
            `${dir}/cert.pem`,
            "examples/scrape_links.ts",
            `https://localhost:${server.port}/`,
          ],
          cwd: ROOT,
          env: { NO_COLOR: "1" },
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = new TextDecoder().decode(out.stdout);
        equal(out.code, 0, new TextDecoder().decode(out.stderr));
        ok(text.startsWith(`URL: https://localhost:${server.port}/\n`), text);
      });
    } finally {
      result = await server.stop();
    }
    equal(result.code, 0, result.stderr);
    ok(
      result.stdout.startsWith(
        `Serving HTTPS on 127.0.0.1 port ${server.port} `,
      ),
      result.stdout,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/**
 * How to run a command without the privilege to bind ports below 1024: as
 * is for an ordinary user; for root, under `setpriv` with
 * CAP_NET_BIND_SERVICE dropped from the bounding set (root keeps reading
 * the Deno cache and the checkout, and loses exactly that privilege).
 * Null where that cannot be arranged.
 */
function unprivileged(): string[] | null {
  if (Deno.build.os !== "linux") return null;
  if (Deno.uid() !== 0) return [];
  try {
    const probe = new Deno.Command("setpriv", {
      args: ["--bounding-set=-net_bind_service", "--", "true"],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    return probe.success
      ? ["setpriv", "--bounding-set=-net_bind_service", "--"]
      : null;
  } catch {
    return null; // no setpriv
  }
}

function unprivilegedStart(): number {
  try {
    return Number(
      Deno.readTextFileSync("/proc/sys/net/ipv4/ip_unprivileged_port_start")
        .trim(),
    );
  } catch {
    return 0;
  }
}

const DROP_PRIVILEGE = unprivileged();

Deno.test({
  name: "serve 80 without the privilege says what to do",
  // Port 80 must really be privileged here, and we must be able to run
  // serve without the privilege (as root: setpriv, see unprivileged()).
  ignore: DROP_PRIVILEGE === null || unprivilegedStart() <= 80,
  async fn() {
    const [cmd, ...prefix] = [...DROP_PRIVILEGE!, Deno.execPath()];
    const out = await new Deno.Command(cmd!, {
      args: [
        ...prefix,
        "run",
        "-A",
        "http_server/serve.ts",
        "80",
        "-b",
        "127.0.0.1",
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(20_000),
    }).output();
    equal(out.code, 1, new TextDecoder().decode(out.stderr));
    equal(
      new TextDecoder().decode(out.stderr),
      "Error: no permission to listen on port 80 (ports below 1024 need " +
        'administrator rights): pick a port above 1023, e.g. "serve 8000"\n',
    );
    equal(new TextDecoder().decode(out.stdout), "");
  },
});
