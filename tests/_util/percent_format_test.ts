import { deepEqual, equal, throws } from "node:assert/strict";
import { percentFormat } from "../../_util/percent_format.ts";
import { pyRepr } from "../../_util/py_repr.ts";

// Expected values printed by CPython 3.13 (`format % args`).
const CASES: [string, unknown[], string][] = [
  ["%s", ["a"], "a"],
  ["%d", [42], "42"],
  ["%i", [-7], "-7"],
  ["%r", ["it's"], `"it's"`],
  ["%r", ["a\nb\u0000"], "'a\\nb\\x00'"],
  [
    "%r",
    ["a\u00a0\u00ad\u2028\u{10ffff}\u00e9"],
    "'a\\xa0\\xad\\u2028\\U0010ffff\u00e9'",
  ],
  ["%x|%X|%#x|%o", [255, 255, 255, 8], "ff|FF|0xff|10"],
  ["%5s|%-5s|", ["ab", "cd"], "   ab|cd   |"],
  ["%05d|%+d|% d", [42, 5, 5], "00042|+5| 5"],
  ["%.2f|%8.3f|%-8.1f|", [3.14159, 2.5, 1.25], "3.14|   2.500|1.2     |"],
  ["%e|%E", [12345.678, 0.000123], "1.234568e+04|1.230000E-04"],
  ["%g|%g|%g|%g", [1e20, 0.0001, 123.456, 1e-5], "1e+20|0.0001|123.456|1e-05"],
  ["%%|%c", [65], "%|A"],
  ["%.3s", ["abcdef"], "abc"],
  ["%*d|%-*d|", [5, 1, 4, 2], "    1|2   |"],
  ["%s %s", [null, true], "None True"],
  ["%d", [3.99], "3"],
  ["%r", [null], "None"],
  ["%a", ["café"], "'caf\\xe9'"],
  ["%10.4f", [-3.14159], "   -3.1416"],
  ["%s", [[1, "a"]], "[1, 'a']"],
  [
    "%.1f %.1f %.0f %.0f %.2f %.1e %.0e %.2f %.0f %.3g %g",
    [1.25, 1.35, 0.5, 1.5, 2.675, 1.25, 2.5, 1.005, 2.5, 2.0625, 0.5],
    "1.2 1.4 0 2 2.67 1.2e+00 2e+00 1.00 2 2.06 0.5",
  ],
  ['"%s" %s %s', ["GET / HTTP/1.1", "200", "-"], '"GET / HTTP/1.1" 200 -'],
  [
    "code %d, message %s",
    [404, "File not found"],
    "code 404, message File not found",
  ],
  ["no conversions", [], "no conversions"],
];

Deno.test("percentFormat: agrees with CPython on positional conversions", () => {
  for (const [format, args, expected] of CASES) {
    equal(
      percentFormat(format, args),
      expected,
      `${format} % ${JSON.stringify(args)}`,
    );
  }
});

Deno.test("percentFormat: mapping keys, as error_message_format uses them", () => {
  equal(
    percentFormat("Error code: %(code)d, %(message)s; %(code)s", {
      code: 404,
      message: "Not Found",
    }),
    "Error code: 404, Not Found; 404",
  );
  // Python's KeyError is a RangeError here.
  throws(() => percentFormat("%(missing)s", { code: 1 }), {
    name: "RangeError",
    message: "format key not found: 'missing'",
  });
});

Deno.test("percentFormat: keys nest parentheses and need a closing one, as in CPython", () => {
  equal(percentFormat("%(a(b))s", { "a(b)": 1 }), "1");
  throws(() => percentFormat("%(a", { a: 1 }), {
    name: "TypeError",
    message: "incomplete format key",
  });
  throws(() => percentFormat("%(a%(b)s", { a: 1 }), {
    name: "TypeError",
    message: "incomplete format key",
  });
  // CPython wants a mapping before it reads the key.
  throws(() => percentFormat("%(", [1]), {
    name: "TypeError",
    message: "format requires a mapping",
  });
});

