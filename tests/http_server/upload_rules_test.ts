/**
 * The request's half of `--upload` without a socket: what an upload's
 * head alone is refused for, and in which order; what stands in a file's
 * way; the answer to stored files. (tests/http_server/upload_test.ts runs
 * the same rules through a real server.)
 */
import { deepEqual, equal } from "node:assert/strict";
import { join } from "node:path";
import { HTTPMessage } from "../../_util/http_message.ts";
import {
  checkUploadFolder,
  checkUploadHead,
  isCrossSite,
  uploadConflict,
  uploadedAnswer,
  type UploadRequest,
} from "../../http_server/_upload_rules.ts";
import { UploadError } from "../../http_server/_upload.ts";

function request(
  headers: [string, string][],
  more: Partial<UploadRequest> = {},
): UploadRequest {
  return {
    command: "PUT",
    path: "/a.txt",
    headers: new HTTPMessage(headers),
    directory: "/srv/site",
    hide_dotfiles: false,
    overwrite: false,
    precompressed: false,
    max_upload: 100,
    upload_hosts: [],
    secret_files: [],
    ...more,
  };
}

/** The status and message `checkUploadHead` refuses `req` with, or null. */
function refusal(req: UploadRequest): [number, string] | null {
  try {
    checkUploadHead(req);
    return null;
  } catch (error) {
    if (!(error instanceof UploadError)) throw error;
    return [error.status, error.message];
  }
}

Deno.test("isCrossSite: Sec-Fetch-Site first, then Origin against Host; clients that say neither pass", () => {
  const cases: [[string, string][], boolean][] = [
    [[], false],
    [[["Sec-Fetch-Site", "same-origin"]], false],
    [[["Sec-Fetch-Site", "none"]], false],
    [[["Sec-Fetch-Site", "same-site"]], true],
    [[["Sec-Fetch-Site", "cross-site"]], true],
    // Sec-Fetch-Site decides even when Origin would agree.
    [[["Sec-Fetch-Site", "cross-site"], ["Origin", "http://h:8"], [
      "Host",
      "h:8",
    ]], true],
    [[["Origin", "http://h:8"], ["Host", "H:8"]], false],
    [[["Origin", "http://h:9"], ["Host", "h:8"]], true],
    [[["Origin", "null"], ["Host", "h:8"]], true],
    [[["Origin", "http://h:8"]], true],
  ];
  for (const [headers, expected] of cases) {
    equal(
      isCrossSite(new HTTPMessage(headers)),
      expected,
      JSON.stringify(headers),
    );
  }
});

Deno.test("checkUploadHead: each refusal of the head alone, in order", () => {
  const fine: [string, string][] = [["Content-Length", "5"]];
  equal(refusal(request(fine)), null);
  equal(checkUploadHead(request([["Content-Length", " 5 "]])), 5);
  deepEqual(
    refusal(request([["Sec-Fetch-Site", "cross-site"], ...fine])),
    [403, "uploads from another site are refused"],
  );
  // A browser's upload through a name a rebound page would use.
  deepEqual(
    refusal(
      request([["Origin", "http://evil.test"], ["Host", "evil.test"], ...fine]),
    ),
    [403, "uploads through this host name are refused (see --upload-hosts)"],
  );
  equal(
    refusal(
      request(
        [["Origin", "http://evil.test"], ["Host", "evil.test"], ...fine],
        {
          upload_hosts: ["evil.test"],
        },
      ),
    ),
    null,
  );
  deepEqual(
    refusal(request(fine, { path: "http://other/x" })),
    [400, "the target of an upload must be a path"],
  );
  deepEqual(
    refusal(request([["Content-Range", "bytes 0-4/10"], ...fine])),
    [400, "a PUT with Content-Range is not supported"],
  );
  equal(
    refusal(
      request([["Content-Range", "bytes 0-4/10"], ...fine], {
        command: "POST",
      }),
    ),
    null,
  );
  deepEqual(refusal(request([])), [411, "an upload needs a Content-Length"]);
  deepEqual(refusal(request([["Content-Length", "+5"]])), [
    400,
    "bad Content-Length",
  ]);
  deepEqual(refusal(request([["Content-Length", "101"]])), [
    413,
    "the upload is larger than the limit of 100 bytes",
  ]);
  deepEqual(refusal(request(fine, { path: "/%ff.txt" })), [
    400,
    "the path is not UTF-8 once decoded",
  ]);
  // The size is refused before the name: both come from the head.
  deepEqual(
    refusal(request([["Content-Length", "101"]], { path: "/%ff.txt" }))?.[0],
    413,
  );
});

Deno.test("uploadConflict and checkUploadFolder: what stands in the way, on a real folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, "x"), "x");
    await Deno.writeTextFile(join(dir, "y.gz"), "y");
    await Deno.mkdir(join(dir, "folder"));
    await Deno.mkdir(join(dir, ".git"));
    const req = request([], { directory: dir });
    equal(uploadConflict(req, join(dir, "new")), null);
    equal(uploadConflict(req, join(dir, "x")), "already exists");
    const replacing = { ...req, overwrite: true };
    equal(uploadConflict(replacing, join(dir, "x")), null);
    equal(uploadConflict(replacing, join(dir, "folder")), "already exists");
    const siblings = { ...req, precompressed: true };
    equal(
      uploadConflict(siblings, join(dir, "x.br")),
      "would be served in place of the file it compresses",
    );
    equal(
      uploadConflict(siblings, join(dir, "y")),
      "has a .gz beside it, served in its place",
    );
    await checkUploadFolder(req, join(dir, "folder"), 404);
    const hidden = { ...req, hide_dotfiles: true };
    await Deno.symlink(join(dir, ".git"), join(dir, "git"));
    for (
      const [folder, status] of [[join(dir, "nope"), 404], [
        dir + "/../",
        403,
      ]] as const
    ) {
      const refused = await checkUploadFolder(req, folder, 404).then(
        () => null,
        (error: UploadError) => error.status,
      );
      equal(refused, status, folder);
    }
    for (const folder of [join(dir, ".git"), join(dir, "git")]) {
      const refused = await checkUploadFolder(hidden, folder, 404).then(
        () => null,
        (error: UploadError) => error.message,
      );
      equal(refused, "hidden folders do not accept uploads", folder);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("uploadedAnswer: JSON unless the client prefers HTML; 201 with Location for one created file", () => {
  const one = [{ name: "a b.txt", outcome: "created" as const }];
  const json = uploadedAnswer(request([], { path: "/docs?x" }), one);
  equal(json.status, 201);
  equal(json.location, "/docs/a%20b.txt");
  equal(json.type, "application/json");
  deepEqual(JSON.parse(new TextDecoder().decode(json.body)), [
    { name: "a b.txt", href: "/docs/a%20b.txt", status: "created" },
  ]);
  const two = [...one, { name: "<c>", outcome: "replaced" as const }];
  const page = uploadedAnswer(
    request([["Accept", "text/html,*/*;q=0.8"]], { path: "/docs/" }),
    two,
  );
  equal(page.status, 201);
  equal(page.location, null);
  equal(page.type, "text/html; charset=utf-8");
  const html = new TextDecoder().decode(page.body);
  equal(
    html.includes('<a href="/docs/%3Cc%3E">&lt;c&gt;</a> (replaced)'),
    true,
  );
  const replaced = uploadedAnswer(request([]), [two[1]!]);
  equal(replaced.status, 200);
  equal(replaced.location, null);
});
