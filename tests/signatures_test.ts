/**
 * The call shapes of the public API against CPython 3.13's, recorded in
 * fixtures/cpython_3_13_signatures.json by fixtures/python_signatures.py.
 *
 * For every exported function, constructor and method whose Python
 * signature has optional parameters, each one is given positionally (at
 * its place in Python's order) and by keyword in the trailing options
 * object at once, which must be refused as Python refuses
 * `quote("a", "/", safe="")`: that proves the keyword is known and sits at
 * that position. Keyword-only parameters must be accepted by keyword; one
 * positional argument too many and an unknown keyword must be refused. No
 * call here gets as far as doing anything.
 *
 * Also checked: each class's public data attributes (names, and values
 * where JSON holds them), each named tuple's `_fields`, iteration and
 * tuple helpers, every other public method by name, and the instance
 * attributes of the classes re-exported from http.client, http.cookiejar,
 * urllib.response, ssl and the built-ins (those checked with the methods
 * they inherit from email.message.Message, io and _ssl), and of the
 * ported classes whose instances hold state (the generator's SAMPLES).
 * What we leave out on purpose is in NOT_ATTRIBUTES, NOT_METHODS and
 * OTHER_SHAPES, each with why.
 *
 * A new export whose Python counterpart has optional parameters needs its
 * sample required arguments in REQUIRED (and, for a method, a way to make
 * an instance in INSTANCES); the test says which is missing.
 */
import { deepEqual, equal } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { haveReferencePython, pythonOutput } from "./_python.ts";
import { within } from "./_server.ts";
import * as parse from "../urllib/parse/mod.ts";
import * as request from "../urllib/request/mod.ts";
import * as error from "../urllib/error.ts";
import * as robotparser from "../urllib/robotparser/mod.ts";
import * as socketserver from "../socketserver/mod.ts";
import * as server from "../http_server/mod.ts";

type Param = [name: string, kind: string, defaultValue?: unknown];

interface Signatures {
  python: string;
  callables: Record<string, Param[]>;
  classes: Record<string, {
    methods: Record<string, string>;
    attributes: Record<string, unknown>;
    other_methods: Record<string, string>;
    fields?: string[];
    instance_attributes?: string[];
  }>;
}

const FIXTURE = new URL(
  "./fixtures/cpython_3_13_signatures.json",
  import.meta.url,
);
const GENERATOR = new URL("./fixtures/python_signatures.py", import.meta.url);
const signatures: Signatures = JSON.parse(await Deno.readTextFile(FIXTURE));

/** Each ported Python module as our entry point exports it. */
const MODULES: Record<string, Record<string, unknown>> = {
  "urllib.parse": parse,
  "urllib.request": request,
  "urllib.error": error,
  "urllib.robotparser": robotparser,
  "socketserver": socketserver,
  "http.server": server,
  // The classes we re-export from modules we do not port whole (README:
  // Importing), under the Python module that defines them.
  "http.client": {
    BadStatusLine: error.BadStatusLine,
    HTTPException: error.HTTPException,
    HTTPMessage: request.HTTPMessage,
    HTTPResponse: request.HTTPResponse,
    IncompleteRead: error.IncompleteRead,
    InvalidURL: error.InvalidURL,
    LineTooLong: error.LineTooLong,
    RemoteDisconnected: error.RemoteDisconnected,
    UnknownProtocol: error.UnknownProtocol,
  },
  "http.cookiejar": {
    Cookie: request.Cookie,
    CookieJar: request.CookieJar,
    FileCookieJar: request.FileCookieJar,
    LoadError: request.LoadError,
    MozillaCookieJar: request.MozillaCookieJar,
  },
  "urllib.response": { addinfourl: request.addinfourl },
  ssl: {
    SSLCertVerificationError: request.SSLCertVerificationError,
    SSLContext: request.SSLContext,
    SSLError: request.SSLError,
    create_default_context: request.create_default_context,
  },
  builtins: { TimeoutError: error.TimeoutError },
};

// deno-lint-ignore no-explicit-any
type AnyFn = (...args: any[]) => any;
// deno-lint-ignore no-explicit-any
type AnyClass = new (...args: any[]) => any;

const ADDRESS = ["127.0.0.1", 0];
const SOCKET_PATH = "/nonexistent/pyport_signatures.sock";
const handler = (cls: AnyClass) => () => new cls(null, ["127.0.0.1", 1], null);
const unbound = (cls: AnyClass, address: unknown) => () =>
  new cls(address, socketserver.BaseRequestHandler, false);

/**
 * Sample values for the required parameters of each callable (by fixture
 * key), in Python's order: what the probes below put before the optional
 * ones.
 */
