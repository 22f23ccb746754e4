/**
 * examples/hello_server.ts, run as its header says (`--allow-net`, a port):
 * GET says Hello World, POST echoes the form, Ctrl-C stops it cleanly.
 */
import { equal, match } from "node:assert/strict";
import { CLIENT_TIMEOUT_MS, ServeProcess } from "../_server.ts";

const EXAMPLE =
  new URL("../../examples/hello_server.ts", import.meta.url).pathname;

Deno.test({
  name: "examples/hello_server.ts: GET says Hello World, POST echoes the form",
  ignore: Deno.build.os === "windows",
  async fn() {
    await using server = new ServeProcess(["0"], {
      script: EXAMPLE,
      permissions: ["--allow-net"],
    });
    const port = await server.started();
    equal(
      server.stdout,
      `Serving HTTP on 127.0.0.1 port ${port} (http://127.0.0.1:${port}/) ...\n`,
    );
    const signal = AbortSignal.timeout(CLIENT_TIMEOUT_MS);
    let res = await fetch(`http://127.0.0.1:${port}/`, { signal });
    equal(res.status, 200);
    equal(res.headers.get("content-type"), "text/html;charset=UTF-8");
    equal(res.headers.get("content-length"), "11");
    equal(await res.text(), "Hello World");

    res = await fetch(`http://127.0.0.1:${port}/form`, {
      method: "POST",
      body: new URLSearchParams({ name: "Ada", lang: "py thon" }),
      signal,
    });
    equal(
      res.headers.get("content-type"),
      "application/x-www-form-urlencoded;charset=UTF-8",
    );
    equal(await res.text(), "name=Ada&lang=py+thon");

    equal(await server.stop(), 0);
    equal(
      server.stdout.slice(server.stdout.indexOf("\n") + 1),
      "\nKeyboard interrupt received, exiting.\n",
    );
    match(server.stderr, /"GET \/ HTTP\/1\.1" 200 -\n/);
    match(server.stderr, /"POST \/form HTTP\/1\.1" 200 -\n/);
  },
});

Deno.test({
  name:
    "examples/hello_server.ts: a port that is no number is refused with a usage line",
  ignore: Deno.build.os === "windows",
  async fn() {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-net", EXAMPLE, "abc"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    equal(out.code, 2);
    match(new TextDecoder().decode(out.stderr), /usage: .* no port: abc/);
  },
});
