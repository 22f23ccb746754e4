import { deepEqual, equal, ok, rejects, throws } from "node:assert/strict";
import {
  BadStatusLine,
  ContentTooShortError,
  HTTPError,
  HTTPException,
  IncompleteRead,
  InvalidURL,
  LineTooLong,
  RemoteDisconnected,
  TimeoutError,
  UnknownProtocol,
  URLError,
} from "../../urllib/error.ts";
import { addinfourl, HTTPMessage } from "../../urllib/request/mod.ts";

Deno.test("URLError keeps its reason and Python's str()", () => {
  const cause = new Deno.errors.ConnectionRefused(
    "Connection refused (os error 111)",
  );
  const err = new URLError(cause, "f.txt");
  equal(err.name, "URLError");
  equal(err.reason, cause);
  equal(err.cause, cause);
  equal(err.filename, "f.txt");
  equal(err.message, "<urlopen error Connection refused (os error 111)>");
  ok(err instanceof Error);
  equal(new URLError("no host given").message, "<urlopen error no host given>");
  // Values print as Python's str() prints them.
  equal(new URLError(null).message, "<urlopen error None>");
  equal(
    new HTTPError("http://h/", 404, null!, null, null).message,
    "HTTP Error 404: None",
  );
  // The code too (CPython's test_HTTPError_interface makes one with None):
  // it printed "null".
  const bare = new HTTPError(
    null!,
    null!,
    "something bad happened",
    null,
    null,
  );
  equal(bare.message, "HTTP Error None: something bad happened");
  equal(bare.reason, "something bad happened");
});

Deno.test("HTTPError.reason is msg and, as Python's property, has no setter", () => {
  const err = new HTTPError("http://h/", 404, "Not Found", null, null);
  // Python: AttributeError: property 'reason' of 'HTTPError' object has no
  // setter. Ours changed msg, yet the message still said "Not Found".
  throws(() => {
    (err as { reason: unknown }).reason = "Gone";
  }, TypeError);
  equal(err.msg, "Not Found");
  err.msg = "Gone";
  equal(err.reason, "Gone");
  // A URLError's reason is a plain attribute in Python: settable.
  const plain = new URLError("a");
  plain.reason = "b";
  equal(plain.reason, "b");
});

Deno.test("an error's message is its own, written when made (README: Differences from Python, Errors)", () => {
  // Python builds str(e) when printing; here the message is a plain own
  // property, which structuredClone (and postMessage) copy.
  const errors = [
    new HTTPError("http://h/", 404, "Not Found", null, null),
    new URLError("no host given"),
    new ContentTooShortError("retrieval incomplete", ["f", null]),
  ];
  for (const err of errors) {
    ok(Object.hasOwn(err, "message"), err.name);
    equal(structuredClone(err).message, err.message);
  }
  const [http] = errors as [HTTPError];
  http.code = 500;
  equal(String(http), "HTTPError: HTTP Error 404: Not Found");
});

Deno.test("URLError(reason, filename=None): filename by keyword, None by default, no third argument", () => {
  equal(new URLError("r", { filename: "f.txt" }).filename, "f.txt");
  equal(new URLError("r").filename, null);
  const loose = URLError as unknown as new (...args: unknown[]) => URLError;
  throws(() => new loose("r", "f", 1), {
    name: "TypeError",
    message: /URLError\(\) takes at most 1 optional argument/,
  });
  throws(() => new loose("r", { file_name: "f" }), {
    name: "TypeError",
    message: /unexpected keyword argument 'file_name'/,
  });
  // HTTPError's filename is its URL, as Python's.
  equal(
    new HTTPError("http://h/", 404, "NF", null, null).filename,
    "http://h/",
  );
});

Deno.test("HTTPError is a URLError and a readable response", async () => {
  const headers = new HTTPMessage([["Content-Type", "text/plain"]]);
  const fp = new addinfourl(
    new TextEncoder().encode("line 1\nline 2\n"),
    headers,
    "http://h/x",
    503,
  );
  const err = new HTTPError(
    "http://h/x",
    503,
    "Service Unavailable",
    headers,
    fp,
  );
  ok(err instanceof URLError);
  equal(err.name, "HTTPError");
  equal(err.message, "HTTP Error 503: Service Unavailable");
  equal(String(err), "HTTPError: HTTP Error 503: Service Unavailable");
  equal(err.reason, "Service Unavailable");
  equal(err.status, 503);
  equal(err.getcode(), 503);
  equal(err.geturl(), "http://h/x");
  equal(err.info(), headers);
  equal(err.headers, err.hdrs);
  equal(new TextDecoder().decode(await err.readline()), "line 1\n");
  equal(new TextDecoder().decode(await err.read()), "line 2\n");
  ok(!err.closed);
  await err.close();
  ok(err.closed);
  const empty = new HTTPError("http://h/", 500, "x", null, null);
  equal((await empty.read()).length, 0);
  deepEqual(await empty.readlines(), []);
  ok(!empty.closed);
  // As Python's: made without a body, its fp is an empty one, which
  // refuses reads once closed.
  ok(empty.fp !== null);
  await empty[Symbol.asyncDispose]();
  ok(empty.closed);
  await rejects(empty.read(), /I\/O operation on closed file/);
  // Each error's empty body is its own: closing one closes no other.
  const a = new HTTPError("http://h/", 500, "x", null, null);
  const b = new HTTPError("http://h/", 500, "x", null, null);
  a.fp = b.fp = null;
  await a.close();
  equal((await b.read()).length, 0);
  ok(!b.closed);
});

