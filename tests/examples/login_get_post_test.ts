/**
 * examples/login_get_post.ts: with its own demo site, and against another
 * local site that speaks the same three pages.
 */
import { equal, match, ok } from "node:assert/strict";
import { runExample, serveLocal } from "./_run.ts";

/** The example's output with the demo site's random port replaced by PORT. */
function normalise(stdout: string): string {
  return stdout.replaceAll(/127\.0\.0\.1:\d+/g, "127.0.0.1:PORT");
}

Deno.test("login_get_post.ts --demo: GET, refused page, POST login, cookie kept", async () => {
  const { code, stdout, stderr } = await runExample("login_get_post.ts", [
    "--demo",
  ]);
  equal(code, 0, stderr);
  equal(
    normalise(stdout),
    [
      "demo site running at http://127.0.0.1:PORT",
      "",
      "== GET with a query string ==",
      "GET http://127.0.0.1:PORT/search?q=python+urllib&page=2",
      "-> 200 OK from http://127.0.0.1:PORT/search?q=python+urllib&page=2",
      'You searched for "python urllib", page 2.',
      "Your browser says it is: Mozilla/5.0 (pyport login example)",
      "",
      "== the account page before logging in ==",
      "GET http://127.0.0.1:PORT/account",
      "-> HTTP Error 403: Forbidden",
      "Please log in first.",
      "",
      "== POST the login form ==",
      "POST http://127.0.0.1:PORT/login",
      "-> 200 OK from http://127.0.0.1:PORT/account",
      "Welcome back, alice! You have 3 new messages.",
      "cookies in the jar: session",
      "",
      "== the account page again, with the cookie ==",
      "GET http://127.0.0.1:PORT/account",
      "-> 200 OK from http://127.0.0.1:PORT/account",
      "Welcome back, alice! You have 3 new messages.",
      "",
    ].join("\n"),
  );
});

Deno.test("login_get_post.ts: no arguments starts the demo; a wrong password exits 1", async () => {
  const { code, stdout, stderr } = await runExample("login_get_post.ts", [
    "--password",
    "guess",
  ]);
  equal(code, 1, stderr);
  ok(stdout.startsWith("demo site running at http://127.0.0.1:"), stdout);
  ok(
    stdout.endsWith(
      "-> HTTP Error 401: Unauthorized\nWrong user name or password.\n" +
        "cookies in the jar: (none)\nlogin failed\n",
    ),
    stdout,
  );
});

Deno.test("login_get_post.ts against a site given on the command line", async () => {
  const posted: string[] = [];
  await using site = serveLocal(async (req) => {
    const url = new URL(req.url);
    if (req.method === "POST" && url.pathname === "/login") {
      posted.push(await req.text());
      // No redirect here: the cookie comes with a page of its own.
      return new Response("logged in\n", {
        headers: { "set-cookie": "sid=s3cr3t; Path=/" },
      });
    }
    if (url.pathname === "/account") {
      return req.headers.get("cookie") === "sid=s3cr3t"
        ? new Response("account of bob\n")
        : new Response("who are you?\n", { status: 401 });
    }
    return new Response(
      `search ${url.search} ua=${req.headers.get("user-agent")}\n`,
    );
  });
  const { code, stdout, stderr } = await runExample("login_get_post.ts", [
    site.url + "/",
    "--user",
    "bob",
    "--password",
    "p@ss word",
  ]);
  equal(code, 0, stderr);
  ok(!stdout.includes("demo site"), stdout);
  // The form is urlencoded; the query string too.
  equal(posted[0], "user=bob&password=p%40ss+word");
  match(
    stdout,
    /search \?q=python\+urllib&page=2 ua=Mozilla\/5\.0 \(pyport login example\)/,
  );
  match(stdout, /-> HTTP Error 401: Unauthorized\nwho are you\?\n/);
  match(stdout, /cookies in the jar: sid\n/);
  ok(
    stdout.endsWith(
      "-> 200 OK from " + site.url + "/account\naccount of bob\n",
    ),
    stdout,
  );
  // Every request, the redirected and refused ones too, had the User-Agent.
  equal(
    site.requests.every((r) =>
      r.headers.get("user-agent")?.startsWith("Mozilla/5.0")
    ),
    true,
  );
});

Deno.test("login_get_post.ts: a bad option prints the usage and exits 2, without a stack trace", async () => {
  for (const args of [["--bogus"], ["--user"]]) {
    const out = await runExample("login_get_post.ts", args);
    equal(out.code, 2, out.stderr);
    ok(out.stderr.startsWith("usage: login_get_post.ts "), out.stderr);
    ok(!out.stderr.includes("    at "), out.stderr);
  }
});
