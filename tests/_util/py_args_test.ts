import {
  deepEqual as assertEquals,
  throws as assertThrows,
} from "node:assert/strict";
import { isPlainObject, pyArgs } from "../../_util/py_args.ts";

const spec = {
  fn: "quote",
  names: ["safe", "encoding", "errors"] as const,
  defaults: {
    safe: "/",
    encoding: null as string | null,
    errors: null as string | null,
  },
};

Deno.test("pyArgs: defaults when nothing is given", () => {
  assertEquals(pyArgs(spec, []), { safe: "/", encoding: null, errors: null });
});

Deno.test("pyArgs: positional, keyword and mixed", () => {
  assertEquals(pyArgs(spec, ["", "latin-1"]).encoding, "latin-1");
  assertEquals(pyArgs(spec, [{ errors: "replace" }]).errors, "replace");
  const mixed = pyArgs(spec, ["", { errors: "ignore" }]);
  assertEquals([mixed.safe, mixed.errors], ["", "ignore"]);
});

Deno.test("pyArgs: undefined means not given", () => {
  assertEquals(pyArgs(spec, [undefined, { safe: undefined }]).safe, "/");
});

Deno.test("pyArgs: bad calls raise Python's TypeErrors", () => {
  assertThrows(
    () => pyArgs(spec, [{ saf: "" }]),
    /unexpected keyword argument 'saf'/,
  );
  assertThrows(
    () => pyArgs(spec, ["", { safe: "x" }]),
    /multiple values for argument 'safe'/,
  );
  assertThrows(() => pyArgs(spec, ["a", "b", "c", "d"]), /at most 3/);
});

Deno.test("pyArgs: an object-valued parameter is taken positionally", () => {
  const req = {
    fn: "Request",
    names: ["data", "headers"] as const,
    defaults: { data: null as unknown, headers: {} as Record<string, string> },
    objectParams: ["headers"] as const,
  };
  assertEquals(pyArgs(req, [null, { "User-Agent": "x" }]).headers, {
    "User-Agent": "x",
  });
  assertEquals(pyArgs(req, [{ headers: { A: "b" } }]).headers, { A: "b" });
  assertEquals(pyArgs(req, [null, {}]).headers, {});
  // After the positional data, an object of keywords only is the keywords
  // (Python's `Request(url, data, headers={...})`).
  assertEquals(pyArgs(req, ["d", { headers: { A: "b" } }]), {
    data: "d",
    headers: { A: "b" },
  });
});

Deno.test("isPlainObject", () => {
  assertEquals(isPlainObject({}), true);
  assertEquals(isPlainObject(Object.create(null)), true);
  assertEquals(isPlainObject(new Uint8Array()), false);
  assertEquals(isPlainObject(new Map()), false);
  assertEquals(isPlainObject(null), false);
  assertEquals(isPlainObject([]), false);
});

Deno.test("pyArgs: keyword-only parameters are taken by keyword only", () => {
  const open = {
    fn: "open",
    names: ["data", "timeout"] as const,
    keywordOnly: ["signal"] as const,
    defaults: {
      data: null as string | null,
      timeout: null as number | null,
      signal: null as string | null,
    },
  };
  assertEquals(pyArgs(open, ["d", 5, { signal: "s" }]), {
    data: "d",
    timeout: 5,
    signal: "s",
  });
  assertEquals(pyArgs(open, [{ signal: "s" }]).signal, "s");
  assertThrows(() => pyArgs(open, ["d", 5, "s"]), /at most 2/);
  assertThrows(
    () => pyArgs(open, [{ signals: "s" }]),
    /unexpected keyword argument 'signals'/,
  );
});
