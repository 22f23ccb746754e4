/**
 * The public surface: each entry point exports Python's `__all__` for its
 * module (CPython 3.13, recorded in fixtures/cpython_3_13_names.json), plus
 * the additions listed below with where they come from, minus the
 * omissions listed with why — nothing else. An accidental export, or a
 * Python name gone missing, fails here.
 *
 * One row per module; a new entry point in deno.json needs its row.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { haveReferencePython, pythonOutput } from "./_python.ts";

/** One entry point and the Python module it ports. */
interface Row {
  /** The Python module, e.g. `urllib.parse`. */
  python: string;
  /** Our entry point, relative to the repository root. */
  entry: string;
  /** Names of Python's `__all__` we leave out, each with why. */
  omitted?: Record<string, string>;
  /**
   * Values exported beyond `__all__`: name → the Python module that has it
   * as a public attribute (checked against the fixture), or why we add it
   * when Python has no such attribute ("ours: ...").
   */
  added?: Record<string, string>;
  /** Type-only exports: interfaces and aliases public signatures name. */
  types?: readonly string[];
}

const OURS = "ours: ";

const ROWS: readonly Row[] = [
  {
    python: "urllib.parse",
    entry: "urllib/parse/mod.ts",
    added: {
      non_hierarchical: "urllib.parse",
      scheme_chars: "urllib.parse",
      unwrap: "urllib.parse",
      uses_fragment: "urllib.parse",
      uses_netloc: "urllib.parse",
      uses_params: "urllib.parse",
      uses_query: "urllib.parse",
      uses_relative: "urllib.parse",
      BytesKeyMap:
        `${OURS}what parse_qs returns for bytes input (Uint8Array keys match by content)`,
      _NetlocResultMixinBase:
        `${OURS}CPython's private base of the same name; exported because the public result classes extend it`,
      _SplitResultBase:
        `${OURS}the fields of SplitResult/SplitResultBytes (CPython: _SplitResultBase); exported because they extend it`,
      _ParseResultBase:
        `${OURS}the fields of ParseResult/ParseResultBytes (CPython: _ParseResultBase); exported because they extend it`,
      _DefragResultBase:
        `${OURS}the fields of DefragResult/DefragResultBytes (CPython: _DefragResultBase); exported because they extend it`,
      _ResultBase:
        `${OURS}the tuple behaviour every result class shares; exported because the public classes extend it`,
    },
    types: [
      "CodecOptions",
      "DefragResultFields",
      "JoinOptions",
      "MixedArgs",
      "ParseQsArgs",
      "ParseQsOptions",
      "ParseResultFields",
      "QuoteArgs",
      "QuoteFromBytesOptions",
      "QuoteOptions",
      "QuoteVia",
      "SplitArgs",
      "SplitOptions",
      "SplitResultFields",
      "Transcode",
      "UnquoteArgs",
      "UnquoteOptions",
      "UrlencodeOptions",
      "UrlencodeQuery",
    ],
  },
  {
    python: "urllib.request",
    entry: "urllib/request/mod.ts",
    omitted: {
      CacheFTPHandler: "FTP is out of scope",
      FTPHandler: "FTP is out of scope",
      FancyURLopener: "the legacy interface, deprecated since Python 3.3",
      URLopener: "the legacy interface, deprecated since Python 3.3",
    },
    added: {
      AbstractHTTPHandler: "urllib.request",
      __version__: "urllib.request",
      parse_http_list: "urllib.request",
      parse_keqv_list: "urllib.request",
      proxy_bypass: "urllib.request",
      request_host: "urllib.request",
      addinfourl: "urllib.response",
      HTTPMessage: "http.client",
      HTTPResponse: "http.client",
      Cookie: "http.cookiejar",
      CookieJar: "http.cookiejar",
      FileCookieJar: "http.cookiejar",
      LoadError: "http.cookiejar",
      MozillaCookieJar: "http.cookiejar",
      SSLContext: "ssl",
      SSLError: "ssl",
      SSLCertVerificationError: "ssl",
      create_default_context: "ssl",
    },
    types: [
      "AsStringOptions",
      "AuthResponse",
      "BodySource",
      "Chain",
      "CookieClearOptions",
      "BytesLike",
      "CookieFileArgs",
      "CookieFileOptions",
      "CookieInit",
      "CookieRequest",
      "CookieResponse",
      "DigestHash",
      "FailobjOption",
      "FileBody",
      "FileCookieJarOptions",
      "HTTPSHandlerOptions",
      "HandlerSpec",
      "HttpURL",
      "InstallableOpener",
      "MixedArgs",
      "OpenOptions",
      "Openable",
      "ParamOptions",
      "ParamValue",
      "ReducedURI",
      "ReportHook",
      "RequestData",
      "RequestHeaders",
      "RequestOptions",
      "ResponseFor",
      "Rfc2231Value",
      "UrlopenOptions",
      "UrlretrieveOptions",
      "UserPassword",
      "VerifyLocations",
    ],
  },
  {
    python: "urllib.error",
    entry: "urllib/error.ts",
    added: {
      BadStatusLine: "http.client",
      HTTPException: "http.client",
      IncompleteRead: "http.client",
      LineTooLong: "http.client",
      UnknownProtocol: "http.client",
      InvalidURL: "http.client",
      RemoteDisconnected: "http.client",
      TimeoutError: "builtins",
    },
    types: ["ErrorBody", "HTTPMessage"],
  },
  {
    python: "urllib.robotparser",
    entry: "urllib/robotparser/mod.ts",
    added: {
      Entry: "urllib.robotparser",
      RequestRate: "urllib.robotparser",
      RuleLine: "urllib.robotparser",
    },
  },
  {
    python: "socketserver",
    entry: "socketserver/mod.ts",
    omitted: {
      ForkingMixIn:
        "Deno cannot fork (Python defines it only where os.fork exists)",
      ForkingTCPServer: "Deno cannot fork",
      ForkingUDPServer: "Deno cannot fork",
      ForkingUnixDatagramServer: "Deno cannot fork",
      ForkingUnixStreamServer: "Deno cannot fork",
    },
    added: {
      SocketReader:
        `${OURS}the class of a stream handler's rfile (Python: socket.makefile's BufferedReader)`,
      SocketWriter:
        `${OURS}the class of a stream handler's wfile (Python: socketserver._SocketWriter)`,
      PacketWriter:
        `${OURS}the class of a datagram handler's wfile (Python: an io.BytesIO)`,
      StreamSocket:
        `${OURS}the class of a stream handler's request (Python: a socket.socket)`,
    },
    types: [
      "AcceptedConnection",
      "BytesLike",
      "Address",
      "DatagramRequest",
      "DatagramSocket",
      "RequestHandlerClass",
      "ServeForeverOptions",
      "ServerClass",
      "StreamConnection",
      "StreamHandlerClass",
      "TCPServerOptions",
      "ThreadingServer",
      "ThreadingServerClass",
    ],
  },
  {
    python: "http.server",
    entry: "http_server/mod.ts",
    omitted: {
      CGIHTTPRequestHandler: "deprecated in Python 3.13, removed in 3.15",
    },
    added: {
      DEFAULT_ERROR_CONTENT_TYPE: "http.server",
      DEFAULT_ERROR_MESSAGE: "http.server",
      HTTPMessage: "http.client",
      HTTPSServer: `${OURS}Python 3.14's http.server.HTTPSServer`,
      ThreadingHTTPSServer:
        `${OURS}Python 3.14's http.server.ThreadingHTTPSServer`,
      createFetchHandler:
        `${OURS}a handler class as a fetch handler, for Deno.serve and hosts without sockets`,
      responses:
        `${OURS}BaseHTTPRequestHandler.responses, as a module constant too`,
      HostingHTTPRequestHandler:
        `${OURS}serve's hosting flags (CORS, SPA, auth, upload, …) for library users`,
      DEFAULT_MAX_UPLOAD:
        `${OURS}HostingHTTPRequestHandler's default upload cap`,
      LiveReload: `${OURS}the file watcher behind serve --watch`,
      FileCache:
        `${OURS}never-stale in-memory cache of small files and listings for SimpleHTTPRequestHandler`,
      serve_workers:
        `${OURS}one server on N processes sharing the port (serve --workers)`,
    },
    types: [
      "AsStringOptions",
      "BasicAuthUser",
      "BytesLike",
      "CacheInfo",
      "ChangeListener",
      "ClientAddress",
      "CopySource",
      "FetchHandler",
      "FailobjOption",
      "FetchHandlerOptions",
      "FileCacheOptions",
      "FileSource",
      "HostingHTTPRequestHandlerOptions",
      "HTTPServerOptions",
      "ListingStyle",
      "MixedArgs",
      "ParamOptions",
      "ParamValue",
      "RequestHandlerClass",
      "RequestReader",
      "ResponseWriter",
      "Rfc2231Value",
      "ServerAddress",
      "ServeWorkersOptions",
      "SimpleHTTPRequestHandlerOptions",
      "TLSOptions",
      "WorkerGroup",
    ],
  },
];

