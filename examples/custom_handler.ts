/**
 * An opener with a handler of one's own, as the urllib2 tutorials show:
 * a `mem:` URL scheme answered from a `Map`, plus a processor that adds a
 * header to every HTTP request. The opener finds the methods by their
 * names (`mem_open`, `http_request`), exactly as Python's does.
 *
 * Run it from a checkout:
 *
 * ```sh
 * deno run --allow-net examples/custom_handler.ts [mem:/PATH ...]
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net jsr:@pyport/web/examples/custom_handler [mem:/PATH ...]
 * ```
 *
 * Without arguments it opens `mem:/hello.txt`, `mem:/data.json` and
 * `mem:/missing` (which fails with a URLError, as a missing file would).
 * `http:` URLs work too, through the same opener, and carry the
 * `X-Stamp` header the second handler adds (`mem:` URLs alone need no
 * permission; `http:` ones need `--allow-net`). The exit status is 1 when a
 * URL you named could not be opened.
 *
 * @module
 */
import { URLError } from "@pyport/web/urllib/error";
import {
  addinfourl,
  BaseHandler,
  build_opener,
  HTTPMessage,
  install_opener,
  type Request,
  urlopen,
} from "@pyport/web/urllib/request";

const encoder = new TextEncoder();

/** Answers `mem:` URLs from an in-memory table of path → [type, body]. */
class MemHandler extends BaseHandler {
  constructor(private readonly files: Map<string, [string, string]>) {
    super();
  }

  // Called for every `mem:` URL; the name is what registers it.
  mem_open(req: Request): addinfourl {
    const path = req.selector;
    const file = this.files.get(path);
    // Python's handlers raise URLError for a resource that is not there.
    if (!file) throw new URLError(`no such memory file: ${path}`);
    const [type, text] = file;
    const body = encoder.encode(text);
    const headers = new HTTPMessage([
      ["Content-type", type],
      ["Content-length", String(body.length)],
    ]);
    // `code` is null for non-HTTP schemes, as for file: and data: URLs.
    return new addinfourl(body, headers, req.full_url);
  }
}

/** A pre-processor: runs before every http: request leaves. */
class StampHandler extends BaseHandler {
  http_request(req: Request): Request {
    if (!req.has_header("X-stamp")) req.add_header("X-Stamp", "custom-handler");
    return req;
  }
}

const files = new Map<string, [string, string]>([
  ["/hello.txt", ["text/plain; charset=utf-8", "Hello from memory!\n"]],
  ["/data.json", ["application/json", '{"spam": 1, "eggs": 2}\n']],
]);

// build_opener keeps the default handlers (http, https, file, data, ...) and
// adds ours; install_opener makes plain urlopen() use the result.
const opener = build_opener(new MemHandler(files), StampHandler);
install_opener(opener);

const demo = Deno.args.length === 0;
const urls = demo
  ? ["mem:/hello.txt", "mem:/data.json", "mem:/missing"]
  : Deno.args;
let failures = 0;
for (const url of urls) {
  try {
    await using resp = await urlopen(url);
    const body = new TextDecoder().decode(await resp.read());
    console.log(`${resp.geturl()} [${resp.info()?.get_content_type()}]`);
    console.log(body.trimEnd());
  } catch (error) {
    if (!(error instanceof URLError)) throw error;
    failures++;
    console.log(`${url} failed: ${String(error.reason)}`);
  }
}
// The demo's failure is deliberate; URLs you name must all open.
if (!demo && failures > 0) Deno.exitCode = 1;
