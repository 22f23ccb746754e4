/**
 * serve's hosting flags on the command line: listed in --help after
 * Python's own, and every bad value refused at startup with one error line
 * and exit status 2 (argparse's convention), before anything is served.
 */
import { equal, match, ok } from "node:assert/strict";
import { runServe as run } from "../_server.ts";
import { makeSite } from "./_hosting.ts";

Deno.test("serve --help lists the hosting flags after Python's own", async () => {
  const { code, stdout } = await run(["--help"]);
  equal(code, 0);
  const flags = [
    "--cors",
    "-H, --header",
    "--spa [FILE]",
    "--404 FILE",
    "--cache-control VALUE",
    "--no-dotfiles",
    "--no-listing",
    "--listing {rich,python}",
    "--compress",
    "--precompressed",
    "--auth USER:PASS",
    "--auth-file FILE",
    "--upload",
    "--overwrite",
    "--max-upload BYTES",
    "--upload-hosts NAMES",
    "--watch",
    "--tls-self-signed",
  ];
  const pythonEnd = stdout.indexOf("  --follow-symlinks ");
  ok(pythonEnd > 0);
  for (const flag of flags) {
    const at = stdout.indexOf(`  ${flag}`);
    ok(at > pythonEnd, `${flag} is not listed after Python's flags`);
  }
  match(stdout, /--max-upload BYTES.*\n.*\(default: 1G\)/);
});

Deno.test("serve: each bad hosting flag value exits 2 with one error line", async () => {
  await using site = await makeSite({
    "index.html": "x",
    "sub/a.txt": "a",
    ".env": "SECRET=1",
  });
  await Deno.writeTextFile(`${site.outside}/page.html`, "outside");
  await Deno.writeTextFile(`${site.outside}/users-bad`, "ada:ok\nnocolon\n");
  await Deno.writeTextFile(`${site.outside}/users-empty`, "# nobody\n");
  // Latin-1, not UTF-8: its "ä" would have become U+FFFD, which every
  // byte that is not UTF-8 in a client's password also became.
  await Deno.writeFile(
    `${site.outside}/users-latin1`,
    new Uint8Array([...new TextEncoder().encode("erin:p"), 0xe4, 0x0a]),
  );
  const d = ["-d", site.root];
  const cases: [string[], RegExp][] = [
    [
      ["-H", "NoColon"],
      /argument -H\/--header: "NoColon" is not "Name: Value"/,
    ],
    [
      ["-H", "Bad Name: x"],
      /argument -H\/--header: "Bad Name" is not a valid header name/,
    ],
    [["-H", "X-A: 1\r\nSet-Cookie: a=b"], /holds a control character/],
    [["-H", "X-Ctl: a\x01b"], /holds a control character/],
    [["-H", 'ETag: "mine"'], /ETag is set by the server/],
    [["--header", "Content-Length: 1"], /Content-Length is set by the server/],
    [
      ["--cache-control", "no\nstore"],
      /argument --cache-control: .*control character/,
    ],
    [["--cache-control", " "], /argument --cache-control: empty value/],
    [["--listing", "fancy"], /argument --listing: invalid choice: 'fancy'/],
    [
      ["--listing", "rich", "--no-listing"],
      /--no-listing: not allowed with argument --listing/,
    ],
    [
      ["--spa", "missing.html", ...d],
      /argument --spa: 'missing.html' is not a file in the served folder/,
    ],
    [
      [...d, "--spa", "../outside/page.html"],
      /argument --spa: .* is outside the served folder/,
    ],
    [[...d, "--404", "sub"], /argument --404: 'sub' is not a file/],
    [[...d, "--404"], /argument --404: expected one argument/],
    [["--auth", "nocolon"], /argument --auth: expected USER:PASS/],
    [["--auth", ":pw"], /argument --auth: expected USER:PASS/],
    [
      [...d, "--auth-file", `${site.outside}/none`],
      /argument --auth-file: can't open/,
    ],
    [
      [...d, "--auth-file", `${site.outside}/users-bad`],
      /argument --auth-file: line 2 is not user:password/,
    ],
    [
      [...d, "--auth-file", `${site.outside}/users-empty`],
      /argument --auth-file: no user/,
    ],
    [
      [...d, "--auth-file", `${site.outside}/users-latin1`],
      /argument --auth-file: can't open .*: it is not UTF-8/,
    ],
    [
      [...d, "--no-dotfiles", "--404", ".env"],
      /argument --404: '\.env' is hidden by --no-dotfiles/,
    ],
    [["--overwrite"], /argument --overwrite: needs --upload/],
    [["--max-upload", "5M"], /argument --max-upload: needs --upload/],
    [["--upload-hosts", "nas"], /argument --upload-hosts: needs --upload/],
    [
      ["--upload", "--upload-hosts", "nas,http://evil"],
      /argument --upload-hosts: not a host name: 'http:\/\/evil'/,
    ],
    [
      ["--upload", "--max-upload", "lots"],
      /argument --max-upload: 'lots' is not a positive size/,
    ],
    [
      ["--tls-self-signed", "--tls-cert", "c.pem"],
      /--tls-self-signed: not allowed with argument --tls-cert/,
    ],
  ];
  // A few at a time: each is a short-lived deno process.
  for (let i = 0; i < cases.length; i += 4) {
    await Promise.all(
      cases.slice(i, i + 4).map(async ([args, expected]) => {
        const { code, stdout, stderr } = await run([
          "0",
          "-b",
          "127.0.0.1",
          ...args,
        ]);
        equal(code, 2, `${args.join(" ")}: ${stderr}`);
        equal(stdout, "", args.join(" "));
        const lines = stderr.trimEnd().split("\n");
        ok(lines[0]?.startsWith("usage: serve"), stderr);
        const errors = lines.filter((line) =>
          line.startsWith("serve: error: ")
        );
        equal(errors.length, 1, stderr);
        equal(lines.at(-1), errors[0], "the error line comes last");
        match(errors[0] ?? "", expected);
      }),
    );
  }
});