const REQUIRED: Record<string, unknown[]> = {
  "urllib.parse.parse_qs": ["a=1"],
  "urllib.parse.parse_qsl": ["a=1"],
  "urllib.parse.quote": ["a b"],
  "urllib.parse.quote_from_bytes": [new Uint8Array([0x61])],
  "urllib.parse.quote_plus": ["a b"],
  "urllib.parse.unquote": ["a%20b"],
  "urllib.parse.unquote_plus": ["a+b"],
  "urllib.parse.urlencode": [{ a: "1" }],
  "urllib.parse.urljoin": ["http://h/a/b", "c"],
  "urllib.parse.urlparse": ["http://h/p"],
  "urllib.parse.urlsplit": ["http://h/p"],
  "urllib.parse._ResultMixinStr.encode": [],
  "urllib.parse._ResultMixinBytes.decode": [],
  "urllib.request.AbstractBasicAuthHandler": [],
  "urllib.request.AbstractDigestAuthHandler": [],
  "urllib.request.AbstractHTTPHandler": [],
  "urllib.request.HTTPBasicAuthHandler": [],
  "urllib.request.HTTPCookieProcessor": [],
  "urllib.request.HTTPDigestAuthHandler": [],
  "urllib.request.HTTPHandler": [],
  "urllib.request.HTTPSHandler": [],
  "urllib.request.ProxyBasicAuthHandler": [],
  "urllib.request.ProxyDigestAuthHandler": [],
  "urllib.request.ProxyHandler": [],
  "urllib.request.Request": ["http://h/"],
  "urllib.request.Request.get_header": ["Accept"],
  "urllib.request.HTTPPasswordMgr.reduce_uri": ["http://h/p"],
  "urllib.request.HTTPPasswordMgrWithPriorAuth.add_password": [
    "realm",
    "http://h/",
    "user",
    "pw",
  ],
  "urllib.request.HTTPPasswordMgrWithPriorAuth.update_authenticated": [
    "http://h/",
  ],
  "urllib.request.OpenerDirector.open": ["data:,x"],
  "urllib.request.proxy_bypass": ["h"],
  "urllib.request.urlopen": ["data:,x"],
  "urllib.request.urlretrieve": ["data:,x"],
  "urllib.error.URLError": ["reason"],
  "urllib.robotparser.RobotFileParser": [],
  "socketserver.TCPServer": [ADDRESS, socketserver.BaseRequestHandler],
  "socketserver.ThreadingTCPServer": [ADDRESS, socketserver.BaseRequestHandler],
  "socketserver.UDPServer": [ADDRESS, socketserver.BaseRequestHandler],
  "socketserver.ThreadingUDPServer": [ADDRESS, socketserver.BaseRequestHandler],
  "socketserver.UnixStreamServer": [
    SOCKET_PATH,
    socketserver.BaseRequestHandler,
  ],
  "socketserver.ThreadingUnixStreamServer": [
    SOCKET_PATH,
    socketserver.BaseRequestHandler,
  ],
  "socketserver.UnixDatagramServer": [
    SOCKET_PATH,
    socketserver.BaseRequestHandler,
  ],
  "socketserver.ThreadingUnixDatagramServer": [
    SOCKET_PATH,
    socketserver.BaseRequestHandler,
  ],
  "socketserver.BaseServer.serve_forever": [],
  "http.server.HTTPServer": [ADDRESS, server.BaseHTTPRequestHandler],
  "http.server.ThreadingHTTPServer": [ADDRESS, server.BaseHTTPRequestHandler],
  // Python's (*args, directory=None): ours names the three a handler gets.
  "http.server.SimpleHTTPRequestHandler": [null, ["127.0.0.1", 1], null],
  "http.server.BaseHTTPRequestHandler.send_error": [404],
  "http.server.BaseHTTPRequestHandler.send_response": [200],
  "http.server.BaseHTTPRequestHandler.send_response_only": [200],
  "http.server.BaseHTTPRequestHandler.log_request": [],
  "http.server.BaseHTTPRequestHandler.date_time_string": [],
  "http.client.HTTPMessage": [],
  "http.client.HTTPResponse.getheader": ["Content-Type"],
  "http.client.HTTPResponse.peek": [],
  "http.client.HTTPResponse.read": [],
  "http.client.HTTPResponse.read1": [],
  "http.client.HTTPResponse.readline": [],
  "_io._IOBase.readlines": [],
  "http.client.IncompleteRead": [new Uint8Array([0x61])],
  "email.message.Message.as_string": [],
  "email.message.Message.get": ["Content-Type"],
  "email.message.Message.get_all": ["Content-Type"],
  "email.message.Message.get_boundary": [],
  "email.message.Message.get_content_charset": [],
  "email.message.Message.get_filename": [],
  "email.message.Message.get_param": ["charset"],
  "email.message.Message.get_params": [],
  "http.cookiejar.Cookie": [
    0,
    "n",
    "v",
    null,
    false,
    "h.example",
    false,
    false,
    "/",
    false,
    false,
    null,
    false,
    null,
    null,
    {},
  ],
  "http.cookiejar.Cookie.get_nonstandard_attr": ["HttpOnly"],
  "http.cookiejar.Cookie.is_expired": [],
  "http.cookiejar.CookieJar": [],
  "http.cookiejar.CookieJar.clear": [],
  "http.cookiejar.FileCookieJar": [],
  "http.cookiejar.FileCookieJar.load": [],
  "http.cookiejar.FileCookieJar.revert": [],
  "http.cookiejar.FileCookieJar.save": [],
  "http.cookiejar.MozillaCookieJar": [],
  "http.cookiejar.MozillaCookieJar.save": [],
  "urllib.response.addinfourl": [new Uint8Array(0), null, "http://h/"],
  "ssl.create_default_context": [],
  "ssl.SSLContext": [],
  "ssl.SSLContext.load_default_certs": [],
  "_ssl._SSLContext.load_verify_locations": [],
};