Deno.test("percentFormat: a mapping is also the one argument of a conversion without a key, as in CPython", () => {
  // CPython 3.13: "%s" % {'a': 1} and friends.
  equal(percentFormat("%s", { a: 1 }), "{'a': 1}");
  equal(percentFormat("%r", { a: "x" }), "{'a': 'x'}");
  equal(percentFormat("%s %(a)s", { a: 1 }), "{'a': 1} 1");
  throws(() => percentFormat("%s %s", { a: 1 }), {
    message: "not enough arguments for format string",
  });
  throws(() => percentFormat("%(a)s %s", { a: 1 }), {
    message: "not enough arguments for format string",
  });
  throws(() => percentFormat("%d", { a: 1 }), {
    message: "%d format: a real number is required, not dict",
  });
  throws(() => percentFormat("%*s", { a: 1 }), { message: "* wants int" });
  throws(() => percentFormat("%*s", [1.5, "a"]), { message: "* wants int" });
  // The index is where the conversion character should be.
  throws(() => percentFormat("%(code)z", { code: 1 }), {
    message: "unsupported format character 'z' (0x7a) at index 7",
  });
  throws(() => percentFormat("%(code)", { code: 1 }), {
    message: "incomplete format",
  });
  throws(() => percentFormat("%(a)5", { a: 1 }), {
    message: "incomplete format",
  });
  // A key's value is the one argument of its conversion, `*` included.
  throws(() => percentFormat("%(code)*d", { code: 404 }), {
    message: "not enough arguments for format string",
  });
  // "%" as a conversion other than "%%" takes an argument, then is refused.
  throws(() => percentFormat("%5%", []), {
    message: "not enough arguments for format string",
  });
  throws(() => percentFormat("%(code)%", { code: 1 }), {
    message: "unsupported format character '%' (0x25) at index 7",
  });
  throws(() => percentFormat("%c", [1.5]), {
    name: "TypeError",
    message: "%c requires int or char",
  });
  throws(() => percentFormat("%c", [0x110000]), {
    name: "RangeError",
    message: "%c arg not in range(0x110000)",
  });
});

Deno.test("percentFormat: argument count and type errors are TypeErrors", () => {
  throws(() => percentFormat("%s %s", ["a"]), /not enough arguments/);
  throws(() => percentFormat("%s", ["a", "b"]), /not all arguments converted/);
  throws(
    () => percentFormat("%d", ["x"]),
    /%d format: a real number is required, not str/,
  );
  throws(() => percentFormat("%y", [1]), /unsupported format character 'y'/);
  throws(() => percentFormat("abc %", []), /incomplete format/);
});

Deno.test("pyRepr: Python's repr for common values", () => {
  deepEqual(
    [
      pyRepr("a'b"),
      pyRepr('a"b'),
      pyRepr(1.5),
      pyRepr(false),
      pyRepr(new Uint8Array([0, 65, 10])),
    ],
    [`"a'b"`, `'a"b'`, "1.5", "False", "b'\\x00A\\n'"],
  );
});

Deno.test("percentFormat: %s, %r and %a print as Python's str, repr and ascii", () => {
  equal(
    percentFormat("%s|%r|%a", [1e16, 1e-5, "caf\u00e9\u00a0"]),
    "1e+16|1e-05|'caf\\xe9\\xa0'",
  );
  equal(percentFormat("%r", ["\u2028"]), "'\\u2028'");
  equal(percentFormat("%s", [new TypeError("bad")]), "bad");
  // The precision counts code points.
  equal(percentFormat("%.1s|", ["\u{1f600}x"]), "\u{1f600}|");
  throws(() => percentFormat("%d", [NaN]), {
    name: "RangeError",
    message: "cannot convert float NaN to integer",
  });
  throws(() => percentFormat("%d", [-Infinity]), {
    name: "RangeError",
    message: "cannot convert float infinity to integer",
  });
});

// Expected values printed by CPython 3.13 (`format % args`).
const FLOAT_CASES: [string, unknown[], string][] = [
  // No exponent form for large values: Python prints every digit.
  ["%f", [1e21], "1000000000000000000000.000000"],
  ["%.2f", [-1.5e22], "-15000000000000000000000.00"],
  ["%.25g", [1e21], "1000000000000000000000"],
  // A bigint converts to float first, as Python's float(int).
  ["%f", [10n ** 22n], "10000000000000000000000.000000"],
  // Any precision, the exact binary value rounded half-to-even.
  ["%.101f", [1.5], "1.5" + "0".repeat(100)],
  ["%.120g", [1.5], "1.5"],
  [
    "%.150f",
    [0.1],
    "0.1000000000000000055511151231257827021181583404541015625" +
    "0".repeat(95),
  ],
  // A tie: the exact value ends in ...0703125, rounded to the even 2.
  [
    "%.76f",
    [6.617444900424222e-24],
    "0.0000000000000000000000066174449004242213989712695365597028285264968872070312",
  ],
  [
    "%.101e",
    [0.1],
    "1.000000000000000055511151231257827021181583404541015625" +
    "0".repeat(47) + "e-01",
  ],
];

