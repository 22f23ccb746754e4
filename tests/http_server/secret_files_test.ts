import { equal } from "node:assert/strict";
import { ServeProcess, withHTTPServer } from "../_server.ts";
import { SimpleHTTPRequestHandler } from "../../http_server/mod.ts";
import { haveOpenssl, makeCerts } from "../_tls.ts";
import {
  isSecretFile,
  secretFilesOf,
} from "../../http_server/_secret_files.ts";

const WINDOWS = Deno.build.os === "windows";
const CLIENT_TIMEOUT_MS = 10_000;

Deno.test("secretFilesOf: a path, a link and a hard link to one are secret, a file moved over it too, another file not", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pyport_secret_" });
  try {
    await Deno.writeTextFile(`${dir}/key.pem`, "key");
    await Deno.writeTextFile(`${dir}/other.txt`, "other");
    const list = [`${dir}/key.pem`];
    const secrets = secretFilesOf(list);
    equal(secretFilesOf(list), secrets, "made once a list");
    equal(isSecretFile(secrets, `${dir}/key.pem`), true);
    equal(isSecretFile(secrets, `${dir}/other.txt`), false);
    equal(isSecretFile(secrets, `${dir}/missing`), false);
    if (!WINDOWS) {
      await Deno.symlink(`${dir}/key.pem`, `${dir}/alias.pem`);
      await Deno.link(`${dir}/key.pem`, `${dir}/hard.pem`);
      equal(isSecretFile(secrets, `${dir}/alias.pem`), true);
      equal(isSecretFile(secrets, `${dir}/hard.pem`), true);
      // The caller's metadata is used when given.
      const other = await Deno.stat(`${dir}/other.txt`);
      equal(isSecretFile(secrets, `${dir}/hard.pem`, other), false);
    }
    // A new file moved over the old one keeps its path, and is refused.
    await Deno.writeTextFile(`${dir}/new.pem`, "renewed");
    await Deno.rename(`${dir}/new.pem`, `${dir}/key.pem`);
    equal(isSecretFile(secrets, `${dir}/key.pem`), true);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("SimpleHTTPRequestHandler secret_files: 404 for the file, a link to it and an index page that is one, and not listed, with and without the cache", async () => {
  const dir = await Deno.makeTempDir({ prefix: "pyport_secret_handler_" });
  try {
    await Deno.writeTextFile(`${dir}/key.pem`, "PRIVATE KEY");
    await Deno.mkdir(`${dir}/site`);
    await Deno.writeTextFile(`${dir}/site/index.html`, "<p>secret page</p>");
    await Deno.writeTextFile(`${dir}/hello.txt`, "Hello World\n");
    if (!WINDOWS) await Deno.symlink("key.pem", `${dir}/alias.pem`);
    class Quiet extends SimpleHTTPRequestHandler {
      override log_message(): void {}
    }
    for (const cache of [false, true]) {
      const Handler = Quiet.partial({
        directory: dir,
        cache,
        secret_files: [`${dir}/key.pem`, `${dir}/site/index.html`],
      });
      await withHTTPServer(Handler, async (base) => {
        const paths = ["/key.pem", "/site/", "/site/index.html"];
        if (!WINDOWS) paths.push("/alias.pem");
        for (const path of paths) {
          const res = await fetch(`${base}${path}`);
          equal(res.status, 404, `${path} cache=${cache}`);
          equal((await res.text()).includes("secret"), false);
        }
        const res = await fetch(`${base}/hello.txt`);
        equal(await res.text(), "Hello World\n");
        // Left out of listings by name; a link under another name stays.
        const listing = await (await fetch(`${base}/`)).text();
        equal(listing.includes("key.pem"), false, `cache=${cache}`);
        equal(listing.includes('href="hello.txt"'), true);
        if (!WINDOWS) equal(listing.includes('href="alias.pem"'), true);
      });
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test({
  name:
    "serve: the key, certificate, password and --auth-file files inside the served folder are never served (Python serves /key.pem to anyone) nor uploaded over, by name or through a link",
  ignore: WINDOWS || !haveOpenssl,
  async fn() {
    const site = await Deno.makeTempDir({ prefix: "pyport_secret_site_" });
    try {
      const certs = await makeCerts();
      await Deno.writeTextFile(`${site}/cert.pem`, certs.cert);
      await Deno.writeTextFile(`${site}/key.pem`, certs.key);
      await Deno.writeTextFile(`${site}/users.txt`, "alice:pw\n");
      await Deno.writeTextFile(`${site}/hello.txt`, "Hello World\n");
      await Deno.mkdir(`${site}/sub`);
      await Deno.symlink("../key.pem", `${site}/sub/alias.pem`);
      // As people run it: in the folder, with the files named relatively.
      await using server = new ServeProcess(
        [
          "0",
          "-b",
          "127.0.0.1",
          "--tls-cert",
          "cert.pem",
          "--tls-key",
          "key.pem",
          "--auth-file",
          "users.txt",
          "--upload",
          "--overwrite",
        ],
        { cwd: site },
      );
      const port = await server.started();
      using client = Deno.createHttpClient({ caCerts: [certs.ca] });
      const get = async (path: string, method = "GET") => {
        const res = await fetch(`https://127.0.0.1:${port}${path}`, {
          client,
          method,
          headers: { Authorization: `Basic ${btoa("alice:pw")}` },
          signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
        });
        return [res.status, await res.text()] as const;
      };
      for (
        const path of [
          "/key.pem",
          "/cert.pem",
          "/users.txt",
          "/sub/alias.pem",
          "/sub/../key.pem",
          "/%6Bey.pem",
        ]
      ) {
        const [status, body] = await get(path);
        equal(status, 404, path);
        equal(body.includes("PRIVATE KEY"), false, path);
        equal((await get(path, "HEAD"))[0], 404, `HEAD ${path}`);
      }
      equal((await get("/hello.txt"))[1], "Hello World\n");
      // Nor listed, in the page or in the JSON listing.
      for (const accept of ["text/html", "application/json"]) {
        const res = await fetch(`https://127.0.0.1:${port}/`, {
          client,
          headers: {
            Authorization: `Basic ${btoa("alice:pw")}`,
            Accept: accept,
          },
          signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
        });
        const listing = await res.text();
        for (const name of ["key.pem", "cert.pem", "users.txt"]) {
          equal(listing.includes(name), false, `${accept}: ${name}`);
        }
        equal(listing.includes("hello.txt"), true, accept);
      }
      // Nor replaced by an upload, even with --overwrite: by PUT, by a form.
      const upload = async (path: string, body: BodyInit) => {
        const res = await fetch(`https://127.0.0.1:${port}${path}`, {
          client,
          method: body instanceof FormData ? "POST" : "PUT",
          headers: { Authorization: `Basic ${btoa("alice:pw")}` },
          body,
          signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS),
        });
        await res.body?.cancel();
        return res.status;
      };
      equal(await upload("/users.txt", "mallory:pw\n"), 409);
      equal(await upload("/sub/alias.pem", "not a key"), 409);
      const form = new FormData();
      form.append("file", new File(["mallory:pw\n"], "users.txt"));
      equal(await upload("/", form), 409);
      equal(await Deno.readTextFile(`${site}/users.txt`), "alice:pw\n");
      equal(await Deno.readTextFile(`${site}/key.pem`), certs.key);
      // Other files are still replaced.
      equal(await upload("/hello.txt", "replaced\n"), 204);
      equal((await get("/hello.txt"))[1], "replaced\n");
    } finally {
      await Deno.remove(site, { recursive: true });
    }
  },
});