/** Entry points that port no Python module's `__all__`. */
const NOT_MODULES = new Set([".", "./serve"]);

interface PythonNames {
  python: string;
  modules: Record<string, { all: string[] | null; public: string[] }>;
}

const ROOT = new URL("../", import.meta.url);
const FIXTURE = new URL("./fixtures/cpython_3_13_names.json", import.meta.url);
const GENERATOR = new URL("./fixtures/python_names.py", import.meta.url);
const names: PythonNames = JSON.parse(await Deno.readTextFile(FIXTURE));

const sorted = (list: Iterable<string>) => [...new Set(list)].sort();

/** Fails, naming the names, unless `actual` and `expected` hold the same. */
function sameNames(
  actual: readonly string[],
  expected: readonly string[],
  what: string,
): void {
  const extra = actual.filter((n) => !expected.includes(n));
  const missing = expected.filter((n) => !actual.includes(n));
  deepEqual(
    { extra, missing },
    { extra: [], missing: [] },
    `${what}: exported but not listed: ${extra.join(", ") || "none"}; ` +
      `listed but not exported: ${missing.join(", ") || "none"}. ` +
      "List a deliberate addition or omission in tests/exports_test.ts",
  );
}

/** What a row says the entry point exports at run time. */
function expectedValues(row: Row): string[] {
  const all = names.modules[row.python]?.all;
  ok(all, `no __all__ recorded for ${row.python}: regenerate the fixture`);
  const omitted = new Set(Object.keys(row.omitted ?? {}));
  return sorted([
    ...all.filter((name) => !omitted.has(name)),
    ...Object.keys(row.added ?? {}),
  ]);
}