/** How to make an instance of each class whose methods are probed. */
const INSTANCES: Record<string, () => object> = {
  "urllib.parse.SplitResult": () => parse.urlsplit("http://h/p?q#f"),
  "urllib.parse.SplitResultBytes": () =>
    parse.urlsplit(new TextEncoder().encode("http://h/p?q#f")),
  "urllib.parse.ParseResult": () => parse.urlparse("http://h/p;a?q#f"),
  "urllib.parse.ParseResultBytes": () =>
    parse.urlparse(new TextEncoder().encode("http://h/p;a?q#f")),
  "urllib.parse.DefragResult": () => parse.urldefrag("http://h/p#f"),
  "urllib.parse.DefragResultBytes": () =>
    parse.urldefrag(new TextEncoder().encode("http://h/p#f")),
  "urllib.request.Request": () => new request.Request("http://h/"),
  "urllib.request.HTTPPasswordMgr": () => new request.HTTPPasswordMgr(),
  "urllib.request.HTTPPasswordMgrWithDefaultRealm": () =>
    new request.HTTPPasswordMgrWithDefaultRealm(),
  "urllib.request.HTTPPasswordMgrWithPriorAuth": () =>
    new request.HTTPPasswordMgrWithPriorAuth(),
  "urllib.request.OpenerDirector": () => new request.OpenerDirector(),
  "urllib.robotparser.RequestRate": () => new robotparser.RequestRate(3, 15),
  "urllib.robotparser.RuleLine": () => new robotparser.RuleLine("/p", false),
  "urllib.error.URLError": () => new error.URLError("reason"),
  "urllib.error.HTTPError": () =>
    new error.HTTPError("http://h/", 404, "Not Found", null as never, null),
  "urllib.error.ContentTooShortError": () =>
    new error.ContentTooShortError("message", new Uint8Array(0)),
  "socketserver.BaseServer": () =>
    new (socketserver.BaseServer as unknown as AnyClass)(
      ADDRESS,
      socketserver.BaseRequestHandler,
    ),
  "socketserver.TCPServer": unbound(socketserver.TCPServer, ADDRESS),
  "socketserver.ThreadingTCPServer": unbound(
    socketserver.ThreadingTCPServer,
    ADDRESS,
  ),
  "socketserver.UDPServer": unbound(socketserver.UDPServer, ADDRESS),
  "socketserver.ThreadingUDPServer": unbound(
    socketserver.ThreadingUDPServer,
    ADDRESS,
  ),
  "socketserver.UnixStreamServer": unbound(
    socketserver.UnixStreamServer,
    SOCKET_PATH,
  ),
  "socketserver.ThreadingUnixStreamServer": unbound(
    socketserver.ThreadingUnixStreamServer,
    SOCKET_PATH,
  ),
  "socketserver.UnixDatagramServer": unbound(
    socketserver.UnixDatagramServer,
    SOCKET_PATH,
  ),
  "socketserver.ThreadingUnixDatagramServer": unbound(
    socketserver.ThreadingUnixDatagramServer,
    SOCKET_PATH,
  ),
  "http.server.HTTPServer": unbound(server.HTTPServer, ADDRESS),
  "http.server.ThreadingHTTPServer": unbound(
    server.ThreadingHTTPServer,
    ADDRESS,
  ),
  "http.server.BaseHTTPRequestHandler": handler(server.BaseHTTPRequestHandler),
  "http.server.SimpleHTTPRequestHandler": handler(
    server.SimpleHTTPRequestHandler,
  ),
  "http.client.HTTPMessage": () =>
    new request.HTTPMessage([["Content-Type", "text/plain; charset=utf-8"]]),
  "http.client.HTTPResponse": () =>
    new request.HTTPResponse(new Uint8Array(0), null, "http://h/", 200, "OK"),
  "http.client.BadStatusLine": () => new error.BadStatusLine("x"),
  "http.client.IncompleteRead": () =>
    new error.IncompleteRead(new Uint8Array([0x61, 0x62]), 3),
  "http.client.LineTooLong": () => new error.LineTooLong("header line"),
  "http.client.RemoteDisconnected": () => new error.RemoteDisconnected("x"),
  "http.client.UnknownProtocol": () => new error.UnknownProtocol("x"),
  "http.cookiejar.Cookie": () =>
    new request.Cookie({ name: "n", value: "v", domain: "h.example" }),
  "http.cookiejar.CookieJar": () => new request.CookieJar(),
  "http.cookiejar.FileCookieJar": () => new request.FileCookieJar(),
  "http.cookiejar.MozillaCookieJar": () => new request.MozillaCookieJar(),
  "urllib.response.addinfourl": () =>
    new request.addinfourl(new Uint8Array(0), null, "http://h/", 200),
  "ssl.SSLContext": () => new request.SSLContext(),
  "ssl.SSLError": () => new request.SSLError(null, "x"),
  "ssl.SSLCertVerificationError": () =>
    new request.SSLCertVerificationError(
      20,
      "unable to get local issuer certificate",
    ),
  "builtins.TimeoutError": () => new error.TimeoutError(),
};

