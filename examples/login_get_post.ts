/**
 * The tutorial's GET and POST: a query string built from a dict with
 * `urlencode`, a `Request` carrying a `User-Agent`, a login form POSTed
 * the same way, and the session cookie it sets kept across the following
 * requests by an opener with an `HTTPCookieProcessor` and a `CookieJar`.
 *
 * Run it from a checkout:
 *
 * ```sh
 * deno run --allow-net examples/login_get_post.ts            # starts the demo site itself
 * deno run --allow-net examples/login_get_post.ts --demo     # the same, said out loud
 * deno run --allow-net examples/login_get_post.ts http://127.0.0.1:8000 --user alice --password wonderland
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net jsr:@pyport/web/examples/login_get_post --demo
 * ```
 *
 * A site given on the command line must answer like the demo one:
 * `GET /search?q=...` (any page), `POST /login` with the form fields
 * `user` and `password` (sets a cookie, usually redirecting to the
 * account page), and `GET /account` (readable only with that cookie).
 * The demo site is an `http.server` handler in this file, listening on
 * 127.0.0.1 on a free port while the example runs; its one user is
 * `alice`, password `wonderland`. The exit status is 1 when the login
 * fails.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { BaseHTTPRequestHandler, HTTPServer } from "@pyport/web/http/server";
import { HTTPError } from "@pyport/web/urllib/error";
import { parse_qs, urlencode, urlparse } from "@pyport/web/urllib/parse";
import {
  build_opener,
  CookieJar,
  HTTPCookieProcessor,
  type OpenerDirector,
  Request,
} from "@pyport/web/urllib/request";
import { fetchFailure } from "./_fetch_failure.ts";

const USER_AGENT = "Mozilla/5.0 (pyport login example)";
const decoder = new TextDecoder();
const encoder = new TextEncoder();

// ---------------------------------------------------------------- demo site

const DEMO_USERS = new Map([["alice", "wonderland"]]);
/** Session token → user name; handlers are created per request, so it lives here. */
const sessions = new Map<string, string>();

/** The demo site: a search page, a login form handler and an account page. */
class DemoSite extends BaseHTTPRequestHandler {
  override server_version = "DemoSite/1.0";

  do_GET(): void {
    const url = urlparse(this.path);
    if (url.path === "/search") {
      const query = parse_qs(url.query);
      this.#page(
        200,
        `You searched for ${JSON.stringify(query.q?.[0] ?? "")}, page ${
          query.page?.[0] ?? "1"
        }.\nYour browser says it is: ${this.headers.get("User-Agent")}`,
      );
    } else if (url.path === "/account") {
      const user = this.#sessionUser();
      if (user === null) this.#page(403, "Please log in first.");
      else this.#page(200, `Welcome back, ${user}! You have 3 new messages.`);
    } else {
      this.#page(404, `No page at ${url.path}.`);
    }
  }

  async do_POST(): Promise<void> {
    if (urlparse(this.path).path !== "/login") {
      return this.#page(404, "Only /login takes a POST.");
    }
    const length = Number(this.headers.get("Content-Length") ?? "0");
    const form = parse_qs(decoder.decode(await this.rfile.read(length)));
    const user = form.user?.[0] ?? "";
    if (DEMO_USERS.get(user) !== form.password?.[0]) {
      return this.#page(401, "Wrong user name or password.");
    }
    const token = crypto.randomUUID();
    sessions.set(token, user);
    // Post/redirect/get: the browser (or urllib) follows with a GET.
    this.send_response(302);
    this.send_header("Set-Cookie", `session=${token}; Path=/; HttpOnly`);
    this.send_header("Location", "/account");
    this.send_header("Content-Length", "0");
    this.end_headers();
  }

  // The demo keeps quiet; the example's own output tells the story.
  override log_message(): void {}

  #sessionUser(): string | null {
    const cookies = this.headers.get("Cookie") ?? "";
    const token = /(?:^|;\s*)session=([^;]+)/.exec(cookies)?.[1];
    return token === undefined ? null : sessions.get(token) ?? null;
  }

  #page(code: number, text: string): void {
    const body = encoder.encode(text + "\n");
    this.send_response(code);
    this.send_header("Content-Type", "text/plain; charset=utf-8");
    this.send_header("Content-Length", String(body.length));
    this.end_headers();
    this.wfile.write(body);
  }
}

// ------------------------------------------------------------------ client

/** Opens `req` and prints the status and page; an HTTP error page too. */
async function show(opener: OpenerDirector, req: Request): Promise<number> {
  console.log(`${req.get_method()} ${req.full_url}`);
  try {
    await using resp = await opener.open(req, { timeout: 10 });
    console.log(`-> ${resp.status} ${resp.reason} from ${resp.geturl()}`);
    console.log(decoder.decode(await resp.read()).trimEnd());
    return resp.status ?? 0;
  } catch (error) {
    if (!(error instanceof HTTPError)) throw error;
    // An error status still comes with a page worth reading.
    console.log(`-> ${error.message}`);
    console.log(decoder.decode(await error.read()).trimEnd());
    return error.code;
  }
}

async function run(
  site: string,
  user: string,
  password: string,
): Promise<number> {
  // One jar for the whole session: the login cookie goes in, and every
  // later request through this opener carries it.
  const jar = new CookieJar();
  const opener = build_opener(new HTTPCookieProcessor(jar));
  const headers = { "User-Agent": USER_AGENT };

  console.log("== GET with a query string ==");
  const query = urlencode({ q: "python urllib", page: 2 });
  await show(opener, new Request(`${site}/search?${query}`, { headers }));

  console.log("\n== the account page before logging in ==");
  await show(opener, new Request(`${site}/account`, { headers }));

  console.log("\n== POST the login form ==");
  // Python: urlencode(values).encode("ascii"); a POST body is bytes.
  const data = encoder.encode(urlencode({ user, password }));
  const status = await show(
    opener,
    new Request(`${site}/login`, { data, headers }),
  );
  const names = [...jar].map((c) => c.name);
  console.log(
    `cookies in the jar: ${names.length ? names.join(", ") : "(none)"}`,
  );
  if (status !== 200) {
    console.log("login failed");
    return 1;
  }

  console.log("\n== the account page again, with the cookie ==");
  return await show(opener, new Request(`${site}/account`, { headers })) === 200
    ? 0
    : 1;
}

const USAGE =
  "usage: login_get_post.ts [SITE --user NAME --password PASSWORD | --demo]";

async function main(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        demo: { type: "boolean" },
        user: { type: "string", default: "alice" },
        password: { type: "string", default: "wonderland" },
      },
    });
  } catch (error) {
    // A bad option: the usage and what was wrong, not a stack trace.
    console.error(`${USAGE}\n${(error as Error).message}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const given = positionals[0];
  if (given && !values.demo) {
    try {
      return await run(given.replace(/\/+$/, ""), values.user, values.password);
    } catch (error) {
      const failure = fetchFailure(error);
      if (failure === null) throw error;
      console.error(`cannot reach ${given}: ${failure}`);
      return 1;
    }
  }
  await using server = new HTTPServer(["127.0.0.1", 0], DemoSite);
  const serving = server.serve_forever();
  const site = `http://127.0.0.1:${server.server_port}`;
  console.log(`demo site running at ${site}\n`);
  try {
    return await run(site, values.user, values.password);
  } finally {
    await server.shutdown();
    await serving;
  }
}

// Run as a program, not when imported.
if (import.meta.main) Deno.exit(await main(Deno.args));
