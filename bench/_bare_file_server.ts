/**
 * The ceiling for the server benchmark: the least a `Deno.serve` file server
 * can do. It streams files, lists folders in Python's HTML shape, and with
 * `--hello` answers every request with "Hello World" and no headers of its
 * own. With `--hello-headers` it sends the headers our `do_GET` Hello World
 * handler puts on the wire (`Server` and `Content-Type`; the engine adds
 * `content-length` and `date` to both): the fair ceiling for that handler.
 * It takes the `serve` command's flags and prints Python's startup line, so
 * the benchmark starts all servers alike.
 *
 *     deno run -A bench/_bare_file_server.ts [port] [-b ADDRESS] [-d DIR] [--hello | --hello-headers]
 *
 * @module
 */

function parseArgs(args: string[]) {
  let port = 8000;
  let hostname = "127.0.0.1";
  let dir = Deno.cwd();
  let hello: "" | "bare" | "headers" = "";
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "-b") hostname = args[++i]!;
    else if (a === "-d") dir = args[++i]!;
    else if (a === "-p") i++; // Deno.serve keeps HTTP/1.1 connections alive anyway
    else if (a === "--hello") hello = "bare";
    else if (a === "--hello-headers") hello = "headers";
    else if (/^\d+$/.test(a)) port = Number(a);
  }
  return { port, hostname, dir, hello };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

async function listing(path: string, urlPath: string): Promise<Response> {
  const names: string[] = [];
  for await (const e of Deno.readDir(path)) {
    names.push(e.isDirectory ? e.name + "/" : e.name);
  }
  names.sort((a, b) => a.toLowerCase() < b.toLowerCase() ? -1 : 1);
  const title = `Directory listing for ${escapeHtml(urlPath)}`;
  const items = names.map((n) =>
    `<li><a href="${encodeURI(n)}">${escapeHtml(n)}</a></li>`
  ).join("\n");
  const html = `<!DOCTYPE HTML>\n<html lang="en">\n<head>\n` +
    `<meta charset="utf-8">\n<title>${title}</title>\n</head>\n<body>\n` +
    `<h1>${title}</h1>\n<hr>\n<ul>\n${items}\n</ul>\n<hr>\n</body>\n</html>\n`;
  return new Response(html, {
    headers: { "content-type": "text/html; charset=utf-8" },
  });
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
  if (info.isDirectory) return await listing(path, urlPath);
  const file = await Deno.open(path);
  return new Response(file.readable, {
    headers: {
      "content-type": "application/octet-stream",
      "content-length": String(info.size),
    },
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
  const { port, hostname, dir, hello } = parseArgs(Deno.args);
  const root = await Deno.realPath(dir);
  Deno.serve({
    port,
    hostname,
    onListen: ({ hostname, port }) => {
      console.log(
        `Serving HTTP on ${hostname} port ${port} (http://${hostname}:${port}/) ...`,
      );
    },
  }, hello ? helloHandler(hello) : (req) => serveFile(root, req));
}