/**
 * Class attributes whose value differs from Python's on purpose, with why
 * (the name must still be there).
 */
const OTHER_VALUES: Record<string, string> = {
  "http.server.BaseHTTPRequestHandler.sys_version":
    "names the runtime: Deno/<version>, not Python/<version>",
  "http.server.SimpleHTTPRequestHandler.sys_version": "as above",
  "http.server.BaseHTTPRequestHandler.disable_nagle_algorithm":
    "true for HTTP, so a response leaves at once (README: Differences from Python)",
  "http.server.SimpleHTTPRequestHandler.disable_nagle_algorithm": "as above",
};

/** Why Python's cookie jars' regular expressions are not ours. */
const COOKIE_RE =
  "Python's parsing patterns; ours parses with tough-cookie (README: Differences from Python)";
/** Why HTTPMessage lacks an email.message.Message member. */
const HEADERS_ONLY =
  "HTTPMessage holds an HTTP head's headers only, no body or MIME editing (README: Differences from Python)";
/** Why HTTPResponse lacks http.client's connection state. */
const NO_CONNECTION_STATE =
  "http.client's connection state; ours reads through a body source (README: Differences from Python)";

/** Why HTTPResponse lacks an io method. */
const NO_FILE_PLUMBING =
  "io's file plumbing beyond reading: a response has no descriptor, position or write side (README: Differences from Python)";
/** Why SSLContext lacks an OpenSSL setting. */
const NO_TLS_KNOBS =
  "Deno's TLS (rustls) takes a hostname, authorities and ALPN only: versions, ciphers, options and flags are its own (README: Differences from Python)";
/** Why SSLContext lacks client certificates. */
const NO_CLIENT_CERT =
  "Deno.startTls takes no client certificate (README: Differences from Python)";
/** Why SSLContext lacks the server side. */
const CLIENT_ONLY =
  "a context here is a client's, for urlopen's HTTPS (README: Differences from Python)";
/** Why SSLContext cannot wrap a socket itself. */
const NO_WRAPPING =
  "a context configures urlopen's HTTPS; there are no Python sockets or BIOs to wrap (README: Differences from Python)";
/** Why SSLContext lacks ALPN. */
const NO_ALPN =
  "the HTTPS handler speaks HTTP/1.1 and offers no ALPN (README: Differences from Python)";

/**
 * Python class (or instance) attributes we do not have, with why.
 */
const NOT_ATTRIBUTES: Record<string, string> = {
  "urllib.request.AbstractBasicAuthHandler.rx":
    "Python's challenge regex; ours reads challenges with a scanner (_auth_header.ts), so there is no pattern to override",
  "urllib.request.HTTPBasicAuthHandler.rx": "as above",
  "urllib.request.ProxyBasicAuthHandler.rx": "as above",
  "urllib.request.FileHandler.names":
    "Python's cache of this machine's addresses, filled on first use; ours reads them per request (file_handler.ts)",
  ...Object.fromEntries(
    ["CookieJar", "FileCookieJar", "MozillaCookieJar"].flatMap((jar) =>
      [
        "domain_re",
        "dots_re",
        "magic_re",
        "non_word_re",
        "quote_re",
        "strict_domain_re",
      ].map((name) => [`http.cookiejar.${jar}.${name}`, COOKIE_RE])
    ),
  ),
  "http.client.HTTPMessage.defects": HEADERS_ONLY,
  "http.client.HTTPMessage.epilogue": HEADERS_ONLY,
  "http.client.HTTPMessage.policy": HEADERS_ONLY,
  "http.client.HTTPMessage.preamble": HEADERS_ONLY,
  "http.client.HTTPResponse.chunk_left": NO_CONNECTION_STATE,
  "http.client.HTTPResponse.fp": NO_CONNECTION_STATE,
  "http.client.HTTPResponse.will_close": NO_CONNECTION_STATE,
  "urllib.response.addinfourl.fp":
    "the file Python's wraps; ours reads through a body source (README: Differences from Python)",
  "urllib.response.addinfourl.file":
    "tempfile's wrapper's, which Python's addinfourl is built on; as above",
  "urllib.response.addinfourl.name": "as above",
  "urllib.error.HTTPError.file":
    "the file wrapper's name for what HTTPError keeps as fp, which it has (README: Differences from Python)",
  "urllib.request.HTTPPasswordMgr.passwd":
    "Python's store, a dict keyed by tuples of reduced URIs, which JavaScript cannot key by value: read through add_password and find_user_password (README: Differences from Python)",
  "urllib.request.HTTPPasswordMgrWithDefaultRealm.passwd": "as above",
  "urllib.request.HTTPPasswordMgrWithPriorAuth.passwd": "as above",
  "urllib.request.HTTPPasswordMgrWithPriorAuth.authenticated":
    "as above, through update_authenticated and is_authenticated",
  "ssl.SSLContext.hostname_checks_common_name":
    "rustls matches names against subjectAltName only (README: Differences from Python)",
  "ssl.SSLContext.keylog_filename": NO_TLS_KNOBS,
  "ssl.SSLContext.maximum_version": NO_TLS_KNOBS,
  "ssl.SSLContext.minimum_version": NO_TLS_KNOBS,
  "ssl.SSLContext.num_tickets": NO_TLS_KNOBS,
  "ssl.SSLContext.options": NO_TLS_KNOBS,
  "ssl.SSLContext.post_handshake_auth": NO_CLIENT_CERT,
  "ssl.SSLContext.protocol": CLIENT_ONLY,
  "ssl.SSLContext.security_level": NO_TLS_KNOBS,
  "ssl.SSLContext.sni_callback": CLIENT_ONLY,
  "ssl.SSLContext.verify_flags": NO_TLS_KNOBS,
};

