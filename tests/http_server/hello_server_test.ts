import { equal, match } from "node:assert/strict";

const EXAMPLE =
  new URL("../../examples/hello_server.ts", import.meta.url).pathname;
const decoder = new TextDecoder();

Deno.test({
  name: "examples/hello_server.ts: GET says Hello World, POST echoes the form",
  ignore: Deno.build.os === "windows",
  async fn() {
    const child = new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-net", EXAMPLE, "0"],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const stderr = new Response(child.stderr).text();
    const reader = child.stdout.getReader();
    try {
      let out = "";
      while (!out.includes(") ...")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`example exited: ${out}`);
        out += decoder.decode(value);
      }
      const port = Number(/ port (\d+) /.exec(out)?.[1]);
      equal(
        out,
        `Serving HTTP on 127.0.0.1 port ${port} (http://127.0.0.1:${port}/) ...\n`,
      );

      let res = await fetch(`http://127.0.0.1:${port}/`);
      equal(res.status, 200);
      equal(res.headers.get("content-type"), "text/plain");
      equal(res.headers.get("content-length"), "11");
      equal(await res.text(), "Hello World");

      res = await fetch(`http://127.0.0.1:${port}/form`, {
        method: "POST",
        body: new URLSearchParams({ name: "Ada", lang: "py thon" }),
      });
      equal(
        res.headers.get("content-type"),
        "application/x-www-form-urlencoded;charset=UTF-8",
      );
      equal(await res.text(), "name=Ada&lang=py+thon");

      child.kill("SIGINT");
      equal((await child.status).code, 0);
      let rest = "";
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        rest += decoder.decode(value);
      }
      equal(rest, "\nKeyboard interrupt received, exiting.\n");
      const log = await stderr;
      match(log, /"GET \/ HTTP\/1\.1" 200 -\n/);
      match(log, /"POST \/form HTTP\/1\.1" 200 -\n/);
    } finally {
      try {
        child.kill("SIGKILL");
      } catch {
        // Already exited.
      }
      await child.status;
      reader.releaseLock();
      await child.stdout.cancel().catch(() => {});
    }
  },
});
