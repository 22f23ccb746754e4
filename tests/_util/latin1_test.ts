/**
 * Latin-1 decoding and encoding: every byte value both ways, at the lengths
 * where the native ASCII path takes over, and the byte sequences that could
 * fool a UTF-8 decoder into looking like ASCII (a BOM, valid multi-byte
 * characters, U+FFFD itself, bytes that are not UTF-8).
 */
import { deepEqual, equal } from "node:assert/strict";
import { decodeAscii, latin1Decode, latin1Encode } from "../../_util/latin1.ts";

/** The reference: one character per byte, built one at a time. */
function slowDecode(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

Deno.test("latin1Decode and latin1Encode: every byte, both ways, at every length around the native path", () => {
  const all = Uint8Array.from({ length: 256 }, (_, i) => i);
  equal(latin1Decode(all), slowDecode(all));
  deepEqual(latin1Encode(latin1Decode(all)), all);
  for (let length = 0; length <= 70; length++) {
    const ascii = Uint8Array.from({ length }, (_, i) => 0x20 + (i % 90));
    equal(latin1Decode(ascii), slowDecode(ascii), `ASCII, ${length} bytes`);
    deepEqual(latin1Encode(slowDecode(ascii)), ascii);
    const high = ascii.map((b, i) => i === length - 1 ? 0xe9 : b);
    equal(latin1Decode(high), slowDecode(high), `é last, ${length} bytes`);
    deepEqual(latin1Encode(slowDecode(high)), high);
  }
});

Deno.test("latin1Decode: what UTF-8 would read otherwise stays a character a byte", () => {
  const pad = new Array(40).fill(0x41);
  const cases: [string, number[]][] = [
    ["a byte order mark", [0xef, 0xbb, 0xbf, ...pad]],
    ["é in UTF-8", [...pad, 0xc3, 0xa9]],
    ["U+FFFD in UTF-8", [...pad, 0xef, 0xbf, 0xbd]],
    ["an emoji in UTF-8", [0xf0, 0x9f, 0x98, 0x80, ...pad]],
    ["a lone continuation byte", [...pad, 0x80]],
    ["NUL and DEL", [0x00, ...pad, 0x7f]],
  ];
  for (const [name, values] of cases) {
    const bytes = Uint8Array.from(values);
    equal(latin1Decode(bytes), slowDecode(bytes), name);
    equal(latin1Decode(bytes).length, bytes.length, name);
  }
  equal(decodeAscii(Uint8Array.from([0xc3, 0xa9, ...pad])), null);
  equal(decodeAscii(Uint8Array.from([0xef, 0xbf, 0xbd])), null);
  equal(decodeAscii(Uint8Array.from(pad)), "A".repeat(40));
});

Deno.test("latin1Decode: more than one fromCharCode call's worth, ASCII or not", () => {
  const big = Uint8Array.from({ length: 20_000 }, (_, i) => i % 256);
  equal(latin1Decode(big), slowDecode(big));
  const ascii = Uint8Array.from({ length: 20_000 }, (_, i) => 0x30 + (i % 10));
  equal(latin1Decode(ascii), slowDecode(ascii));
});