Deno.test("HTTPError reads as a file: readlines, readinto and for await", async () => {
  const body = () =>
    new addinfourl(
      new TextEncoder().encode("<h1>nope</h1>\nsecond line"),
      null,
      "http://h/",
      404,
    );
  const text = (b: Uint8Array) => new TextDecoder().decode(b);
  let err = new HTTPError("http://h/", 404, "Not Found", null, body());
  deepEqual((await err.readlines()).map(text), [
    "<h1>nope</h1>\n",
    "second line",
  ]);
  err = new HTTPError("http://h/", 404, "Not Found", null, body());
  const lines: string[] = [];
  for await (const line of err) lines.push(text(line));
  deepEqual(lines, ["<h1>nope</h1>\n", "second line"]);
  err = new HTTPError("http://h/", 404, "Not Found", null, body());
  const buf = new Uint8Array(4);
  equal(await err.readinto(buf), 4);
  equal(text(buf), "<h1>");
});

Deno.test("ContentTooShortError, InvalidURL, IncompleteRead, RemoteDisconnected, BadStatusLine, TimeoutError", () => {
  const short = new ContentTooShortError(
    "retrieval incomplete: got only 1 out of 2 bytes",
    ["f", null],
  );
  ok(short instanceof URLError);
  equal(short.name, "ContentTooShortError");
  equal(short.reason, "retrieval incomplete: got only 1 out of 2 bytes");
  equal((short.content as unknown[])[0], "f");
  ok(new InvalidURL("x") instanceof TypeError);
  equal(
    new IncompleteRead(new Uint8Array(2)).message,
    "IncompleteRead(2 bytes read)",
  );
  ok(new RemoteDisconnected() instanceof Deno.errors.ConnectionReset);
  equal(
    new RemoteDisconnected().message,
    "Remote end closed connection without response",
  );
  equal(new BadStatusLine("junk").line, "junk");
  const t = new TimeoutError();
  ok(t instanceof Deno.errors.TimedOut);
  equal(t.name, "TimeoutError");
  equal(t.message, "timed out");
});

Deno.test("http.client's exceptions keep Python's hierarchy and messages", () => {
  const tooLong = new LineTooLong("status line");
  equal(tooLong.name, "LineTooLong");
  equal(tooLong.message, "got more than 65536 bytes when reading status line");
  const unknown = new UnknownProtocol("HTTP/2.0");
  deepEqual([unknown.name, unknown.version, unknown.message], [
    "UnknownProtocol",
    "HTTP/2.0",
    "HTTP/2.0",
  ]);
  for (
    const err of [
      tooLong,
      unknown,
      new BadStatusLine("x"),
      new IncompleteRead(new Uint8Array(0)),
      new RemoteDisconnected(),
      new InvalidURL("x"),
    ]
  ) {
    ok(err instanceof HTTPException, err.name);
    ok(!(err instanceof URLError), err.name);
  }
  // The second parents JavaScript cannot express, answered by instanceof.
  ok(new RemoteDisconnected() instanceof BadStatusLine);
  equal(new RemoteDisconnected().line, "''");
  ok(new InvalidURL("x") instanceof TypeError);
  // Nothing else is taken in: subclasses are still told apart.
  ok(!(new BadStatusLine("x") instanceof RemoteDisconnected));
  ok(!(new RemoteDisconnected() instanceof LineTooLong));
  ok(!(new TypeError("x") instanceof HTTPException));
  ok(!(new Deno.errors.ConnectionReset("x") instanceof HTTPException));
  equal(new BadStatusLine("").line, "''");
  equal(new HTTPException("got more than 100 headers").name, "HTTPException");
});

Deno.test("IncompleteRead(partial, expected) takes expected by Python's keyword too, and refuses a bad call", () => {
  const err = new IncompleteRead(new Uint8Array(3), { expected: 7 });
  equal(err.expected, 7);
  equal(err.message, "IncompleteRead(3 bytes read, 7 more expected)");
  const Loosely = IncompleteRead as unknown as new (...a: unknown[]) => unknown;
  throws(() => new Loosely(new Uint8Array(3), 7, { expected: 7 }), {
    name: "TypeError",
    message: "IncompleteRead() got multiple values for argument 'expected'",
  });
  throws(() => new Loosely(new Uint8Array(3), 7, 8), {
    name: "TypeError",
    message: /IncompleteRead\(\) takes at most 1/,
  });
});
