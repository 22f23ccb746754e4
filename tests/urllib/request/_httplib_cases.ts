/**
 * The cases cpython_httplib_test.ts runs through our urlopen and CPython's:
 * the bytes a server sends, what to do with the response, and what each
 * step gives (see that file's header for the CPython test each one ports).
 *
 * @module
 */

/** One thing to do with the response `urlopen` gave, and what it returns. */
export type Op = [name: string, ...args: unknown[]];

/** A case: the raw reply, the request, the ops and what each returns. */
export interface Case {
  /** The CPython test it ports. */
  cpython: string;
  /** The bytes the server sends (Latin-1 text), then it closes. */
  reply: string;
  /** Keep the connection open after the reply (CPython's NoEOFBytesIO). */
  hold?: boolean;
  method?: string;
  data?: string;
  ops: Op[];
  /** The open's result (null, or the error), then each op's. */
  want: unknown[];
  /** What CPython gives where it differs on purpose (README), and why. */
  cpythonGives?: { want: unknown[]; why: string };
}

const OK = "HTTP/1.1 200 Ok\r\n";

const CHUNKED_START = "HTTP/1.1 200 OK\r\n" +
  "Transfer-Encoding: chunked\r\n\r\n" +
  "a\r\nhello worl\r\n" +
  "3\r\nd! \r\n" +
  "8\r\nand now \r\n" +
  "22\r\nfor something completely different\r\n";
const CHUNKED_EXPECTED =
  "hello world! and now for something completely different";
const TRAILERS = "X-Dummy: foo\r\nX-Dumm2: bar\r\n";
const CHUNKED_HEAD = "HTTP/1.1 200 OK\r\n" +
  "Transfer-Encoding: chunked\r\n\r\n" +
  "a\r\nhello world\r\n1\r\nd\r\n";
const EXTRA = "extradata";
const NUL = "\0";
/** What read() and readinto() report of CHUNKED_START cut short. */
const cutChunked = {
  error: "IncompleteRead",
  message: "IncompleteRead(55 bytes read)",
  partial: CHUNKED_EXPECTED,
  expected: null,
};
/** The visible ASCII characters, and the bytes 0x80-0xff as Latin-1. */
const VCHAR = Array.from(
  { length: 0x7e - 0x21 + 1 },
  (_, i) => String.fromCharCode(0x21 + i),
).join("");
const OBS_TEXT = Array.from(
  { length: 0x100 - 0x80 },
  (_, i) => String.fromCharCode(0x80 + i),
).join("");
const HELLO = "Hello123\r\n";
const CL10 = "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";

/** ExtendedReadTest's body, plain (to the close), with a length, chunked. */
const EXTENDED_BODY =
  "hello world!\nand now \nfor something completely different\nfoo";
const EXTENDED: Record<string, string> = {
  ExtendedReadTest: `HTTP/1.1 200 OK\r\n\r\n${EXTENDED_BODY}`,
  ExtendedReadTestContentLengthKnown:
    `HTTP/1.1 200 OK\r\nContent-Length: ${EXTENDED_BODY.length}\r\n\r\n${EXTENDED_BODY}`,
  ExtendedReadTestChunked: "HTTP/1.1 200 OK\r\n" +
    "Transfer-Encoding: chunked\r\n\r\n" +
    "a\r\nhello worl\r\n" +
    "3\r\nd!\n\r\n" +
    "9\r\nand now \n\r\n" +
    "23\r\nfor something completely different\n\r\n" +
    "3\r\nfoo\r\n" +
    "0\r\n\r\n",
};