/**
 * Python methods (by the key of the class defining them) we do not have,
 * with why.
 */
const NOT_METHODS: Record<string, string> = {
  "email.message.Message.as_bytes": HEADERS_ONLY,
  "email.message.Message.del_param": HEADERS_ONLY,
  "email.message.Message.get_charsets": HEADERS_ONLY,
  "email.message.Message.get_payload": HEADERS_ONLY,
  "email.message.Message.set_param": HEADERS_ONLY,
  "email.message.Message.set_payload": HEADERS_ONLY,
  "email.message.Message.set_type": HEADERS_ONLY,
  "email.message.Message.attach": HEADERS_ONLY,
  "email.message.Message.get_charset": HEADERS_ONLY,
  "email.message.Message.get_unixfrom": HEADERS_ONLY,
  "email.message.Message.is_multipart": HEADERS_ONLY,
  "email.message.Message.set_boundary": HEADERS_ONLY,
  "email.message.Message.set_charset": HEADERS_ONLY,
  "email.message.Message.set_unixfrom": HEADERS_ONLY,
  "email.message.Message.walk": HEADERS_ONLY,
  "http.client.HTTPMessage.getallmatchingheaders":
    "always an empty list in Python 3 (README: Importing)",
  "http.client.HTTPResponse.begin": NO_CONNECTION_STATE,
  "http.client.HTTPResponse.fileno": NO_FILE_PLUMBING,
  "http.client.HTTPResponse.flush": NO_FILE_PLUMBING,
  "http.client.HTTPResponse.readable": NO_FILE_PLUMBING,
  "_io._BufferedIOBase.detach": NO_FILE_PLUMBING,
  "_io._BufferedIOBase.readinto1": NO_FILE_PLUMBING,
  "_io._BufferedIOBase.write": NO_FILE_PLUMBING,
  "_io._IOBase.isatty": NO_FILE_PLUMBING,
  "_io._IOBase.seekable": NO_FILE_PLUMBING,
  "_io._IOBase.tell": NO_FILE_PLUMBING,
  "_io._IOBase.writable": NO_FILE_PLUMBING,
  "_io._IOBase.writelines": NO_FILE_PLUMBING,
  "http.cookiejar.CookieJar.set_policy":
    "there are no cookie policy objects (README: Differences from Python)",
  "http.cookiejar.CookieJar.set_cookie_if_ok": "as above",
  "socketserver.TCPServer.fileno":
    "a server's socket is Deno's listener, which has no file descriptor (README: Differences from Python)",
  "_io._IOBase.seek":
    "a response is not seekable: Python's raises io.UnsupportedOperation (README: Differences from Python)",
  "_io._IOBase.truncate": "as above",
  "_ssl._SSLContext.get_ca_certs":
    "OpenSSL's parsed store; the authorities loaded are caCerts, as PEM text (README: Differences from Python)",
  "_ssl._SSLContext.cert_store_stats": "as above",
  "_ssl._SSLContext.session_stats": NO_TLS_KNOBS,
  "_ssl._SSLContext.get_ciphers": NO_TLS_KNOBS,
  "_ssl._SSLContext.set_ciphers": NO_TLS_KNOBS,
  "_ssl._SSLContext.set_ecdh_curve": NO_TLS_KNOBS,
  "_ssl._SSLContext.load_dh_params": CLIENT_ONLY,
  "_ssl._SSLContext.load_cert_chain": NO_CLIENT_CERT,
  "_ssl._SSLContext.set_psk_client_callback": NO_TLS_KNOBS,
  "_ssl._SSLContext.set_psk_server_callback": CLIENT_ONLY,
  "ssl.SSLContext.set_servername_callback": CLIENT_ONLY,
  "ssl.SSLContext.set_alpn_protocols": NO_ALPN,
  "ssl.SSLContext.set_npn_protocols": NO_ALPN,
  "ssl.SSLContext.wrap_bio": NO_WRAPPING,
  "ssl.SSLContext.wrap_socket": NO_WRAPPING,
};