Deno.test("percentFormat: %f, %e and %g print the exact value at any size and precision", () => {
  for (const [format, args, expected] of FLOAT_CASES) {
    equal(percentFormat(format, args), expected, format);
  }
  throws(() => percentFormat("%f", [10n ** 400n]), {
    name: "RangeError",
    message: "int too large to convert to float",
  });
});

Deno.test("percentFormat: the width counts code points", () => {
  equal(percentFormat("[%5s]", ["\u{1f600}"]), "[    \u{1f600}]");
  equal(percentFormat("[%-6r]", ["\u{1f600}"]), "['\u{1f600}'   ]");
  equal(percentFormat("[%3c]", [0x1f600]), "[  \u{1f600}]");
});

Deno.test("percentFormat: # keeps the point of a float and puts 0x before the 0 flag's zeros", () => {
  equal(
    percentFormat("%#.0f|%#.0e|%#.0g|%#g", [2.5, 1.5, 1.5, 100000]),
    "2.|2.e+00|2.|100000.",
  );
  equal(
    percentFormat("%#08x|%#010x|%#08o|%+#08X", [255, -255, 8, 255]),
    "0x0000ff|-0x00000ff|0o000010|+0X000FF",
  );
});

Deno.test("percentFormat: a negative * precision counts as 0", () => {
  equal(percentFormat("%.*s|%.*f", [-1, "abc", -1, 1.5]), "|2");
});

Deno.test("percentFormat: the 0 flag pads nan and inf with zeros", () => {
  equal(
    percentFormat("%05f|%+06.1f|%06F|% 06E", [Infinity, NaN, -Infinity, NaN]),
    "00inf|+00nan|-00INF| 00NAN",
  );
});

Deno.test("percentFormat: %x and %o refuse a float, as CPython", () => {
  const floats: [string, number][] = [
    ["%x", 3.5],
    ["%X", NaN],
    ["%o", Infinity],
  ];
  for (const [format, value] of floats) {
    throws(() => percentFormat(format, [value]), {
      name: "TypeError",
      message: `${format} format: an integer is required, not float`,
    });
  }
  // Beyond the safe integers a number is a float.
  throws(() => percentFormat("%x", [1e16]), {
    name: "TypeError",
    message: "%x format: an integer is required, not float",
  });
});

Deno.test("percentFormat: %c takes a bool or bigint as an int and refuses a float", () => {
  equal(percentFormat("%c|%c", [true, 0x1f600n]), "\x01|\u{1f600}");
  throws(() => percentFormat("%c", [2n ** 70n]), {
    name: "RangeError",
    message: "%c arg not in range(0x110000)",
  });
  throws(() => percentFormat("%c", [1e20]), {
    name: "TypeError",
    message: "%c requires int or char",
  });
});

Deno.test("percentFormat: an unsupported conversion takes its argument first, and its index counts code points", () => {
  throws(() => percentFormat("%y", []), {
    message: "not enough arguments for format string",
  });
  throws(() => percentFormat("%\u00e9", [1]), {
    name: "TypeError",
    message: "unsupported format character '?' (0xe9) at index 1",
  });
  throws(() => percentFormat("\u{1f600}%y", [1]), {
    message: "unsupported format character 'y' (0x79) at index 2",
  });
  throws(() => percentFormat("%\u{1f600}", [1]), {
    message: "unsupported format character '?' (0x1f600) at index 1",
  });
});

Deno.test("percentFormat: * takes an int within CPython's C types", () => {
  throws(() => percentFormat("%*d", [1e16, 5]), {
    name: "TypeError",
    message: "* wants int",
  });
  throws(() => percentFormat("%*d", [10n ** 20n, 1]), {
    name: "RangeError",
    message: "Python int too large to convert to C ssize_t",
  });
  throws(() => percentFormat("%.*d", [2 ** 31, 1]), {
    name: "RangeError",
    message: "Python int too large to convert to C int",
  });
  throws(() => percentFormat("%99999999999999999999d", [1]), {
    name: "RangeError",
    message: "width too big",
  });
  // CPython raises MemoryError; no JavaScript string is that long.
  throws(() => percentFormat("%*d", [2n ** 62n, 1]), {
    name: "RangeError",
    message: "formatted string too long",
  });
});
