import { equal, match } from "node:assert/strict";
import {
  contentTag,
  etagMatches,
  mentionsContentTag,
  stampTag,
} from "../../http_server/_etag.ts";

Deno.test("stampTag: mtime, size and ctime in hex", () => {
  equal(
    stampTag({ dev: 1, ino: 2, size: 255, mtimeMs: 4096, ctimeMs: 16000 }),
    '"1000-ff-3e80"',
  );
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
});