export const CASES: Case[] = [
  {
    cpython: "BasicTest.test_status_lines",
    reply: `${OK}\r\nText`,
    ops: [
      ["read", 0],
      ["isclosed"],
      ["closed"],
      ["read"],
      ["isclosed"],
      [
        "closed",
      ],
      ["close"],
      ["closed"],
    ],
    want: [null, "", false, false, "Text", true, false, null, true],
  },
  {
    cpython: "BasicTest.test_status_lines (400.100)",
    reply: "HTTP/1.1 400.100 Not Ok\r\n\r\nText",
    ops: [],
    want: [{
      "error": "BadStatusLine",
      "message": "HTTP/1.1 400.100 Not Ok\r\n",
    }],
  },
  {
    cpython:
      "BasicTest.test_status_lines (how urlopen reports a bad one: BadStatusLine, bare)",
    reply: "http/1.1 200 OK\r\n\r\nhello",
    ops: [],
    want: [{ error: "BadStatusLine", message: "http/1.1 200 OK\r\n" }],
  },
  {
    cpython: "BasicTest.test_status_lines (a two-digit status)",
    reply: "HTTP/1.1 20 OK\r\n\r\nhello",
    ops: [],
    want: [{ error: "BadStatusLine", message: "HTTP/1.1 20 OK\r\n" }],
  },
  {
    cpython: "BasicTest.test_status_lines (no reason phrase)",
    reply: "HTTP/1.1 200\r\n\r\nhello",
    ops: [["reason"], ["read"]],
    want: [null, "", "hello"],
  },
  {
    cpython:
      "BasicTest.test_status_lines (another HTTP version: UnknownProtocol)",
    reply: "HTTP/2.0 200 OK\r\n\r\n",
    ops: [],
    want: [{ error: "UnknownProtocol", message: "HTTP/2.0" }],
  },
  {
    cpython:
      "test_urllib_response.test_addinfourl on a response: geturl, getcode, status, reason, msg, version, length, iteration",
    reply: "HTTP/1.0 200 Fine Thanks\r\nContent-Length: 13\r\n\r\n" +
      `Text\r\nAnother${EXTRA}`,
    ops: [
      ["geturl"],
      ["getcode"],
      ["status"],
      ["reason"],
      ["msg"],
      [
        "version",
      ],
      ["code"],
      ["length"],
      ["lines"],
      ["isclosed"],
      ["length"],
    ],
    want: [
      null,
      "URL/",
      200,
      200,
      "Fine Thanks",
      "Fine Thanks",
      10,
      200,
      13,
      ["Text\r\n", "Another"],
      true,
      0,
    ],
  },
  {
    cpython: "BasicTest.test_partial_reads",
    reply: `${OK}Content-Length: 4\r\n\r\nText`,
    ops: [["read", 2], ["isclosed"], ["read", 2], ["isclosed"], ["closed"], [
      "close",
    ], ["closed"]],
    want: [null, "Te", false, "xt", true, false, null, true],
  },
  {
    cpython: "BasicTest.test_mixed_reads",
    reply: `${OK}Content-Length: 13\r\n\r\nText\r\nAnother`,
    ops: [["readline"], ["isclosed"], ["read"], ["isclosed"], ["closed"], [
      "close",
    ], ["closed"]],
    want: [null, "Text\r\n", false, "Another", true, false, null, true],
  },
  {
    cpython: "BasicTest.test_partial_readintos",
    reply: `${OK}Content-Length: 4\r\n\r\nText`,
    ops: [
      ["readinto", 2],
      ["isclosed"],
      ["readinto", 2],
      ["isclosed"],
      [
        "closed",
      ],
      ["close"],
      ["closed"],
    ],
    want: [null, [2, "Te"], false, [2, "xt"], true, false, null, true],
  },
  {
    cpython: "BasicTest.test_partial_reads_past_end",
    reply: `${OK}Content-Length: 4\r\n\r\nText`,
    ops: [["read", 10], ["isclosed"], ["closed"], ["close"], ["closed"]],
    want: [null, "Text", true, false, null, true],
  },
  {
    cpython: "BasicTest.test_partial_readintos_past_end",
    reply: `${OK}Content-Length: 4\r\n\r\nText`,
    ops: [["readinto", 10], ["isclosed"], ["closed"], ["close"], ["closed"]],
    want: [
      null,
      [4, "Text" + NUL.repeat(6)],
      true,
      false,
      null,
      true,
    ],
  },
  {
    cpython: "BasicTest.test_partial_reads_no_content_length",
    reply: `${OK}\r\nText`,
    ops: [
      ["read", 2],
      ["isclosed"],
      ["read", 2],
      ["read", 1],
      ["isclosed"],
      [
        "closed",
      ],
      ["close"],
      ["closed"],
    ],
    want: [null, "Te", false, "xt", "", true, false, null, true],
  },
  {
    cpython: "BasicTest.test_partial_readintos_no_content_length",
    reply: `${OK}\r\nText`,
    ops: [["readinto", 2], ["isclosed"], ["readinto", 2], ["readinto", 2], [
      "isclosed",
    ]],
    want: [null, [2, "Te"], false, [2, "xt"], [0, NUL.repeat(2)], true],
  },
  {
    cpython: "BasicTest.test_partial_reads_incomplete_body",
    reply: `${OK}Content-Length: 10\r\n\r\nText`,
    ops: [["read", 2], ["isclosed"], ["read", 2], ["read", 1], ["isclosed"]],
    want: [null, "Te", false, "xt", "", true],
  },
  {
    cpython: "BasicTest.test_partial_readintos_incomplete_body",
    reply: `${OK}Content-Length: 10\r\n\r\nText`,
    ops: [
      ["readinto", 2],
      ["isclosed"],
      ["readinto", 2],
      ["readinto", 2],
      [
        "isclosed",
      ],
      ["closed"],
      ["close"],
      ["closed"],
    ],
    want: [
      null,
      [2, "Te"],
      false,
      [2, "xt"],
      [0, NUL.repeat(2)],
      true,
      false,
      null,
      true,
    ],
  },
  {
    cpython: "BasicTest.test_response_headers",
    reply: "HTTP/1.1 200 OK\r\n" +
      'Set-Cookie: Customer="WILE_E_COYOTE"; Version="1"; Path="/acme"\r\n' +
      'Set-Cookie: Part_Number="Rocket_Launcher_0001"; Version="1"; Path="/acme"\r\n' +
      "\r\nNo body\r\n",
    ops: [["getheader", "Set-Cookie"], ["get_all", "set-cookie"]],
    want: [
      null,
      'Customer="WILE_E_COYOTE"; Version="1"; Path="/acme", Part_Number="Rocket_Launcher_0001"; Version="1"; Path="/acme"',
      [
        'Customer="WILE_E_COYOTE"; Version="1"; Path="/acme"',
        'Part_Number="Rocket_Launcher_0001"; Version="1"; Path="/acme"',
      ],
    ],
  },
  {
    cpython: "BasicTest.test_read_head",
    reply: "HTTP/1.1 200 OK\r\nContent-Length: 14432\r\n\r\n",
    hold: true,
    method: "HEAD",
    ops: [["read"], ["isclosed"], ["length"]],
    want: [null, "", true, 0],
  },
  {
    cpython: "BasicTest.test_readinto_head",
    reply: "HTTP/1.1 200 OK\r\nContent-Length: 14432\r\n\r\n",
    hold: true,
    method: "HEAD",
    ops: [["readinto", 5], ["isclosed"]],
    want: [null, [0, NUL.repeat(5)], true],
  },
  {
    cpython: "BasicTest.test_read_head (lines)",
    reply: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n",
    hold: true,
    method: "HEAD",
    ops: [["lines"], ["isclosed"], ["readline"], ["readlines"]],
    want: [null, [], true, "", []],
    cpythonGives: {
      want: [null, [], false, "", []],
      why:
        "README: a HEAD response lets its connection go at any read; http.client's line reading does not",
    },
  },
  {
    cpython: "BasicTest.test_read_head (a 204's Content-Length is no body)",
    reply: "HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n",
    hold: true,
    ops: [["length"], ["read"], ["isclosed"]],
    want: [null, 0, "", true],
  },
  {
    cpython: "BasicTest.test_too_many_headers",
    reply: "HTTP/1.1 200 OK\r\n" +
      Array.from({ length: 101 }, (_, i) => `Header${i}: foo\r\n`).join(""),
    ops: [],
    want: [{
      "error": "HTTPException",
      "message": "got more than 100 headers",
    }],
  },
  {
    cpython: "BasicTest.test_chunked",
    reply: `${CHUNKED_START}0\r\n\r\n`,
    ops: [["read"], ["isclosed"], ["closed"]],
    want: [
      null,
      "hello world! and now for something completely different",
      true,
      false,
    ],
  },
  ...Array.from({ length: 11 }, (_, i): Case => ({
    cpython: `BasicTest.test_chunked (read(${i + 1}) twice, then read())`,
    reply: `${CHUNKED_START}0\r\n\r\n`,
    ops: [["read", i + 1], ["read", i + 1], ["read"]],
    want: [
      null,
      CHUNKED_EXPECTED.slice(0, i + 1),
      CHUNKED_EXPECTED.slice(i + 1, 2 * (i + 1)),
      CHUNKED_EXPECTED.slice(2 * (i + 1)),
    ],
  })),
  ...["", "foo\r\n"].map((x): Case => ({
    cpython: `BasicTest.test_chunked (cut after ${JSON.stringify(x)})`,
    reply: CHUNKED_START + x,
    ops: [["read"], ["isclosed"], ["read"], ["read", 4], ["readinto", 4], [
      "readline",
    ]],
    want: [null, cutChunked, true, "", "", [0, NUL.repeat(4)], ""],
  })),
  {
    cpython: "BasicTest.test_readinto_chunked",
    reply: `${CHUNKED_START}0\r\n\r\n`,
    ops: [["readinto", 128]],
    want: [null, [55, CHUNKED_EXPECTED + NUL.repeat(73)]],
  },
  ...Array.from({ length: 11 }, (_, i): Case => ({
    cpython: `BasicTest.test_readinto_chunked (readinto(${i + 1}) twice)`,
    reply: `${CHUNKED_START}0\r\n\r\n`,
    ops: [["readinto", i + 1], ["readinto", i + 1], [
      "readinto",
      128 - 2 * (i + 1),
    ]],
    want: [
      null,
      [i + 1, CHUNKED_EXPECTED.slice(0, i + 1)],
      [i + 1, CHUNKED_EXPECTED.slice(i + 1, 2 * (i + 1))],
      [
        55 - 2 * (i + 1),
        CHUNKED_EXPECTED.slice(2 * (i + 1)) + NUL.repeat(128 - 55),
      ],
    ],
  })),
  ...["", "foo\r\n"].map((x): Case => ({
    cpython: `BasicTest.test_readinto_chunked (cut after ${JSON.stringify(x)})`,
    reply: CHUNKED_START + x,
    ops: [["readinto", 128]],
    want: [null, cutChunked],
  })),
  {
    cpython: "BasicTest.test_chunked_head",
    reply: `${CHUNKED_HEAD}0\r\n\r\n`,
    method: "HEAD",
    ops: [["read"], ["status"], ["reason"], ["isclosed"], ["closed"], [
      "close",
    ], ["closed"]],
    want: [null, "", 200, "OK", true, false, null, true],
  },
  {
    cpython: "BasicTest.test_readinto_chunked_head",
    reply: `${CHUNKED_HEAD}0\r\n\r\n`,
    method: "HEAD",
    ops: [["readinto", 5], ["status"], ["reason"], ["isclosed"], ["closed"], [
      "close",
    ], ["closed"]],
    want: [null, [0, NUL.repeat(5)], 200, "OK", true, false, null, true],
  },
  {
    cpython: "BasicTest.test_negative_content_length",
    reply: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\nHello\r\n",
    ops: [["length"], ["read"], ["isclosed"]],
    want: [null, null, "Hello\r\n", true],
  },
  {
    cpython: "BasicTest.test_incomplete_read",
    reply: `${CL10}Hello\r\n`,
    ops: [["read"], ["isclosed"]],
    want: [null, {
      "error": "IncompleteRead",
      "message": "IncompleteRead(7 bytes read, 3 more expected)",
      "partial": "Hello\r\n",
      "expected": 3,
    }, true],
  },
  {
    cpython: "BasicTest.test_epipe",
    reply: "HTTP/1.0 401 Authorization Required\r\n" +
      "Content-type: text/html\r\n" +
      'WWW-Authenticate: Basic realm="example"\r\n',
    method: "PUT",
    data: "body",
    ops: [["status"], ["getheader", "www-authenticate"], ["read"]],
    want: [
      {
        "error": "HTTPError",
        "message": "HTTP Error 401: Authorization Required",
      },
      401,
      'Basic realm="example"',
      "",
    ],
  },
  {
    cpython: "BasicTest.test_overflowing_status_line",
    reply: `HTTP/1.1 200 Ok${"k".repeat(65536)}\r\n`,
    ops: [],
    want: [{
      "error": "LineTooLong",
      "message": "got more than 65536 bytes when reading status line",
    }],
  },
  {
    cpython: "BasicTest.test_overflowing_header_line",
    reply: `HTTP/1.1 200 OK\r\nX-Foo: bar${"r".repeat(65536)}\r\n\r\n`,
    ops: [],
    want: [{
      "error": "LineTooLong",
      "message": "got more than 65536 bytes when reading header line",
    }],
  },
  {
    cpython: "BasicTest.test_overflowing_header_limit_after_100",
    reply: `HTTP/1.1 100 OK\r\n${"r\n".repeat(32768)}`,
    ops: [],
    want: [{ error: "HTTPException", message: "invalid header line 'r'" }],
    cpythonGives: {
      want: [{ error: "HTTPException", message: "got more than 100 headers" }],
      why:
        "README: a line that is no header refuses the response, in a 100 Continue reply's head too; http.client skips those lines unread and so meets its count first",
    },
  },
  {
    cpython: "BasicTest.test_overflowing_chunked_line",
    reply: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
      "0".repeat(65536) + "a\r\nhello world\r\n0\r\n\r\n",
    ops: [["read"]],
    want: [null, {
      "error": "LineTooLong",
      "message": "got more than 65536 bytes when reading chunk size",
    }],
  },
  {
    cpython: "BasicTest.test_overflowing_chunked_line (what later reads give)",
    reply: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" +
      `3\r\nabc\r\n${"0".repeat(70000)}1\r\nx\r\n0\r\n\r\n`,
    ops: [["read"], ["isclosed"], ["read"]],
    want: [
      null,
      {
        error: "LineTooLong",
        message: "got more than 65536 bytes when reading chunk size",
      },
      true,
      "",
    ],
    cpythonGives: {
      want: [
        null,
        {
          error: "LineTooLong",
          message: "got more than 65536 bytes when reading chunk size",
        },
        false,
        "x",
      ],
      why:
        "README: a LineTooLong in a chunked body lets the connection go; http.client reads on from inside the long line",
    },
  },
  {
    cpython: "BasicTest.test_early_eof",
    reply: "HTTP/1.1 200 Ok",
    ops: [["read"], ["isclosed"], ["closed"], ["close"], ["closed"]],
    want: [null, "", true, false, null, true],
  },
  {
    cpython: "BasicTest.test_error_leak",
    reply: "Invalid status line",
    ops: [],
    want: [{ "error": "BadStatusLine", "message": "Invalid status line" }],
  },
  {
    cpython: "BasicTest.test_chunked_extension",
    reply: `${CHUNKED_START}3;foo=bar\r\nabc\r\n0;foo=bar\r\n\r\n`,
    ops: [["read"]],
    want: [null, "hello world! and now for something completely differentabc"],
  },
  {
    cpython: "BasicTest.test_chunked_missing_end",
    reply: `${CHUNKED_START}0\r\n`,
    ops: [["read"], ["isclosed"]],
    want: [
      null,
      "hello world! and now for something completely different",
      true,
    ],
  },
  {
    cpython: "BasicTest.test_chunked_trailers",
    reply: `${CHUNKED_START}0\r\n${TRAILERS}\r\n`,
    hold: true,
    ops: [["read"], ["isclosed"], ["get_all", "X-Dummy"]],
    want: [
      null,
      "hello world! and now for something completely different",
      true,
      null,
    ],
  },
  {
    cpython: "BasicTest.test_chunked_sync",
    reply: `${CHUNKED_START}0\r\n${TRAILERS}\r\n${EXTRA}`,
    ops: [["read"], ["isclosed"], ["read"]],
    want: [
      null,
      "hello world! and now for something completely different",
      true,
      "",
    ],
  },
  {
    cpython: "BasicTest.test_content_length_sync",
    reply: CL10 + HELLO + EXTRA,
    ops: [["read"], ["isclosed"], ["read"]],
    want: [null, "Hello123\r\n", true, ""],
  },
  {
    cpython: "BasicTest.test_readlines_content_length",
    reply: CL10 + HELLO + EXTRA,
    ops: [["readlines", 2000], ["isclosed"], ["read"]],
    want: [null, ["Hello123\r\n"], true, ""],
  },
  {
    cpython: "BasicTest.test_read1_content_length",
    reply: CL10 + HELLO + EXTRA,
    hold: true,
    ops: [["read1", 2000], ["isclosed"], ["read"]],
    want: [null, "Hello123\r\n", true, ""],
  },
  {
    cpython: "BasicTest.test_readline_bound_content_length",
    reply: CL10 + HELLO + EXTRA,
    ops: [["readline", 10], ["readline", 10], ["isclosed"]],
    want: [null, "Hello123\r\n", "", true],
  },
  {
    cpython: "BasicTest.test_read1_bound_content_length",
    reply: `HTTP/1.1 200 OK\r\nContent-Length: 30\r\n\r\n${
      HELLO.repeat(3)
    }${EXTRA}`,
    hold: true,
    ops: [["read1", 20], ["read"], ["isclosed"]],
    want: [null, "Hello123\r\nHello123\r\n", "Hello123\r\n", true],
  },
  {
    cpython:
      "read1 cut inside a chunk's CR LF: http.client's _safe_read(2) error, what came of the CR LF and how much is missing",
    reply: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r",
    ops: [["read1", 100], ["read1", 100], ["read1", 100], ["isclosed"], [
      "read",
    ]],
    want: [
      null,
      "abc",
      {
        error: "IncompleteRead",
        message: "IncompleteRead(1 bytes read, 1 more expected)",
        partial: "\r",
        expected: 1,
      },
      {
        error: "IncompleteRead",
        message: "IncompleteRead(0 bytes read, 2 more expected)",
        partial: "",
        expected: 2,
      },
      false,
      {
        error: "IncompleteRead",
        message: "IncompleteRead(0 bytes read)",
        partial: "",
        expected: null,
      },
    ],
  },
  {
    cpython:
      "read1 cut right after a chunk's data: the whole CR LF missing, at every read1",
    reply: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc",
    ops: [["read1"], ["read1"], ["read1", 2]],
    want: [
      null,
      "abc",
      {
        error: "IncompleteRead",
        message: "IncompleteRead(0 bytes read, 2 more expected)",
        partial: "",
        expected: 2,
      },
      {
        error: "IncompleteRead",
        message: "IncompleteRead(0 bytes read, 2 more expected)",
        partial: "",
        expected: 2,
      },
    ],
  },
  {
    cpython: "read1 cut inside a chunk's data: no expected",
    reply: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nabc",
    ops: [["read1", 2], ["read1", 2], ["read1", 2], ["isclosed"]],
    want: [
      null,
      "ab",
      "c",
      {
        error: "IncompleteRead",
        message: "IncompleteRead(0 bytes read)",
        partial: "",
        expected: null,
      },
      false,
    ],
  },
  {
    cpython: "HTTPResponse.chunked: a chunked body, before and after reading",
    reply:
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    ops: [["chunked"], ["length"], ["read"], ["chunked"]],
    want: [null, true, null, "abc", true],
  },
  {
    cpython: "HTTPResponse.chunked: a Content-Length body",
    reply: `${CL10}${HELLO}`,
    ops: [["chunked"], ["read"]],
    want: [null, false, HELLO],
  },
  {
    cpython:
      "HTTPResponse.chunked: another coding before chunked is read to the close",
    reply:
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3\r\nabc",
    ops: [["chunked"], ["read"]],
    want: [null, false, "3\r\nabc"],
  },
  {
    cpython:
      "HTTPResponse.chunked through HTTPError, as Python's passes it to its response",
    reply:
      "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n",
    ops: [["chunked"], ["read"]],
    want: [
      { error: "HTTPError", message: "HTTP Error 404: Not Found" },
      true,
      "abc",
    ],
  },
  {
    cpython: "HTTPResponse.chunked: a HEAD response says so, with no body",
    reply: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n",
    method: "HEAD",
    ops: [["chunked"], ["read"]],
    want: [null, true, ""],
  },
  ...Object.entries(EXTENDED).flatMap(([cls, reply]): Case[] => [
    {
      cpython: `${cls}.test_readline`,
      reply,
      ops: [
        ...Array.from({ length: 16 }, (): Op => ["readline", 5]),
        ["isclosed"],
      ],
      want: [
        null,
        ...["hello", " worl", "d!\n", "and n", "ow \n", "for s", "ometh"],
        ...["ing c", "omple", "tely ", "diffe", "rent\n", "foo", "", "", ""],
        true,
      ],
    },
    {
      cpython: `${cls}.test_readline_without_limit`,
      reply,
      ops: [...Array.from({ length: 5 }, (): Op => ["readline", -1]), [
        "isclosed",
      ]],
      want: [
        null,
        ...EXTENDED_BODY.split(/(?<=\n)/),
        "",
        true,
      ],
    },
    {
      cpython: `${cls}.test_read1_0, test_peek_0`,
      reply,
      ops: [["read1", 0], ["isclosed"], ["peekThenRead", 0]],
      want: [null, "", false, [true, EXTENDED_BODY]],
    },
    {
      cpython: `${cls}.test_peek`,
      reply,
      ops: [["peekLoop"], ["isclosed"]],
      want: [null, [EXTENDED_BODY, true], true],
    },
    {
      cpython: `${cls}.test_read1 (read1(4) under a line reader)`,
      reply,
      ops: [["read1Loop", 4]],
      want: [null, [EXTENDED_BODY, true, true]],
    },
    {
      cpython: `${cls}.test_read1_unbounded`,
      reply,
      ops: [["read1Loop"]],
      want: [null, [EXTENDED_BODY, true, true]],
    },
    {
      cpython: `${cls}.test_read1_bounded`,
      reply,
      ops: [["read1Loop", 10]],
      want: [null, [EXTENDED_BODY, true, true]],
    },
  ]),
  {
    cpython: "HeaderTests.test_malformed_headers_coped_with",
    reply: "HTTP/1.1 200 OK\r\nFirst: val\r\n: nval\r\nSecond: val\r\n\r\n",
    ops: [["getheader", "First"], ["getheader", "Second"]],
    want: [{
      error: "HTTPException",
      message: "invalid header line ': nval'",
    }],
    cpythonGives: {
      want: [null, "val", "val"],
      why:
        "README: a header line with an empty name refuses the response; http.client skips it",
    },
  },
  {
    cpython: "HeaderTests.test_parse_all_octets",
    reply: "HTTP/1.1 200 OK\r\n" +
      "!#$%&'*+-.^_`|~: value\r\n" +
      `VCHAR: ${VCHAR}\r\n` +
      `obs-text: ${OBS_TEXT}\r\n` +
      "obs-fold: text\r\n" +
      " folded with space\r\n" +
      "\tfolded with tab\r\n" +
      "Content-Length: 0\r\n\r\n",
    ops: [
      ["getheader", "!#$%&'*+-.^_`|~"],
      ["getheader", "VCHAR"],
      ["getheader", "obs-text"],
      ["getheader", "obs-fold"],
      ["getheader", "Content-Length"],
    ],
    want: [
      null,
      "value",
      VCHAR,
      OBS_TEXT,
      "text folded with space folded with tab",
      "0",
    ],
    cpythonGives: {
      want: [
        null,
        "value",
        VCHAR,
        OBS_TEXT,
        "text\r\n folded with space\r\n\tfolded with tab",
        "0",
      ],
      why:
        "README: a folded line is joined with one space; http.client keeps the CR LF and the indentation",
    },
  },
  {
    cpython: "HTTPResponseTest (getheader)",
    reply:
      `${OK}My-Header: first-value\r\nMy-Header:                 second-value\r\n\r\nText`,
    ops: [
      ["getheader", "My-Header"],
      ["getheader", "My-Header", "some default"],
      ["getheader", "No-Such-Header", "default-value"],
      ["getheader", "No-Such-Header", ["default", "values"]],
      ["getheader", "No-Such-Header"],
      ["getheader", "No-Such-Header", 42],
      ["getheaders"],
    ],
    want: [
      null,
      "first-value, second-value",
      "first-value, second-value",
      "default-value",
      "default, values",
      null,
      42,
      [["My-Header", "first-value"], ["My-Header", "second-value"]],
    ],
  },
  {
    cpython: "PersistenceTest.test_disconnected",
    reply: "",
    ops: [],
    want: [{
      "error": "RemoteDisconnected",
      "message": "Remote end closed connection without response",
    }],
  },
  {
    cpython: "PersistenceTest.test_100_close",
    reply: "HTTP/1.1 100 Continue\r\n\r\n",
    ops: [],
    want: [{
      "error": "RemoteDisconnected",
      "message": "Remote end closed connection without response",
    }],
  },
  {
    cpython:
      "1xx skipping: 100 Continue replies, headers and all, then the response",
    reply: "HTTP/1.1 100 Continue\r\nX-Early: 1\r\n\r\n" +
      "HTTP/1.1 100 Continue\r\n\r\n" +
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    ops: [["status"], ["items"], ["read"]],
    want: [null, 200, [["Content-Length", "2"]], "ok"],
  },
  {
    cpython: "1xx skipping: only 100 is skipped; a 102 is the response",
    reply: "HTTP/1.1 102 Processing\r\n\r\n" +
      "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok",
    ops: [["status"], ["read"]],
    want: [
      { "error": "HTTPError", "message": "HTTP Error 102: Processing" },
      102,
      "",
    ],
  },
  {
    cpython: "BasicTest.test_overflowing_header_limit_after_100 (header lines)",
    reply: `HTTP/1.1 100 OK\r\n${"X-R: r\r\n".repeat(32768)}`,
    ops: [],
    want: [{
      "error": "HTTPException",
      "message": "got more than 100 headers",
    }],
  },
];
