/**
 * The ceiling for the server benchmark: the least a `Deno.serve` file server
 * can do. It streams files, lists folders in Python's HTML shape, and with
 * `--hello` answers every request with "Hello World" and no headers of its
 * own. With `--hello-headers` it sends the headers our `do_GET` Hello World
 * handler puts on the wire (`Server` and `Content-Type`; the engine adds
 * `content-length` and `date` to both): the fair ceiling for that handler.
 * With `--memory` it reads every file up to 1 MiB and renders every
 * listing at startup, and answers those from memory (the ceiling for a
 * server with a perfect cache); larger files still stream.
 * It takes the `serve` command's flags and prints Python's startup line, so
 * the benchmark starts all servers alike.
 *
 *     deno run -A bench/_bare_file_server.ts [port] [-b ADDRESS] [-d DIR] [--hello | --hello-headers | --memory]
 *
 * @module
 */

function parseArgs(args: string[]) {
  let port = 8000;
  let hostname = "127.0.0.1";
  let dir = Deno.cwd();
  let hello: "" | "bare" | "headers" = "";
  let memory = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-b") hostname = args[++i]!;
    else if (a === "-d") dir = args[++i]!;
    else if (a === "-p") i++; // Deno.serve keeps HTTP/1.1 connections alive anyway
    else if (a === "--hello") hello = "bare";
    else if (a === "--hello-headers") hello = "headers";
    else if (a === "--memory") memory = true;
    else if (/^\d+$/.test(a)) port = Number(a);
  }
  return { port, hostname, dir, hello, memory };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

async function listingPage(path: string, urlPath: string): Promise<string> {
  const names: string[] = [];
  for await (const e of Deno.readDir(path)) {
    names.push(e.isDirectory ? e.name + "/" : e.name);
  }
  names.sort((a, b) => a.toLowerCase() < b.toLowerCase() ? -1 : 1);
  const title = `Directory listing for ${escapeHtml(urlPath)}`;
  const items = names.map((n) =>
    `<li><a href="${encodeURI(n)}">${escapeHtml(n)}</a></li>`
  ).join("\n");
  return `<!DOCTYPE HTML>\n<html lang="en">\n<head>\n` +
    `<meta charset="utf-8">\n<title>${title}</title>\n</head>\n<body>\n` +
    `<h1>${title}</h1>\n<hr>\n<ul>\n${items}\n</ul>\n<hr>\n</body>\n</html>\n`;
}

const HTML = { "content-type": "text/html; charset=utf-8" };
const BINARY = { "content-type": "application/octet-stream" };

async function listing(path: string, urlPath: string): Promise<Response> {
  return new Response(await listingPage(path, urlPath), { headers: HTML });
}

/** What `--memory` holds: URL path to body and whether it is a listing. */
type Preloaded = Map<string, { body: Uint8Array<ArrayBuffer>; html: boolean }>;

const MEMORY_LIMIT = 1024 * 1024;

async function preload(
  root: string,
  urlPath = "/",
  into: Preloaded = new Map(),
) {
  const path = root + urlPath;
  const index = await indexPage(path);
  const page = index ?? new TextEncoder().encode(
    await listingPage(path, urlPath),
  );
  into.set(urlPath, { body: page, html: true });
  for await (const entry of Deno.readDir(path)) {
    const child = urlPath + entry.name;
    if (entry.isDirectory) await preload(root, child + "/", into);
    else if ((await Deno.stat(root + child)).size <= MEMORY_LIMIT) {
      into.set(child, { body: await Deno.readFile(root + child), html: false });
    }
  }
  return into;
}

function fromMemory(
  preloaded: Preloaded,
  root: string,
): (req: Request) => Response | Promise<Response> {
  return (req) => {
    const hit = preloaded.get(decodeURIComponent(new URL(req.url).pathname));
    if (!hit) return serveFile(root, req);
    return new Response(hit.body, { headers: hit.html ? HTML : BINARY });
  };
}

/** The bytes of the folder's `index.html`, or `null` when it has none. */
async function indexPage(
  path: string,
): Promise<Uint8Array<ArrayBuffer> | null> {
  try {
    return await Deno.readFile(`${path}index.html`);
  } catch {
    return null;
  }
}

async function serveFile(root: string, req: Request): Promise<Response> {
  const urlPath = decodeURIComponent(new URL(req.url).pathname);
  if (urlPath.split("/").includes("..")) {
    return new Response("Bad path", { status: 400 });
  }
  const path = root + urlPath;
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch {
    return new Response("File not found", { status: 404 });
  }
  if (info.isDirectory) {
    const index = await indexPage(path);
    if (index) return new Response(index, { headers: HTML });
    return await listing(path, urlPath);
  }
  const file = await Deno.open(path);
  return new Response(file.readable, {
    headers: { ...BINARY, "content-length": String(info.size) },
  });
}

const HELLO = new TextEncoder().encode("Hello World");
// What BaseHTTPRequestHandler's send_response and the handler's send_header
// calls leave for the engine: Date and Content-Length match what the engine
// writes itself, so they are left to it, here as there.
const HELLO_HEADERS: [string, string][] = [
  ["Server", `BaseHTTP/0.6 Deno/${Deno.version.deno}`],
  ["Content-Type", "text/plain"],
];

function helloHandler(kind: "bare" | "headers"): Deno.ServeHandler {
  // The bare one takes no parameters, as the shortest Deno hello world does.
  return kind === "bare"
    ? () => new Response("Hello World")
    : (_request) => new Response(HELLO, { headers: HELLO_HEADERS });
}

if (import.meta.main) {
  const { port, hostname, dir, hello, memory } = parseArgs(Deno.args);
  const root = await Deno.realPath(dir);
  const handler = hello
    ? helloHandler(hello)
    : memory
    ? fromMemory(await preload(root), root)
    : (req: Request) => serveFile(root, req);
  Deno.serve({
    port,
    hostname,
    onListen: ({ hostname, port }) => {
      console.log(
        `Serving HTTP on ${hostname} port ${port} (http://${hostname}:${port}/) ...`,
      );
    },
  }, handler);
}