async function runtimeNames(entry: string): Promise<string[]> {
  return sorted(Object.keys(await import(new URL(entry, ROOT).href)));
}

/** Every exported name, types included, as `deno doc` sees each entry. */
async function documentedNames(
  entries: string[],
): Promise<Map<string, string[]>> {
  const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", ...entries],
    cwd: fileURLToPath(ROOT),
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(60_000),
  }).output();
  equal(success, true, new TextDecoder().decode(stderr));
  const doc = JSON.parse(new TextDecoder().decode(stdout)) as {
    nodes: Record<string, { symbols: { name: string }[] }>;
  };
  const result = new Map<string, string[]>();
  for (const [url, node] of Object.entries(doc.nodes)) {
    const entry = fileURLToPath(url).slice(fileURLToPath(ROOT).length);
    result.set(entry, sorted(node.symbols.map((s) => s.name)));
  }
  return result;
}

for (const row of ROWS) {
  Deno.test(`exports: ${row.entry} is ${row.python}'s __all__ plus the listed additions`, async () => {
    sameNames(await runtimeNames(row.entry), expectedValues(row), row.entry);
  });
}

Deno.test("exports: each addition from a Python module is public there, each omission is in __all__", () => {
  const wrong: string[] = [];
  for (const row of ROWS) {
    for (const [name, origin] of Object.entries(row.added ?? {})) {
      if (origin.startsWith(OURS)) continue;
      const module = names.modules[origin];
      if (!module) wrong.push(`${name}: ${origin} is not recorded`);
      else if (!module.public.includes(name)) {
        wrong.push(`${name}: ${origin} has no public ${name}`);
      }
      if (names.modules[row.python]?.all?.includes(name)) {
        wrong.push(`${name}: already in ${row.python}.__all__`);
      }
    }
    for (const name of Object.keys(row.omitted ?? {})) {
      if (!names.modules[row.python]?.all?.includes(name)) {
        wrong.push(`${name}: not in ${row.python}.__all__`);
      }
    }
  }
  deepEqual(wrong, []);
});

Deno.test("exports: the type-only exports are the listed public types", async () => {
  const documented = await documentedNames(ROWS.map((r) => r.entry));
  for (const row of ROWS) {
    const values = await runtimeNames(row.entry);
    const types = (documented.get(row.entry) ?? [])
      .filter((n) => !values.includes(n));
    sameNames(types, row.types ?? [], `${row.entry} (types)`);
  }
});

Deno.test("exports: the root mod.ts is the union of the modules, values and types", async () => {
  const documented = await documentedNames(["mod.ts"]);
  const values = await runtimeNames("mod.ts");
  const union = sorted(
    (await Promise.all(ROWS.map((r) => runtimeNames(r.entry)))).flat(),
  );
  sameNames(values, union, "mod.ts");
  sameNames(
    documented.get("mod.ts") ?? [],
    [...union, ...ROWS.flatMap((r) => r.types ?? [])],
    "mod.ts (types)",
  );
});

Deno.test("exports: every module entry point in deno.json has a row here", async () => {
  const config = JSON.parse(
    await Deno.readTextFile(new URL("deno.json", ROOT)),
  ) as { exports: Record<string, string> };
  const modules = Object.entries(config.exports)
    .filter(([key]) => !NOT_MODULES.has(key) && !key.startsWith("./examples/"))
    .map(([, target]) => target.replace(/^\.\//, ""));
  deepEqual(sorted(modules), sorted(ROWS.map((r) => r.entry)));
});

Deno.test({
  name:
    "exports: fixtures/cpython_3_13_names.json is what python_names.py writes",
  ignore: !haveReferencePython(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pyport_names_" });
    try {
      const out = `${dir}/names.json`;
      await pythonOutput([fileURLToPath(GENERATOR), "--out", out]);
      equal(
        await Deno.readTextFile(out),
        await Deno.readTextFile(FIXTURE),
        "rerun `PYENV_VERSION=3.13.0 python3 tests/fixtures/python_names.py`",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
