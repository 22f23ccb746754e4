/**
 * serve's hosting flags in a real headless Chromium (Debian's `chromium`,
 * driven by puppeteer-core): live reload, the single-page-app fallback, the
 * rich listing (sorting without JavaScript, dark mode) and its upload form.
 *
 * Skips with a message when no Chromium is installed (`.ci/setup_services`
 * installs it); CHROMIUM_PATH names another binary.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { listTree, makeSite, serve } from "./_hosting.ts";

function findChromium(): string | null {
  const candidates = [
    Deno.env.get("CHROMIUM_PATH"),
    "/usr/bin/chromium",
    "/usr/bin/chromium-browser",
  ];
  for (const path of candidates) {
    if (!path) continue;
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // Not here.
    }
  }
  return null;
}

const CHROMIUM = Deno.build.os === "linux" ? findChromium() : null;
if (CHROMIUM === null) {
  console.warn(
    "hosting_browser_test: no Chromium (apt-get install chromium, or set CHROMIUM_PATH): browser tests skipped",
  );
}

/** Bounds every wait in the browser, so a bug fails instead of hanging. */
const WAIT = { timeout: 15_000 };

async function launch(profile: string): Promise<Browser> {
  return await puppeteer.launch({
    executablePath: CHROMIUM as string,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
    ],
    timeout: 30_000,
  });
}

async function textOf(page: Page, selector: string): Promise<string> {
  return await page.$eval(selector, (el) => el.textContent ?? "");
}

