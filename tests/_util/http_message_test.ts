import { deepEqual, equal, throws } from "node:assert/strict";
import { HTTPMessage } from "../../_util/http_message.ts";

Deno.test("HTTPMessage: case-insensitive look-up keeps order and repeats", () => {
  const msg = new HTTPMessage([["Set-Cookie", "a=1"], ["Host", "x"], [
    "set-cookie",
    "b=2",
  ]]);
  equal(msg.get("SET-COOKIE"), "a=1");
  deepEqual(msg.get_all("Set-Cookie"), ["a=1", "b=2"]);
  deepEqual([...msg], ["Set-Cookie", "Host", "set-cookie"]);
  equal(msg.length, 3);
  equal(msg.has("host"), true);
  equal(msg.has("accept"), false);
  equal(msg.get("accept", "fallback"), "fallback");
  deepEqual(msg.get_all("accept", []), []);
});

Deno.test("HTTPMessage: editing", () => {
  const msg = new HTTPMessage([["A", "1"], ["B", "2"], ["a", "3"]]);
  msg.replace_header("A", "9");
  deepEqual(msg.items(), [["A", "9"], ["B", "2"], ["a", "3"]]);
  msg.delete("a");
  deepEqual(msg.items(), [["B", "2"]]);
  throws(() => msg.replace_header("zzz", "1"), RangeError);
  msg.add_header("Content-Disposition", "attachment", {
    filename: 'a "b".txt',
    x_y: null,
  });
  equal(
    msg.get("content-disposition"),
    'attachment; filename="a \\"b\\".txt"; x-y',
  );
});

Deno.test("HTTPMessage: content type and parameters as Python parses them", () => {
  const msg = new HTTPMessage([[
    "Content-Type",
    'Text/HTML; Charset="UTF-8"; q="a;b"',
  ]]);
  equal(msg.get_content_type(), "text/html");
  equal(msg.get_content_maintype(), "text");
  equal(msg.get_content_subtype(), "html");
  equal(msg.get_content_charset(), "utf-8");
  equal(msg.get_param("q"), "a;b");
  deepEqual(msg.get_params(), [["Text/HTML", ""], ["charset", "UTF-8"], [
    "q",
    "a;b",
  ]]);
  equal(
    new HTTPMessage([["Content-Type", "garbage"]]).get_content_type(),
    "text/plain",
  );
  equal(new HTTPMessage().get_content_charset(), null);
  equal(new HTTPMessage().get_params(), null);
});

Deno.test("HTTPMessage: Headers round trip keeps each Set-Cookie", () => {
  const headers = new Headers();
  headers.append("Set-Cookie", "a=1");
  headers.append("Set-Cookie", "b=2");
  headers.append("X-Y", "z");
  const msg = HTTPMessage.fromHeaders(headers);
  deepEqual(msg.get_all("set-cookie"), ["a=1", "b=2"]);
  equal(msg.toHeaders().getSetCookie().length, 2);
  equal(msg.as_string(), "x-y: z\nset-cookie: a=1\nset-cookie: b=2\n\n");
  equal(String(msg), msg.as_string());
});

Deno.test("HTTPMessage: wraps a Headers object until it is changed", () => {
  const headers = new Headers({ "Content-Type": "text/plain", Accept: "a" });
  const msg = new HTTPMessage(headers);
  equal(msg.get("content-type"), "text/plain");
  equal(msg.has("ACCEPT"), true);
  headers.set("Accept", "b");
  equal(msg.get("accept"), "b");
  deepEqual(msg.get_all("accept"), ["b"]);
  msg.add_header("X", "1");
  headers.set("Accept", "c");
  equal(msg.get("accept"), "b");
  deepEqual(msg.keys(), ["accept", "content-type", "X"]);
});

Deno.test("HTTPMessage: names that change length or leave ASCII when lower-cased match as in Python", () => {
  // Checked against CPython 3.13's http.client.HTTPMessage.
  const msg = new HTTPMessage([
    ["\u0130d", "1"], // İ lower-cases to two characters, "i" and U+0307
    ["\u212Aey", "2"], // the Kelvin sign lower-cases to an ASCII "k"
    ["Accept", "3"],
  ]);
  equal(msg.get("i\u0307d"), "1");
  equal(msg.get("\u0130D"), "1");
  equal(msg.get("key"), "2");
  equal(msg.get("KEY"), "2");
  equal(msg.get("accepT"), "3");
  equal(msg.get("acc"), null);
  equal(msg.has("i\u0307d"), true);
  deepEqual(msg.get_all("\u0130d"), ["1"]);
  msg.replace_header("KEY", "two");
  equal(msg.get("\u212Aey"), "two");
  msg.delete("I\u0307D");
  equal(msg.get("\u0130d"), null);
  equal(msg.length, 2);
});
