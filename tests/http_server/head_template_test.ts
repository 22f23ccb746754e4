/**
 * A cached file's head sent from bytes kept with the entry
 * (`SEND_KEPT_HEAD`): the same bytes the hooks make, the
 * log line still written, and the hooks' settings followed as they change.
 */
import { deepEqual, equal, match } from "node:assert/strict";
import {
  BaseHTTPRequestHandler,
  FileCache,
  SimpleHTTPRequestHandler,
} from "../../http_server/mod.ts";
import { settle } from "./_cache_tree.ts";
import { exchange, normalized } from "./_harness.ts";

const BODY = "x".repeat(1000) + "\n";

/** A folder with `page.txt`, settled so that the cache takes it. */
async function folder(): Promise<{ path: string } & AsyncDisposable> {
  const path = await Deno.makeTempDir({ prefix: "pyport_head_template_" });
  await Deno.writeTextFile(`${path}/page.txt`, BODY);
  await Deno.writeTextFile(`${path}/page.html`, "<p>hi</p>\n");
  await settle(`${path}/page.txt`, `${path}/page.html`);
  return {
    path,
    [Symbol.asyncDispose]: () => Deno.remove(path, { recursive: true }),
  };
}

/** Handlers serving `dir` through one cache, logging to `lines`. */
function handlers(dir: string, lines: string[]) {
  const cache = new FileCache();
  class Plain extends SimpleHTTPRequestHandler.partial({
    directory: dir,
    cache,
  }) {
    override log_message(format: string, ...args: unknown[]): void {
      lines.push([format, ...args].join(" "));
    }
  }
  // Overrides a hook (as itself): every head is made by the hooks.
  class ByHooks extends Plain {
    override send_header(keyword: string, value: string | number): void {
      super.send_header(keyword, value);
    }
  }
  return { Plain, ByHooks, cache };
}

async function getText(
  Handler: typeof SimpleHTTPRequestHandler,
  request: string,
): Promise<string> {
  const { output, error } = await exchange(Handler, request);
  equal(error, null);
  return normalized(output);
}

Deno.test("a cached file's head from kept bytes equals the hooks' head, GET and HEAD, request after request", async () => {
  await using served = await folder();
  const dir = served.path;
  const lines: string[] = [];
  const { Plain, ByHooks, cache } = handlers(dir, lines);
  for (const method of ["GET", "HEAD", "GET"]) {
    const request = `${method} /page.txt HTTP/1.0\r\n\r\n`;
    const kept = await getText(Plain, request);
    const made = await getText(ByHooks, request);
    equal(kept, made, method);
    match(kept, /^HTTP\/1\.0 200 OK\r\nServer: .*\r\nDate: .*\r\n/);
    match(kept, /\r\nContent-type: text\/plain; charset=utf-8\r\n/);
    match(kept, /\r\nContent-Length: 1001\r\n/);
    match(kept, /\r\nLast-Modified: .* GMT\r\n/);
  }
  // Served from the cache, and logged each time as the hooks log.
  equal(cache.cache_info().hits > 0, true);
  equal(lines.length, 6);
  for (const line of lines) match(line, /^"%s" %s %s .* 200 -$/);
});

Deno.test("a kept head follows the handler: server_version, protocol_version, responses and extensions_map changed between requests", async () => {
  await using served = await folder();
  const dir = served.path;
  const { Plain, ByHooks } = handlers(dir, []);
  const request = "GET /page.txt HTTP/1.1\r\nConnection: close\r\n\r\n";
  await getText(Plain, request); // keeps the head
  const cases: [string, (H: typeof Plain) => typeof Plain][] = [
    ["server_version", (H) =>
      class extends H {
        override server_version = "Renamed/1.0";
      }],
    ["protocol_version", (H) =>
      class extends H {
        override protocol_version = "HTTP/1.1";
      }],
    ["responses", (H) =>
      class extends H {
        override responses = { ...H.responses, 200: ["Fine", ""] as const };
      }],
    ["extensions_map", (H) =>
      class extends H {
        override extensions_map = {
          ...H.extensions_map,
          ".txt": "text/x-notes",
        };
      }],
  ];
  for (const [what, change] of cases) {
    const kept = await getText(change(Plain), request);
    const made = await getText(change(ByHooks), request);
    equal(kept, made, what);
    // And back: the plain handler's own head again.
    equal(await getText(Plain, request), await getText(ByHooks, request));
  }
  match(
    await getText(
      class extends Plain {
        override server_version = "Renamed/1.0";
      },
      request,
    ),
    /\r\nServer: Renamed\/1\.0 /,
  );
});