/**
 * Constructors whose parameters differ from Python's on purpose, with why.
 */
const OTHER_SHAPES: Record<string, string> = {
  "http.client.HTTPMessage":
    "made from the header pairs (or a fetch Headers) a head held; there are no email.policy objects (README: Differences from Python)",
  "http.client.HTTPResponse":
    "made by the HTTP handler from the parsed head and a body source, not on a socket (README: Differences from Python)",
};

/**
 * Callables whose optional parameter is a mapping that comes first: a
 * trailing object whose names are not all keywords is that mapping (as
 * `proxy_bypass(host, { no: "..." })`), so an unknown keyword cannot be
 * told from it.
 */
const MAPPING_FIRST = new Set([
  "urllib.request.proxy_bypass",
  "urllib.request.ProxyHandler",
  // failobj may be any value, a dict too.
  "email.message.Message.get",
  "email.message.Message.get_all",
  "email.message.Message.get_boundary",
  "email.message.Message.get_content_charset",
  "email.message.Message.get_filename",
  "email.message.Message.get_param",
  "email.message.Message.get_params",
]);

/** Not a parameter of anything: what the unknown-keyword probes pass. */
const UNKNOWN = "zz_not_a_parameter";
/** An argument value no callable takes for a keywords object. */
const PROBE = Object.freeze(new (class Probe {})());

/** The export a fixture key "module.Name" stands for, if we export it. */
function exported(key: string): unknown {
  for (const [module, names] of Object.entries(MODULES)) {
    if (key.startsWith(module + ".")) {
      const name = key.slice(module.length + 1);
      return name.includes(".") ? undefined : names[name];
    }
  }
  return undefined;
}

/** One callable to probe: a description and how to call it. */
interface Target {
  what: string;
  key: string;
  call: (args: unknown[]) => unknown;
}

/** Every exported callable with optional parameters, as the fixture lists. */
function targets(): { found: Target[]; missing: string[] } {
  const found: Target[] = [];
  const missing: string[] = [];
  const need = (key: string): unknown[] | null => {
    const sample = REQUIRED[key];
    if (!sample) missing.push(`REQUIRED["${key}"]`);
    return sample ?? null;
  };
  for (const key of Object.keys(signatures.callables)) {
    const fn = exported(key);
    if (typeof fn !== "function" || signatures.classes[key]) continue;
    if (OTHER_SHAPES[key]) continue;
    const sample = need(key);
    if (sample) {
      found.push({
        what: key,
        key,
        call: (args) => (fn as AnyFn)(...sample, ...args),
      });
    }
  }
  for (const [classKey, info] of Object.entries(signatures.classes)) {
    const cls = exported(classKey) as AnyClass | undefined;
    if (!cls) continue; // omitted on purpose: see exports_test.ts
    for (const [method, key] of Object.entries(info.methods)) {
      if (NOT_METHODS[key] || OTHER_SHAPES[key]) continue;
      const sample = need(key);
      if (!sample) continue;
      if (method === "__init__") {
        found.push({
          what: `new ${classKey}`,
          key,
          call: (args) => new cls(...sample, ...args),
        });
        continue;
      }
      const make = INSTANCES[classKey];
      if (!make) {
        missing.push(`INSTANCES["${classKey}"]`);
        continue;
      }
      found.push({
        what: `${classKey}.${method}`,
        key,
        call: (args) => {
          const instance = make() as Record<string, unknown>;
          const bound = instance[method];
          if (typeof bound !== "function") {
            throw new Error(`${classKey} has no method ${method}`);
          }
          return bound.apply(
            instance,
            args.length ? [...sample, ...args] : sample,
          );
        },
      });
    }
  }
  return { found, missing: [...new Set(missing)] };
}

/** The TypeError message a call gives (sync throw or rejection), or a note. */
async function refusal(target: Target, args: unknown[]): Promise<string> {
  try {
    const result = target.call(args);
    if (result instanceof Promise) {
      await within(result, 2_000, target.what);
    }
    return "(accepted)";
  } catch (e) {
    if (e instanceof TypeError) return e.message;
    return `(${(e as Error).name}: ${(e as Error).message})`;
  }
}

Deno.test("signatures: every exported callable with optional parameters has a sample call here", () => {
  deepEqual(targets().missing, []);
});

