import { deepEqual, equal, match, ok } from "node:assert/strict";
import {
  CLIENT_TIMEOUT_MS,
  runServe as run,
  SERVE,
  ServeProcess,
} from "../_server.ts";
import { freePort } from "../_daemon.ts";
import { encryptKey, haveOpenssl, makeCerts } from "../_tls.ts";
import { RawConnection } from "./_diff_http.ts";

const WINDOWS = Deno.build.os === "windows";

const dir = await Deno.makeTempDir({ prefix: "pyport_serve_" });
await Deno.writeTextFile(`${dir}/hello.txt`, "Hello World\n");

Deno.test({
  name: "serve: -b=ADDRESS, -d=DIR and -p=VERSION as argparse reads them",
  ignore: WINDOWS,
  async fn() {
    await using server = new ServeProcess([
      "0",
      "-b=127.0.0.1",
      `-d=${dir}`,
      "-p=HTTP/1.1",
    ]);
    const port = await server.started();
    const conn = await RawConnection.open({ hostname: "127.0.0.1", port });
    await conn.write("GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n");
    const raw = await conn.read();
    equal(raw.statusLine, "HTTP/1.1 200 OK");
    conn.close();
  },
});

Deno.test({
  name: "serve: startup line, one log line per request, Ctrl-C exits 0",
  ignore: WINDOWS,
  async fn() {
    await using server = new ServeProcess(["0", "-b", "127.0.0.1", "-d", dir]);
    const port = await server.started();
    ok(port > 0);
    equal(
      server.stdout,
      `Serving HTTP on 127.0.0.1 port ${port} (http://127.0.0.1:${port}/) ...\n`,
    );
    const res = await fetch(`http://127.0.0.1:${port}/hello.txt`, {
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    equal(await res.text(), "Hello World\n");
    // HTTP/1.0, as Python: one request per connection, closed by the server.
    const conn = await RawConnection.open({ hostname: "127.0.0.1", port });
    await conn.write("GET /hello.txt HTTP/1.1\r\nHost: a\r\n\r\n");
    const raw = await conn.read();
    equal(raw.statusLine, "HTTP/1.0 200 OK");
    equal(await conn.waitClosed(2000), true);
    conn.close();
    const missing = await fetch(`http://127.0.0.1:${port}/nope`, {
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    await missing.body?.cancel();
    await server.until(
      () => server.stderr.split("\n").length > 4,
      "the log lines",
    );
    const lines = server.stderr.trimEnd().split("\n");
    match(
      lines[0] ?? "",
      /^127\.0\.0\.1 - - \[\d\d\/\w{3}\/\d{4} \d\d:\d\d:\d\d\] "GET \/hello\.txt HTTP\/1\.1" 200 -$/,
    );
    match(lines[1] ?? "", /\] "GET \/hello\.txt HTTP\/1\.1" 200 -$/);
    match(lines[2] ?? "", /\] code 404, message File not found$/);
    match(lines[3] ?? "", /\] "GET \/nope HTTP\/1\.1" 404 -$/);
    equal(await server.stop("SIGINT"), 0);
    ok(server.stdout.endsWith("\nKeyboard interrupt received, exiting.\n"));
  },
});

Deno.test({
  name:
    "serve: SIGTERM exits 0 without Ctrl-C's words, as Python's server says nothing; -p HTTP/1.1 keeps connections",
  ignore: WINDOWS,
  async fn() {
    await using server = new ServeProcess([
      "0",
      "-b",
      "127.0.0.1",
      "-d",
      dir,
      "-p",
      "HTTP/1.1",
    ]);
    const port = await server.started();
    const res = await fetch(`http://127.0.0.1:${port}/hello.txt`, {
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    equal(res.headers.has("connection"), false);
    await res.body?.cancel();
    equal(await server.stop("SIGTERM"), 0);
    ok(!server.stdout.includes("Keyboard interrupt"), server.stdout);
  },
});

Deno.test({
  name:
    "deno task serve: serves the folder it is run from, and -d names a folder there (not in the checkout)",
  ignore: WINDOWS,
  async fn() {
    const site = await Deno.makeTempDir({ prefix: "pyport_task_" });
    await Deno.mkdir(`${site}/sub`);
    await Deno.writeTextFile(`${site}/sub/x.txt`, "in sub\n");
    const config = new URL("../../deno.json", import.meta.url).pathname;
    const shellEnv = Deno.env.toObject();
    delete shellEnv.INIT_CWD;
    const cases: [string[], string][] = [
      [[], "/sub/x.txt"],
      [["-d", "sub"], "/x.txt"],
    ];
    try {
      for (const [args, path] of cases) {
        const child = new Deno.Command(Deno.execPath(), {
          args: [
            "task",
            "--config",
            config,
            "serve",
            ...args,
            "-b",
            "127.0.0.1",
            "0",
          ],
          cwd: site,
          // As from a shell: deno task keeps an INIT_CWD it inherits (from
          // the `deno task test` running this), as npm does.
          env: shellEnv,
          clearEnv: true,
          stdout: "piped",
          stderr: "null",
        }).spawn();
        const reader = child.stdout.pipeThrough(new TextDecoderStream())
          .getReader();
        try {
          let out = "";
          const deadline = Date.now() + 20_000;
          while (!out.includes(") ...") && Date.now() < deadline) {
            const { value, done } = await reader.read();
            if (done) break;
            out += value;
          }
          const port = Number(/ port (\d+) /.exec(out)?.[1]);
          ok(port > 0, out);
          const res = await fetch(`http://127.0.0.1:${port}${path}`, {
            signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
          });
          equal(await res.text(), "in sub\n");
        } finally {
          // deno task hands the signal on to the server.
          child.kill("SIGINT");
          await reader.cancel();
          await child.status;
        }
      }
    } finally {
      await Deno.remove(site, { recursive: true });
    }
  },
});

Deno.test({
  name:
    "serve: main() called from a script returns at SIGTERM and leaves nothing running",
  ignore: WINDOWS,
  async fn() {
    await using server = new ServeProcess(
      ["0", "-b", "127.0.0.1", "-d", dir, "-p", "HTTP/1.1"],
      { script: new URL("./_serve_main.ts", import.meta.url).pathname },
    );
    const port = await server.started();
    const res = await fetch(`http://127.0.0.1:${port}/hello.txt`, {
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    await res.body?.cancel();
    // The process ends by itself once main() returns; else stop() kills it.
    equal(await server.stop("SIGTERM"), 0);
    ok(server.stdout.endsWith("main returned 0\n"), server.stdout);
  },
});

Deno.test({
  name:
    "serve: main() with --watch that cannot start returns and leaves no watcher running",
  ignore: WINDOWS,
  async fn() {
    // The certificate is read after the watcher has started.
    const { code, stdout } = await run(
      [
        "--watch",
        "--tls-cert",
        `${dir}/no-such-cert.pem`,
        "--tls-key",
        `${dir}/no-such-key.pem`,
        "-d",
        dir,
        "0",
      ],
      { script: new URL("./_serve_main.ts", import.meta.url).pathname },
    );
    // A process kept alive by the watcher is killed at the time limit.
    equal(code, 0, stdout);
    ok(stdout.endsWith("main returned 1\n"), stdout);
  },
});

Deno.test({
  name:
    "serve: default address is all interfaces, dual-stack where IPv6 exists",
  ignore: WINDOWS,
  async fn() {
    await using server = new ServeProcess(["0", "-d", dir]);
    const port = await server.started();
    match(
      server.stdout,
      /^Serving HTTP on (:: port \d+ \(http:\/\/\[::\]:\d+\/\)|0\.0\.0\.0 port \d+ \(http:\/\/0\.0\.0\.0:\d+\/\)) \.\.\.\n$/,
    );
    const res = await fetch(`http://127.0.0.1:${port}/hello.txt`, {
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    equal(res.status, 200);
    await res.body?.cancel();
    await server.stop();
  },
});

Deno.test("serve: --help mentions every flag and the missing --cgi", async () => {
  const { code, stdout } = await run(["--help"]);
  equal(code, 0);
  for (
    const flag of [
      "-b",
      "-d",
      "-p",
      "--tls-cert",
      "--tls-key",
      "--tls-password-file",
      "--follow-symlinks",
      "--http2",
      "--cgi",
    ]
  ) {
    ok(stdout.includes(flag), flag);
  }
  match(stdout, /deprecated/);
});

Deno.test("serve: bad command lines exit 2 with one clear error", async () => {
  for (
    const [args, message] of [
      [["--bogus"], /serve: error: unrecognized arguments: --bogus$/m],
      // The whole argument, and a value given to a flag that takes none,
      // named as argparse names them.
      [["--bogus=1"], /serve: error: unrecognized arguments: --bogus=1$/m],
      [
        ["--cors=1"],
        /serve: error: argument --cors: ignored explicit argument '1'$/m,
      ],
      [
        ["--cgi=x"],
        /serve: error: argument --cgi: ignored explicit argument 'x'$/m,
      ],
      [
        ["-d"],
        /serve: error: argument -d\/--directory: expected one argument$/m,
      ],
      // Named as argparse names it, however it was written.
      [
        ["-d", "-x"],
        /serve: error: argument -d\/--directory: expected one argument$/m,
      ],
      [
        ["--directory", "-x"],
        /serve: error: argument -d\/--directory: expected one argument$/m,
      ],
      [["notaport"], /invalid int value: 'notaport'/],
      [["70000"], /argument port: 70000 is not a port \(0-65535\)$/m],
      // The port as written, not as a double rounds it.
      [
        ["99999999999999999999"],
        /argument port: 99999999999999999999 is not a port/,
      ],
      [["-p", "HTTP/2"], /not HTTP\/1\.0 or HTTP\/1\.1/],
      [["--cgi"], /--cgi is not supported/],
      [["--tls-key", "k.pem"], /need --tls-cert/],
      [["--http2"], /--http2 needs --tls-cert or --tls-self-signed/],
      [
        ["--http2", "--tls-self-signed", "--workers", "2"],
        /--workers does not combine with --http2/,
      ],
      [
        ["--watch", "--workers", "2"],
        /--watch does not combine with --workers/,
      ],
      [["1", "2"], /unrecognized arguments: 2/],
    ] as const
  ) {
    const { code, stderr, stdout } = await run([...args]);
    equal(code, 2, args.join(" "));
    match(stderr, message);
    equal(stdout, "");
    equal(stderr.includes("    at "), false, "no stack trace");
  }
});

Deno.test("serve: -h acts where argparse reaches it; long options abbreviate as argparse allows", async () => {
  // What python3.13 -m http.server does with each (exit 0: the help).
  const cases: [string[], RegExp | null][] = [
    [["--bogus", "-h"], null],
    [["-h", "--bogus"], null],
    [["-h", "-b"], null],
    [["1", "2", "-h"], null],
    [["-p", "HTTP/2", "-h"], null],
    [["--bi", "127.0.0.1", "--prot", "HTTP/1.1", "--help"], null],
    [["-hh"], null],
    [["-hx"], null],
    [["-hb", "127.0.0.1"], null],
    [["-hb"], /argument -b\/--bind: expected one argument/],
    [["--he=1"], /argument -h\/--help: ignored explicit argument '1'/],
    [["-h=1"], /argument -h\/--help: ignored explicit argument '1'/],
    [["8000x", "-h"], /invalid int value: '8000x'/],
    [["-b", "-h"], /argument -b\/--bind: expected one argument/],
    [["--", "-h"], /invalid int value: '-h'/],
    // Python's own flags first: --he is --help, as in Python.
    [["--he"], null],
    // A prefix of several options is refused, naming them.
    [
      ["--no", "x"],
      /ambiguous option: --no could match --no-cache, --no-dotfiles, --no-listing$/m,
    ],
  ];
  await Promise.all(cases.map(async ([args, error]) => {
    const { code, stdout, stderr } = await run(args);
    if (error === null) {
      equal(code, 0, args.join(" "));
      ok(stdout.startsWith("usage: serve "), args.join(" "));
    } else {
      equal(code, 2, args.join(" "));
      match(stderr, error);
    }
  }));
  await using server = new ServeProcess([
    "0",
    "--bi",
    "127.0.0.1",
    "--dir=" + dir,
    "--p",
    "HTTP/1.1",
  ]);
  const port = await server.started();
  ok(
    server.stdout.startsWith("Serving HTTP on 127.0.0.1 port "),
    server.stdout,
  );
  const res = await fetch(`http://127.0.0.1:${port}/hello.txt`, {
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  });
  equal(res.status, 200);
  await res.body?.cancel();
  await server.stop();
  // An empty folder name is the current folder, as in Python.
  await using here = new ServeProcess(["0", "-b", "127.0.0.1", "--dir="], {
    cwd: dir,
  });
  const herePort = await here.started();
  const again = await fetch(`http://127.0.0.1:${herePort}/hello.txt`, {
    signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
  });
  equal(again.status, 200);
  await again.body?.cancel();
  await here.stop();
});

Deno.test("serve: start-up failures exit 1 with one line saying what to do", async () => {
  let result = await run(["0", "-d", `${dir}/missing`]);
  equal(result.code, 1);
  equal(
    result.stderr,
    `Error: directory '${dir}/missing' does not exist: give an existing folder with -d\n`,
  );

  // A folder name with bytes that are not UTF-8 reaches Deno with U+FFFD
  // in their place: say so rather than only "does not exist".
  result = await run(["0", "-d", `${dir}/d\uFFFDx`]);
  equal(result.code, 1);
  match(result.stderr, /a name that is not UTF-8 cannot be given to Deno/);

  // -d=VALUE is the value whatever it is, `--` included, as in argparse.
  result = await run(["0", "-d=--"]);
  equal(result.code, 1);
  equal(
    result.stderr,
    "Error: directory '--' does not exist: give an existing folder with -d\n",
  );

  result = await run(["0", "-d", `${dir}/hello.txt`]);
  equal(result.code, 1);
  match(result.stderr, /is not a directory/);

  using taken = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (taken.addr as Deno.NetAddr).port;
  result = await run([String(port), "-b", "127.0.0.1", "-d", dir]);
  equal(result.code, 1);
  match(
    result.stderr,
    new RegExp(
      `^Error: port ${port} is already in use on 127\\.0\\.0\\.1: .*pick another port`,
    ),
  );
  equal(result.stderr.trimEnd().split("\n").length, 1);
  // Without -b the address tried is "::", and the message names it.
  let dualStack: Deno.Listener | null = null;
  try {
    dualStack = Deno.listen({ hostname: "::", port: 0 });
  } catch {
    // No IPv6 here: serve would use 0.0.0.0, named as such.
  }
  if (dualStack !== null) {
    const busy = (dualStack.addr as Deno.NetAddr).port;
    result = await run([String(busy), "-d", dir]);
    dualStack.close();
    equal(result.code, 1);
    match(
      result.stderr,
      new RegExp(`^Error: port ${busy} is already in use on \\[::\\]: `),
    );
  }

  result = await run(["0", "-b", "203.0.113.7", "-d", dir]);
  equal(result.code, 1);
  match(result.stderr, /^Error: cannot listen on 203\.0\.113\.7/);

  result = await run(["0", "-d", dir, "--tls-cert", `${dir}/hello.txt`]);
  equal(result.code, 1);
  match(
    result.stderr,
    /^Error: cannot load TLS certificate or key: no PEM certificate/,
  );
});

Deno.test({
  name:
    "serve: HTTPS with --tls-cert, --tls-key and an encrypted key's --tls-password-file",
  ignore: WINDOWS || !haveOpenssl,
  async fn() {
    const certs = await makeCerts();
    await Deno.writeTextFile(`${dir}/cert.pem`, certs.cert);
    await Deno.writeTextFile(`${dir}/key.pem`, certs.key);
    await Deno.writeTextFile(
      `${dir}/enc.pem`,
      await encryptKey(certs.key, "s3cret"),
    );
    // Read as Python 3.14's http.server reads it: f.read().strip().
    await Deno.writeTextFile(`${dir}/pw.txt`, "s3cret \n\n");
    /** serve with this certificate, on a free port of 127.0.0.1. */
    const serveTls = (...more: string[]) =>
      new ServeProcess(
        ["0", "-b", "127.0.0.1", "-d", dir, "--tls-cert", `${dir}/cert.pem`]
          .concat(more),
      );
    await using server = serveTls(
      "--tls-key",
      `${dir}/enc.pem`,
      "--tls-password-file",
      `${dir}/pw.txt`,
    );
    const port = await server.started();
    equal(
      server.stdout,
      `Serving HTTPS on 127.0.0.1 port ${port} (https://127.0.0.1:${port}/) ...\n`,
    );
    using client = Deno.createHttpClient({ caCerts: [certs.ca] });
    const res = await fetch(`https://127.0.0.1:${port}/hello.txt`, {
      client,
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    equal(await res.text(), "Hello World\n");
    equal(await server.stop(), 0);

    // --http2: Deno.serve and the fetch adapter; ALPN offers h2 first.
    await using h2 = serveTls("--tls-key", `${dir}/key.pem`, "--http2");
    const h2Port = await h2.started();
    const tls = await Deno.connectTls({
      hostname: "127.0.0.1",
      port: h2Port,
      caCerts: [certs.ca],
      alpnProtocols: ["h2", "http/1.1"],
    });
    equal((await tls.handshake()).alpnProtocol, "h2");
    tls.close();
    const viaH2 = await fetch(`https://127.0.0.1:${h2Port}/hello.txt`, {
      client,
      signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
    });
    equal(await viaH2.text(), "Hello World\n");
    await h2.until(
      () => h2.stderr.includes('"GET /hello.txt HTTP/1.1" 200'),
      "the log line",
    );
    // HTTP/1.1 keep-alive through Deno.serve: with Nagle's algorithm on,
    // every response after the first waited about 40 ms for the client's
    // delayed ACK. A loaded machine can slow any number of them, but not
    // speed one up: one answered sooner shows that none has to wait.
    using h1Client = Deno.createHttpClient({
      caCerts: [certs.ca],
      http2: false,
    });
    const times: number[] = [];
    for (let i = 0; i < 11; i++) {
      const started = performance.now();
      const again = await fetch(`https://127.0.0.1:${h2Port}/hello.txt`, {
        client: h1Client,
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      await again.arrayBuffer();
      if (i > 0) times.push(performance.now() - started);
    }
    ok(Math.min(...times) < 30, `every one slow: ${times.join(", ")} ms`);
    // Downloads the client gives up on midway leave no file open (Deno.serve
    // does not always cancel the body of an HTTP/2 stream reset).
    const big = `${dir}/big.bin`;
    await Deno.writeFile(big, new Uint8Array(0));
    await Deno.truncate(big, 64 * 1024 * 1024);
    using h2Only = Deno.createHttpClient({
      caCerts: [certs.ca],
      http1: false,
      http2: true,
    });
    for (let i = 0; i < 5; i++) {
      const stop = new AbortController();
      const download = await fetch(`https://127.0.0.1:${h2Port}/big.bin`, {
        client: h2Only,
        signal: stop.signal,
      });
      await download.body!.getReader().read();
      stop.abort();
    }
    // Over HTTP/1.1, many at once (then Deno.serve may neither cancel the
    // body nor reject its completed promise, which resolves instead).
    using h1Only = Deno.createHttpClient({
      caCerts: [certs.ca],
      http2: false,
    });
    await Promise.all(Array.from({ length: 30 }, async (_, i) => {
      const stop = new AbortController();
      const download = await fetch(`https://127.0.0.1:${h2Port}/big.bin`, {
        client: h1Only,
        signal: stop.signal,
      });
      await download.body!.getReader().read();
      await new Promise((resolve) => setTimeout(resolve, i % 10));
      stop.abort();
    }));
    const openCopies = () =>
      [...Deno.readDirSync(`/proc/${h2.child.pid}/fd`)].filter((fd) => {
        try {
          return Deno.readLinkSync(`/proc/${h2.child.pid}/fd/${fd.name}`) ===
            big;
        } catch {
          return false; // Closed meanwhile.
        }
      }).length;
    if (Deno.build.os === "linux") {
      await h2.until(
        () => openCopies() === 0,
        "aborted downloads' files closed",
      );
    }
    // Python's traceback for each broken pipe, nothing besides.
    ok(!h2.stderr.includes("UnexpectedEof"), h2.stderr);
    await Deno.remove(big);
    // Large files arrive whole and right over HTTP/2 and HTTP/1.1 alike
    // (the writer reuses its buffers; the adapter must not queue them).
    const random = new Uint8Array(8 * 1024 * 1024);
    for (let at = 0; at < random.length; at += 65_536) {
      crypto.getRandomValues(random.subarray(at, at + 65_536));
    }
    await Deno.writeFile(`${dir}/random.bin`, random);
    const digest = async (bytes: Uint8Array<ArrayBuffer>) =>
      new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
    const expected = await digest(random);
    for (const via of [h2Only, client]) {
      const res = await fetch(`https://127.0.0.1:${h2Port}/random.bin`, {
        client: via,
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      deepEqual(await digest(await res.bytes()), expected);
    }
    await Deno.remove(`${dir}/random.bin`);
    equal(await h2.stop(), 0);

    /** serve with this certificate and `key`, which fails to start. */
    const runWithKey = (key: string) =>
      run([
        "0",
        "-b",
        "127.0.0.1",
        "-d",
        dir,
        "--tls-cert",
        `${dir}/cert.pem`,
        "--tls-key",
        key,
      ]);
    const wrong = await runWithKey(`${dir}/enc.pem`);
    // Without the password: one line naming the flag that gives it.
    equal(wrong.code, 1);
    match(
      wrong.stderr,
      /^Error: cannot load TLS certificate or key: the private key in '.*enc\.pem' is encrypted: give its password \(with --tls-password-file\)\n$/,
    );
    // Another certificate's key: said as such, not as a failure to listen.
    await Deno.writeTextFile(`${dir}/other.pem`, (await makeCerts()).key);
    const mismatched = await runWithKey(`${dir}/other.pem`);
    equal(mismatched.code, 1);
    equal(
      mismatched.stderr,
      "Error: cannot load TLS certificate or key: the private key does not match the certificate\n",
    );
  },
});

Deno.test({
  name:
    "serve: stdout that cannot be written (a full disk) does not stop it, as Python's buffered stdout does not",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const port = freePort();
    const child = new Deno.Command("sh", {
      args: [
        "-c",
        `exec "$0" run -A "$1" ${port} -b 127.0.0.1 -d "$2" >/dev/full`,
        Deno.execPath(),
        SERVE,
        dir,
      ],
      stdout: "null",
      stderr: "piped",
    }).spawn();
    try {
      let exited = false;
      child.status.then(() => exited = true);
      // Until it answers, or stops (the failure), or a generous deadline
      // passes (the machine may be busy with other tests).
      const deadline = Date.now() + 60_000;
      let status = 0;
      while (status !== 200 && !exited && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        status = await fetch(`http://127.0.0.1:${port}/hello.txt`)
          .then(async (res) => (await res.body?.cancel(), res.status))
          .catch(() => 0);
      }
      if (status !== 200) {
        try {
          child.kill("SIGTERM");
        } catch {
          // It had stopped already (the failure this test is about).
        }
        const said = new TextDecoder().decode((await child.output()).stderr);
        equal(status, 200, exited ? `serve stopped: ${said}` : "no answer");
      }
    } finally {
      try {
        child.kill("SIGTERM");
        await child.stderr.cancel();
      } catch {
        // Stopped and read above.
      }
      await child.status;
    }
  },
});

Deno.test("cleanup", async () => {
  await Deno.remove(dir, { recursive: true });
});

Deno.test({
  name:
    "serve: the permissions serving needs are asked for at startup, never on a request (a prompt would stop the whole server)",
  ignore: WINDOWS,
  async fn() {
    const site = await Deno.makeTempDir({ prefix: "pyport_perm_" });
    try {
      const refused: [string[], string[], RegExp][] = [
        [
          ["--allow-net", `--allow-read=${site}`],
          ["--upload"],
          /^Error: --upload needs permission to write in '.*': run with -A \(or --allow-write=/,
        ],
        [
          ["--allow-net", `--allow-read=${site}`],
          ["--follow-symlinks"],
          /^Error: --follow-symlinks needs permission to read wherever a link may lead/,
        ],
        [
          ["--allow-net"],
          [],
          /^Error: Deno needs permission to read '.*': run with -A \(or --allow-read=/,
        ],
        // Files named on the command line, outside the folder: asked for
        // like the folder, the flag named (not a usage error, nor Deno's
        // own wording once the file is opened).
        ...(["--auth-file", "--tls-cert"].map((flag) =>
          [
            ["--allow-net", `--allow-read=${site}`],
            [flag, `${site}_elsewhere/file`],
            new RegExp(
              `^Error: ${flag} needs permission to read '${site}_elsewhere/file': run with -A \\(or --allow-read=${site}_elsewhere/file\\)\n$`,
            ),
          ] as [string[], string[], RegExp]
        )),
        [
          ["--allow-net", `--allow-read=${site}`],
          ["--tls-cert", `${site}/c.pem`, "--tls-key", `${site}_elsewhere/k`],
          /^Error: --tls-key needs permission to read '.*_elsewhere\/k'/,
        ],
        [
          ["--allow-net", `--allow-read=${site}`],
          [
            "--tls-cert",
            `${site}/c.pem`,
            "--tls-password-file",
            `${site}_elsewhere/pw`,
          ],
          /^Error: --tls-password-file needs permission to read '.*_elsewhere\/pw'/,
        ],
        // Where --workers runs (Linux): asked for like the others, not
        // Deno's own wording once the first worker fails to start.
        ...(Deno.build.os === "linux"
          ? [[
            ["--allow-net", `--allow-read=${site}`],
            ["--workers", "2"],
            /^Error: --workers needs permission to start its worker processes: run with -A \(or --allow-run\)\n$/,
          ] as [string[], string[], RegExp]]
          : []),
        // Reading granted, listening not: the address is named, not reading.
        [
          [`--allow-read=${site}`],
          [],
          /^Error: Deno needs permission to listen on 127\.0\.0\.1 port 0: run with -A \(or --allow-net\)\n$/,
        ],
        [
          [`--allow-read=${site}`, "--allow-net=127.0.0.2"],
          [],
          /^Error: Deno needs permission to listen on 127\.0\.0\.1 port 0: run with -A \(or --allow-net\)\n$/,
        ],
      ];
      for (const [permissions, flags, message] of refused) {
        await using server = new ServeProcess(
          ["0", "-b", "127.0.0.1", "-d", site, ...flags],
          { permissions },
        );
        await server.until(() => server.exitCode !== null, "the exit");
        equal(server.exitCode, 1);
        match(server.stderr, message);
        equal(server.stdout, "");
      }
      // With exactly what it asks for, an upload is written.
      await using server = new ServeProcess(
        ["0", "-b", "127.0.0.1", "-d", site, "--upload"],
        {
          permissions: [
            "--allow-net",
            `--allow-read=${site}`,
            `--allow-write=${site}`,
          ],
        },
      );
      const port = await server.started();
      const res = await fetch(`http://127.0.0.1:${port}/up.txt`, {
        method: "PUT",
        body: "uploaded\n",
        signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
      });
      await res.body?.cancel();
      equal(res.status, 201);
      equal(await Deno.readTextFile(`${site}/up.txt`), "uploaded\n");
    } finally {
      await Deno.remove(site, { recursive: true });
    }
  },
});
