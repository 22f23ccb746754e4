/**
 * Python's side of the hello-world benchmarks: CPython 3.13's
 * `ThreadingHTTPServer` with the tutorial `do_GET` handler (HTTP/1.1, no
 * log line), as a `python3 -c` script that prints the startup line
 * `spawnServer` waits for.
 *
 * @module
 */

/** The script, answering every GET with the bytes of Python expression `body`. */
export function pythonHelloScript(body: string): string {
  return `
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
BODY = ${body}
class Hello(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(BODY)))
        self.end_headers()
        self.wfile.write(BODY)
    def log_message(self, *args):
        pass
s = ThreadingHTTPServer(("127.0.0.1", 0), Hello)
p = s.server_port
print(f"Serving HTTP on 127.0.0.1 port {p} (http://127.0.0.1:{p}/) ...", flush=True)
s.serve_forever()
`;
}