Deno.test("signatures: each sample names as many required arguments as Python has", () => {
  const wrong: string[] = [];
  for (const { key } of targets().found) {
    const params = signatures.callables[key] ?? [];
    if (params.some(([, kind]) => kind === "VAR_POSITIONAL")) continue;
    const required = params.filter(([, kind, ...d]) =>
      kind.startsWith("POSITIONAL") && d.length === 0
    );
    const given = REQUIRED[key]?.length;
    if (given !== required.length) {
      wrong.push(`${key}: ${given} given, Python requires ${required.length}`);
    }
  }
  deepEqual(wrong, [], `\n${wrong.join("\n")}`);
});

Deno.test("signatures: each optional parameter at its Python position, and by its Python keyword", async () => {
  const wrong: string[] = [];
  for (const target of targets().found) {
    const params = signatures.callables[target.key] ?? [];
    const optional = params.filter(([, kind, ...d]) =>
      kind === "POSITIONAL_OR_KEYWORD" && d.length === 1
    );
    for (const [i, [name]] of optional.entries()) {
      const args = [...Array(i).fill(undefined), PROBE, { [name]: PROBE }];
      const message = await refusal(target, args);
      if (!message.includes(`got multiple values for argument '${name}'`)) {
        wrong.push(`${target.what}: ${name} (position ${i + 1}): ${message}`);
      }
    }
  }
  deepEqual(wrong, [], `\n${wrong.join("\n")}`);
});

Deno.test("signatures: keyword-only parameters are taken by keyword", async () => {
  const wrong: string[] = [];
  for (const target of targets().found) {
    const params = signatures.callables[target.key] ?? [];
    for (const [name, kind] of params) {
      if (kind !== "KEYWORD_ONLY") continue;
      // The known keyword passes; the unknown one after it stops the call.
      const message = await refusal(target, [
        { [name]: undefined, [UNKNOWN]: PROBE },
      ]);
      if (!message.includes(`unexpected keyword argument '${UNKNOWN}'`)) {
        wrong.push(`${target.what}: ${name}: ${message}`);
      }
    }
  }
  deepEqual(wrong, [], `\n${wrong.join("\n")}`);
});

Deno.test("signatures: one positional argument too many is a TypeError", async () => {
  const wrong: string[] = [];
  for (const target of targets().found) {
    const params = signatures.callables[target.key] ?? [];
    if (params.some(([, kind]) => kind === "VAR_POSITIONAL")) continue;
    const optional = params.filter(([, kind, ...d]) =>
      kind.startsWith("POSITIONAL") && d.length === 1
    );
    const message = await refusal(
      target,
      Array(optional.length + 1).fill(PROBE),
    );
    if (!/takes .*argument/.test(message)) {
      wrong.push(`${target.what}: ${message}`);
    }
  }
  deepEqual(wrong, [], `\n${wrong.join("\n")}`);
});

Deno.test("signatures: an unknown keyword is a TypeError", async () => {
  const wrong: string[] = [];
  for (const target of targets().found) {
    if (MAPPING_FIRST.has(target.key)) continue;
    const params = signatures.callables[target.key] ?? [];
    // Python's words where no parameter has a name to give (io's readlines).
    const expected = params.every(([, kind]) => kind === "POSITIONAL_ONLY")
      ? "takes no keyword arguments"
      : `unexpected keyword argument '${UNKNOWN}'`;
    const message = await refusal(target, [{ [UNKNOWN]: PROBE }]);
    if (!message.includes(expected)) {
      wrong.push(`${target.what}: ${message}`);
    }
  }
  deepEqual(wrong, [], `\n${wrong.join("\n")}`);
});

/** An instance of the class `classKey` names, to read its fields. */
function holderOf(
  classKey: string,
  cls: Record<string, unknown>,
): Record<string, unknown> {
  if (classKey === "socketserver.ThreadingMixIn") {
    // Ours is a function making the class, as ThreadingMixIn(TCPServer).
    return socketserver.ThreadingMixIn(socketserver.TCPServer) as never;
  }
  const make = INSTANCES[classKey] ??
    (() => new (cls as unknown as AnyClass)());
  return make() as Record<string, unknown>;
}

/** Python's `==` for two attribute values (True == 1). */
function samePython(a: unknown, b: unknown): boolean {
  const num = (v: unknown) => typeof v === "boolean" ? Number(v) : v;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => samePython(v, b[i]));
  }
  return num(a) === num(b);
}

