/**
 * Where the client reads text from the wire as Python reads it: header
 * values (`lstrip(" \t")`, not JavaScript's `trim`), chunk sizes
 * (`int(line, 16)` on bytes: ASCII whitespace only) and a challenge's scheme
 * (`str.split()`: Python's whitespace).
 */
import { deepEqual, equal } from "node:assert/strict";
import { HeaderBlock } from "../../../urllib/request/_response_head.ts";
import { parseChunkSize } from "../../../urllib/request/_http_body.ts";
import { parseBasicChallenges } from "../../../urllib/request/_auth_header.ts";

Deno.test("header values lose spaces and tabs around them, never a no-break space", () => {
  const block = new HeaderBlock();
  block.feed("X-A: \xa0a\xa0\r\n");
  block.feed("X-B: \t b \t\r\n");
  block.feed("X-C: \x1cc\x85\r\n");
  block.feed(" \xa0more\r\n");
  block.feed("\r\n");
  deepEqual(block.pairs, [
    ["X-A", "\xa0a\xa0"],
    ["X-B", "b"],
    ["X-C", "\x1cc\x85 \xa0more"],
  ]);
});

Deno.test("a chunk size takes ASCII whitespace around its digits, nothing else", () => {
  equal(parseChunkSize(" 5\x0b\r\n"), 5);
  equal(parseChunkSize("\t1a;name=value\r\n"), 26);
  // int(b"\xa05", 16) and int(b"\x855", 16) fail in Python.
  equal(parseChunkSize("\xa05\r\n"), null);
  equal(parseChunkSize("\x855\r\n"), null);
  // What else int(line, 16) takes and refuses, as CPython 3.13 answers.
  const cases: [string, number | null][] = [
    ["0x4", 4],
    ["1_0", 16],
    ["0x_4", 4],
    ["0_4", 4],
    ["0X1f", 31],
    ["+4", 4],
    ["_4", null],
    ["4_", null],
    ["00x4", null],
    ["0x", null],
    ["4__0", null],
    // int(b"-5", 16) is -5, on which CPython's reads fail (ValueError):
    // malformed here, as the README says.
    ["-5", null],
  ];
  for (const [line, size] of cases) {
    equal(parseChunkSize(`${line}\r\n`), size, line);
  }
  // The README's bound: 13 significant hex digits, however many zeros lead.
  equal(parseChunkSize(`${"0".repeat(30)}3\r\n`), 3);
  equal(parseChunkSize("fffffffffffff\r\n"), 2 ** 52 - 1);
  equal(parseChunkSize("10000000000000\r\n"), null);
});

Deno.test("a challenge's scheme ends at Python's whitespace (\\x1c-\\x1f, \\x85)", () => {
  deepEqual(parseBasicChallenges("Basic\x1c"), [{
    scheme: "Basic",
    realm: null,
    quoted: false,
  }]);
  deepEqual(parseBasicChallenges("Digest\x85"), [{
    scheme: "Digest",
    realm: null,
    quoted: false,
  }]);
  // A BOM is no whitespace to Python.
  deepEqual(parseBasicChallenges("Basic\ufeff"), [{
    scheme: "Basic\ufeff",
    realm: null,
    quoted: false,
  }]);
});