Deno.test({
  name:
    "browser: --watch reloads, --spa routes, rich listing sorts and uploads",
  ignore: CHROMIUM === null,
  // puppeteer keeps its own sockets and timers until the browser is closed.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn(t) {
    const profile = await Deno.makeTempDir({ prefix: "pyport_chromium_" });
    const browser = await launch(profile);
    try {
      await t.step(
        "--watch: a page reloads once when its file changes, and once when the server starts again",
        async () => {
          await using site = await makeSite({
            "index.html": "<html><body><h1>version 1</h1></body></html>",
          });
          let server = await serve(site.root, ["--watch"]);
          const page = await browser.newPage();
          try {
            // Each load of the page in this tab counts itself.
            await page.evaluateOnNewDocument(
              `sessionStorage.loads = Number(sessionStorage.loads ?? 0) + 1;`,
            );
            const loads = async () =>
              Number(await page.evaluate("sessionStorage.loads"));
            const listening = (served: typeof server) =>
              served.process.until(
                () =>
                  served.process.stderr.includes('"GET /__serve/live-reload '),
                "the page to open its event stream",
              );
            await page.goto(server.url("/"), WAIT);
            equal(await textOf(page, "h1"), "version 1");
            // The page's event stream is open before the file changes.
            await listening(server);
            await Deno.writeTextFile(
              `${site.root}/index.html`,
              "<html><body><h1>version 2</h1></body></html>",
            );
            // A string runs in the page (this file has no DOM types).
            await page.waitForFunction(
              `document.querySelector("h1")?.textContent === "version 2"`,
              WAIT,
            );
            // The reloaded page's stream names the version it was served
            // with: no second reload.
            await listening(server);
            await new Promise((resolve) => setTimeout(resolve, 1000));
            equal(await loads(), 2);
            // A server started again on the same port: the page's stream
            // comes back to a new version of the folder, and it reloads.
            const port = server.port;
            await server[Symbol.asyncDispose]();
            server = await serve(site.root, ["--watch"], { port });
            await page.waitForFunction(
              `sessionStorage.loads === "3"`,
              WAIT,
            );
            await listening(server);
            await new Promise((resolve) => setTimeout(resolve, 1000));
            equal(await loads(), 3);
          } finally {
            await page.close();
            await server[Symbol.asyncDispose]();
          }
        },
      );

      await t.step(
        "--watch: a page asked for before it is saved loads once it is",
        async () => {
          await using site = await makeSite({ "index.html": "<h1>home</h1>" });
          await using server = await serve(site.root, ["--watch"]);
          const page = await browser.newPage();
          try {
            const missing = await page.goto(server.url("/later.html"), WAIT);
            equal(missing?.status(), 404);
            await server.process.until(
              () =>
                server.process.stderr.includes('"GET /__serve/live-reload '),
              "the error page to open its event stream",
            );
            await Deno.writeTextFile(
              `${site.root}/later.html`,
              "<html><body><h1>saved</h1></body></html>",
            );
            await page.waitForFunction(
              `document.querySelector("h1")?.textContent === "saved"`,
              WAIT,
            );
          } finally {
            await page.close();
          }
        },
      );

      await t.step(
        "--watch: eight tabs and ten back-and-forth clicks all load, and a change reloads every tab",
        async () => {
          const page = (name: string, other: string) =>
            `<html><body><h1>${name} 1</h1><a id="next" href="${other}">${other}</a></body></html>`;
          await using site = await makeSite({
            "a.html": page("a", "b.html"),
            "b.html": page("b", "a.html"),
          });
          await using server = await serve(site.root, ["--watch"]);
          // A browser holds six connections to a site: one event stream per
          // tab, or per page kept for the back button, used them all up.
          const clicker = await browser.newPage();
          await clicker.goto(server.url("/a.html"), WAIT);
          for (let i = 0; i < 10; i++) {
            await Promise.all([
              clicker.waitForNavigation(WAIT),
              clicker.click("#next"),
            ]);
          }
          equal(await textOf(clicker, "h1"), "a 1");
          const tabs = [clicker];
          for (let i = 0; i < 7; i++) {
            const tab = await browser.newPage();
            await tab.goto(server.url(`/b.html?tab=${i}`), WAIT);
            equal(await textOf(tab, "h1"), "b 1");
            tabs.push(tab);
          }
          await Deno.writeTextFile(
            `${site.root}/a.html`,
            page("a", "b.html").replace("a 1", "a 2"),
          );
          await Deno.writeTextFile(
            `${site.root}/b.html`,
            page("b", "a.html").replace("b 1", "b 2"),
          );
          for (const tab of tabs) {
            await tab.waitForFunction(
              `document.querySelector("h1")?.textContent?.endsWith(" 2")`,
              WAIT,
            );
          }
          // A burst of saves: while every tab reloads nobody listens, yet
          // each ends on the last version.
          for (let version = 3; version <= 12; version++) {
            await Deno.writeTextFile(
              `${site.root}/b.html`,
              page("b", "a.html").replace("b 1", `b ${version}`),
            );
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          for (const tab of tabs.slice(1)) {
            await tab.waitForFunction(
              `document.querySelector("h1")?.textContent === "b 12"`,
              WAIT,
            );
          }
          // Once current, a page stays: no reload loop, even where the
          // wall clock runs a minute ahead (after a laptop sleeps) in the
          // tab that listens. (The last change's news may still be on its
          // way: let it settle first.)
          await new Promise((resolve) => setTimeout(resolve, 500));
          for (const tab of tabs.slice(1)) {
            await tab.waitForFunction(
              `document.querySelector("h1")?.textContent === "b 12"`,
              WAIT,
            );
          }
          const origins = await Promise.all(
            tabs.map((tab) => tab.evaluate("performance.timeOrigin")),
          );
          await new Promise((resolve) => setTimeout(resolve, 1000));
          deepEqual(
            await Promise.all(
              tabs.map((tab) => tab.evaluate("performance.timeOrigin")),
            ),
            origins,
          );
          for (const tab of tabs) await tab.close();
          const skewed = await browser.newPage();
          await skewed.evaluateOnNewDocument(
            `Date.now = ((now) => () => now() + 60_000)(Date.now);`,
          );
          await skewed.goto(server.url("/b.html"), WAIT);
          const origin = await skewed.evaluate("performance.timeOrigin");
          await new Promise((resolve) => setTimeout(resolve, 1500));
          equal(await skewed.evaluate("performance.timeOrigin"), origin);
          await skewed.close();
        },
      );

      await t.step(
        "--watch: a page whose Content-Security-Policy allows only 'self' still reloads",
        async () => {
          const page = (version: number) =>
            `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="script-src 'self'"></head><body><h1>v${version}</h1></body></html>`;
          await using site = await makeSite({ "index.html": page(1) });
          await using server = await serve(site.root, [
            "--watch",
            "-H",
            "Content-Security-Policy: default-src 'self'",
          ]);
          const tab = await browser.newPage();
          const refused: string[] = [];
          tab.on("console", (message) => {
            if (message.text().includes("Content Security Policy")) {
              refused.push(message.text());
            }
          });
          try {
            await tab.goto(server.url("/"), WAIT);
            await server.process.until(
              () =>
                server.process.stderr.includes('"GET /__serve/live-reload '),
              "the page to open its event stream",
            );
            await Deno.writeTextFile(`${site.root}/index.html`, page(2));
            await tab.waitForFunction(
              `document.querySelector("h1")?.textContent === "v2"`,
              WAIT,
            );
            deepEqual(refused, []);
          } finally {
            await tab.close();
          }
        },
      );

      await t.step(
        "--spa: deep links load the app; assets still 404",
        async () => {
          await using site = await makeSite({
            "index.html": `<!DOCTYPE html><html><body><p id="route"></p>
<a id="go" href="/settings/profile">settings</a>
<script>
  const show = () => document.getElementById("route").textContent = location.pathname;
  document.getElementById("go").addEventListener("click", (e) => {
    e.preventDefault();
    history.pushState(null, "", e.target.getAttribute("href"));
    show();
  });
  show();
</script></body></html>`,
          });
          await using server = await serve(site.root, ["--spa"]);
          const page = await browser.newPage();
          const deep = await page.goto(server.url("/users/42"), WAIT);
          equal(deep?.status(), 200);
          equal(await textOf(page, "#route"), "/users/42");
          await page.click("#go");
          equal(await textOf(page, "#route"), "/settings/profile");
          const reloaded = await page.reload(WAIT);
          equal(reloaded?.status(), 200);
          equal(await textOf(page, "#route"), "/settings/profile");
          const asset = await page.goto(server.url("/missing.js"), WAIT);
          equal(asset?.status(), 404);
          await page.close();
        },
      );

      await t.step(
        "--listing rich: sorting by links without JavaScript, dark mode",
        async () => {
          await using site = await makeSite({
            "a.txt": "a".repeat(300),
            "b.txt": "b".repeat(10),
            "c.txt": "c".repeat(5000),
            "folder/x.txt": "x",
          });
          await using server = await serve(site.root, ["--listing", "rich"]);
          const page = await browser.newPage();
          await page.setJavaScriptEnabled(false);
          await page.goto(server.url("/"), WAIT);
          const names = () =>
            page.$$eval(
              "tbody td:first-child a",
              (links) => links.map((a) => a.textContent),
            );
          equal((await names()).join(" "), "folder/ a.txt b.txt c.txt");
          await Promise.all([
            page.waitForNavigation(WAIT),
            page.click("th:nth-child(2) a"),
          ]);
          ok(page.url().endsWith("?sort=size&order=asc"), page.url());
          equal((await names()).join(" "), "folder/ b.txt a.txt c.txt");
          await Promise.all([
            page.waitForNavigation(WAIT),
            page.click("th:nth-child(2) a"),
          ]);
          equal((await names()).join(" "), "folder/ c.txt a.txt b.txt");
          await Promise.all([
            page.waitForNavigation(WAIT),
            page.click("tbody a[href='folder/']"),
          ]);
          ok(page.url().endsWith("/folder/"));
          equal(await textOf(page, "h1"), "/ folder/");
          const background = () =>
            page.evaluate(`getComputedStyle(document.body).backgroundColor`);
          await page.emulateMediaFeatures([{
            name: "prefers-color-scheme",
            value: "light",
          }]);
          equal(await background(), "rgb(255, 255, 255)");
          await page.emulateMediaFeatures([{
            name: "prefers-color-scheme",
            value: "dark",
          }]);
          equal(await background(), "rgb(22, 24, 28)");
          await page.close();
        },
      );

      await t.step(
        "--upload: the rich listing's form stores the chosen files, under the names chosen",
        async () => {
          await using site = await makeSite({ "existing.txt": "e" });
          const local = `${site.outside}/from browser.txt`;
          await Deno.writeTextFile(local, "chosen in the file dialog\n");
          // Chromium sends this name as `say %22hi%22.txt`.
          const quoted = `${site.outside}/say "hi".txt`;
          await Deno.writeTextFile(quoted, "quoted\n");
          await using server = await serve(site.root, [
            "--listing",
            "rich",
            "--upload",
          ]);
          const page = await browser.newPage();
          await page.goto(server.url("/"), WAIT);
          const input = await page.$("input[type=file]");
          ok(input, "the listing has an upload form");
          // Its label says what the file chooser is for (unlabelled, a
          // screen reader heard only "Choose Files").
          equal(
            (await page.accessibility.snapshot({ root: input }))?.name,
            "Files to upload here:",
          );
          await input.uploadFile(local, quoted);
          const [response] = await Promise.all([
            page.waitForNavigation(WAIT),
            page.click("form button[type=submit]"),
          ]);
          equal(response?.status(), 201);
          const shown = await textOf(page, "body");
          ok(shown.includes("from browser.txt (created)"), shown);
          ok(shown.includes('say "hi".txt (created)'), shown);
          equal(
            await Deno.readTextFile(`${site.root}/from browser.txt`),
            "chosen in the file dialog\n",
          );
          equal(
            await Deno.readTextFile(`${site.root}/say "hi".txt`),
            "quoted\n",
          );
          await Promise.all([
            page.waitForNavigation(WAIT),
            page.click("p:last-child a"),
          ]);
          const listed = await textOf(page, "tbody");
          ok(listed.includes("from browser.txt"), listed);
          ok(listed.includes('say "hi".txt'), listed);
          equal(
            (await listTree(site.root)).join(","),
            'existing.txt,from browser.txt,say "hi".txt',
          );
          await page.close();
        },
      );
    } finally {
      await browser.close();
      await Deno.remove(profile, { recursive: true }).catch(() => {});
    }
  },
});