Deno.test("a header buffered before send_response goes first, as the hooks send it; HTTP/0.9, a validator and a range get the hooks", async () => {
  await using served = await folder();
  const dir = served.path;
  const { Plain, ByHooks } = handlers(dir, []);
  class Begun extends Plain {
    override do_GET(): void | Promise<void> {
      // A header buffered before send_response: Python sends it first.
      this.send_header("X-Early", "1");
      return super.do_GET();
    }
  }
  class BegunByHooks extends ByHooks {
    override do_GET(): void | Promise<void> {
      this.send_header("X-Early", "1");
      return super.do_GET();
    }
  }
  const request = "GET /page.txt HTTP/1.0\r\n\r\n";
  await getText(Plain, request); // keeps the head
  equal(await getText(Begun, request), await getText(BegunByHooks, request));
  match(await getText(Begun, request), /^X-Early: 1\r\nHTTP\/1\.0 200 OK/);
  equal(await getText(Plain, "GET /page.txt\r\n\r\n"), BODY);
  const ranged = "GET /page.txt HTTP/1.0\r\nRange: bytes=0-9\r\n\r\n";
  equal(await getText(Plain, ranged), await getText(ByHooks, ranged));
  match(await getText(Plain, ranged), /^HTTP\/1\.0 206 /);
  const page = await getText(Plain, "GET /page.html HTTP/1.0\r\n\r\n");
  const tag = /\r\nETag: ([^\r]*)/.exec(page)?.[1] ?? "";
  const revalidate = `GET /page.html HTTP/1.0\r\nIf-None-Match: ${tag}\r\n\r\n`;
  deepEqual(
    (await getText(Plain, revalidate)).split("\r\n")[0],
    "HTTP/1.0 304 Not Modified",
  );
});

Deno.test("hooks patched on BaseHTTPRequestHandler's prototype are called, even for a head kept before the patch", async () => {
  await using served = await folder();
  const dir = served.path;
  const own = BaseHTTPRequestHandler.prototype;
  const { date_time_string, version_string, send_header } = own;
  try {
    const { Plain } = handlers(dir, []);
    const request = "GET /page.txt HTTP/1.0\r\n\r\n";
    await exchange(Plain, request); // keeps the head
    const names: string[] = [];
    own.date_time_string = () => "Fixed, 01 Jan 2000 00:00:00 GMT";
    own.version_string = () => "Patched/1";
    own.send_header = function (
      this: BaseHTTPRequestHandler,
      k: string,
      v: string | number,
    ) {
      names.push(k);
      send_header.call(this, k, v);
    };
    const { output } = await exchange(Plain, request);
    match(output, /\r\nServer: Patched\/1\r\n/);
    match(output, /\r\nDate: Fixed, 01 Jan 2000 00:00:00 GMT\r\n/);
    match(output, /\r\nLast-Modified: Fixed, 01 Jan 2000 00:00:00 GMT\r\n/);
    deepEqual(names.slice(0, 3), ["Server", "Date", "Content-type"]);
  } finally {
    Object.assign(own, { date_time_string, version_string, send_header });
  }
});

Deno.test("the log line comes first, as send_response writes it: a log_request override may change the head, and an error making it still follows the line", async () => {
  await using served = await folder();
  const dir = served.path;
  const lines: string[] = [];
  const { Plain, ByHooks } = handlers(dir, lines);
  const request = "GET /page.txt HTTP/1.0\r\n\r\n";
  await exchange(Plain, request); // keeps the head
  const renaming = (H: typeof Plain) =>
    class extends H {
      override log_request(code?: number | string, size?: number | string) {
        this.server_version = "Changed/9";
        super.log_request(code, size);
      }
    };
  const kept = await getText(renaming(Plain), request);
  equal(kept, await getText(renaming(ByHooks), request));
  match(kept, /\r\nServer: Changed\/9 /);
  // A Server value Latin-1 cannot carry: the request is logged, then the
  // head fails, whichever way it is made.
  const euro = (H: typeof Plain) =>
    class extends H {
      override server_version = "Caf\u20ac/1";
    };
  for (const H of [euro(Plain), euro(ByHooks)]) {
    lines.length = 0;
    const { error, output } = await exchange(H, request);
    equal(output, "");
    equal(error instanceof TypeError, true);
    equal(lines.length, 1);
    match(lines[0]!, / 200 -$/);
  }
});