Deno.test("signatures: class attributes have Python's names and values", () => {
  const wrong: string[] = [];
  for (const [classKey, info] of Object.entries(signatures.classes)) {
    const cls = exported(classKey) as Record<string, unknown> | undefined;
    if (!cls) continue;
    for (const [name, expected] of Object.entries(info.attributes)) {
      const key = `${classKey}.${name}`;
      if (NOT_ATTRIBUTES[key]) continue;
      // A class attribute, or an instance field where Python's class
      // attribute is only ever overridden (a handler's handler_order).
      const holder = name in cls ? cls : holderOf(classKey, cls);
      if (!(name in holder)) {
        wrong.push(`${key}: missing`);
        continue;
      }
      if (OTHER_VALUES[key]) continue;
      const actual = holder[name];
      if (expected !== null && typeof expected === "object") {
        const { enum: member } = expected as { enum?: string };
        if (member !== undefined && actual !== member) {
          wrong.push(`${key}: ${String(actual)}, Python's ${member}`);
        }
        if (!Array.isArray(expected)) continue; // a repr: the name is enough
      }
      if (!samePython(actual, expected)) {
        wrong.push(
          `${key}: ${JSON.stringify(actual)}, Python's ${
            JSON.stringify(expected)
          }`,
        );
      }
    }
  }
  deepEqual(wrong, [], `\n${wrong.join("\n")}`);
});

Deno.test("signatures: named tuples have Python's _fields, iterate in that order, and have the tuple helpers", () => {
  const wrong: string[] = [];
  for (const [classKey, info] of Object.entries(signatures.classes)) {
    const cls = exported(classKey) as Record<string, unknown> | undefined;
    if (!cls || !info.fields) continue;
    const make = INSTANCES[classKey];
    if (!make) {
      wrong.push(`INSTANCES["${classKey}"] missing`);
      continue;
    }
    const instance = make() as Record<string, unknown> & Iterable<unknown>;
    if (!samePython(cls["_fields"], info.fields)) {
      wrong.push(`${classKey}._fields: ${JSON.stringify(cls["_fields"])}`);
    }
    if (!samePython(instance["_fields"], info.fields)) {
      wrong.push(
        `${classKey}()._fields: ${JSON.stringify(instance["_fields"])}`,
      );
    }
    const values = info.fields.map((field) => instance[field]);
    if (!samePython([...instance], values)) {
      wrong.push(`${classKey}: iterates other than its fields`);
    }
    if (instance["length"] !== values.length) {
      wrong.push(`${classKey}: length ${String(instance["length"])}`);
    }
    values.forEach((value, i) => {
      if (instance[i] !== value) {
        wrong.push(`${classKey}[${i}] is not ${info.fields?.[i]}`);
      }
    });
    for (const method of ["_replace", "_asdict"]) {
      if (typeof instance[method] !== "function") {
        wrong.push(`${classKey}.${method} missing`);
      }
    }
    if (typeof cls["_make"] !== "function") {
      wrong.push(`${classKey}._make missing`);
    }
  }
  deepEqual(wrong, [], `\n${wrong.join("\n")}`);
});

/** Whether the class `classKey` names has `method`, static or not. */
function hasMethod(
  classKey: string,
  cls: Record<string, unknown>,
  method: string,
): boolean {
  // ThreadingMixIn is a function making the class: look at what it makes.
  const made = classKey === "socketserver.ThreadingMixIn"
    ? socketserver.ThreadingMixIn(socketserver.TCPServer) as unknown as Record<
      string,
      unknown
    >
    : cls;
  const proto = made["prototype"] as Record<string, unknown> | undefined;
  return typeof made[method] === "function" ||
    typeof proto?.[method] === "function";
}

Deno.test("signatures: classes have Python's other public methods", () => {
  const wrong: string[] = [];
  for (const [classKey, info] of Object.entries(signatures.classes)) {
    const cls = exported(classKey) as Record<string, unknown> | undefined;
    if (!cls) continue;
    for (const [method, key] of Object.entries(info.other_methods)) {
      if (NOT_METHODS[key]) continue;
      if (!hasMethod(classKey, cls, method)) {
        wrong.push(`${classKey}.${method} (${key}): missing`);
      }
    }
  }
  deepEqual(wrong, [], `\n${wrong.join("\n")}`);
});

Deno.test("signatures: instances have Python's public instance attributes", () => {
  const wrong: string[] = [];
  for (const [classKey, info] of Object.entries(signatures.classes)) {
    const cls = exported(classKey) as Record<string, unknown> | undefined;
    if (!cls || !info.instance_attributes) continue;
    const instance = holderOf(classKey, cls);
    for (const name of info.instance_attributes) {
      const key = `${classKey}.${name}`;
      if (!NOT_ATTRIBUTES[key] && !(name in instance)) {
        wrong.push(`${key}: missing`);
      }
    }
  }
  deepEqual(wrong, [], `\n${wrong.join("\n")}`);
});

Deno.test({
  name:
    "signatures: fixtures/cpython_3_13_signatures.json is what python_signatures.py writes",
  ignore: !haveReferencePython(),
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "pyport_signatures_" });
    try {
      const out = `${dir}/signatures.json`;
      await pythonOutput([fileURLToPath(GENERATOR), "--out", out]);
      equal(
        await Deno.readTextFile(out),
        await Deno.readTextFile(FIXTURE),
        "rerun `PYENV_VERSION=3.13.0 python3 tests/fixtures/python_signatures.py`",
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
