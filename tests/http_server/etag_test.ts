import { equal, match } from "node:assert/strict";
import {
  contentTag,
  etagMatches,
  mentionsContentTag,
  stampTag,
} from "../../http_server/_etag.ts";

Deno.test("stampTag: mtime, size, ctime and inode in hex", () => {
  equal(
    stampTag({ dev: 1, ino: 42, size: 255, mtimeMs: 4096, ctimeMs: 16000 }),
    '"1000-ff-3e80-2a"',
  );
  // Another file renamed over it, equal but for its inode, is told apart.
  const stamp = { dev: 1, ino: 42, size: 255, mtimeMs: 4096, ctimeMs: 16000 };
  equal(stampTag(stamp) === stampTag({ ...stamp, ino: 43 }), false);
});

Deno.test("contentTag: a SHA-1 of the bytes, marked as such", () => {
  const tag = contentTag(new TextEncoder().encode("abc"));
  match(tag, /^"c-[\w-]{27}"$/);
  equal(tag, contentTag(new TextEncoder().encode("abc")));
  equal(tag === contentTag(new TextEncoder().encode("abd")), false);
  equal(mentionsContentTag(`"x", ${tag}`), true);
  equal(mentionsContentTag('"1-2-3"'), false);
});

Deno.test("etagMatches: lists, weak prefixes, star, and missing tags", () => {
  equal(etagMatches('"a"', '"a"'), true);
  equal(etagMatches('"x", W/"a" ', '"a"'), true);
  equal(etagMatches('"x"', '"a"'), false);
  equal(etagMatches("*", null), true);
  equal(etagMatches('"a"', null), false);
  equal(etagMatches('"b"', null, '"b"'), true);
  // '*' is the whole value or nothing: in a list or weak it is no tag.
  equal(etagMatches(" * ", null), true);
  equal(etagMatches("W/*", '"a"'), false);
  equal(etagMatches('"x", *', '"a"'), false);
});
