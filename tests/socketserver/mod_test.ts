/**
 * The module's public names, ported from CPython 3.13
 * `Lib/test/test_socketserver.py` (`MiscTestCase.test_all`): every name of
 * Python's `socketserver.__all__` on a platform with AF_UNIX and without
 * fork() is exported; the Forking names are not (Deno cannot fork).
 */
import { deepEqual } from "node:assert/strict";
import * as socketserver from "../../socketserver/mod.ts";
import { serverTest } from "./_helpers.ts";

const PYTHON_ALL = [
  "BaseServer",
  "TCPServer",
  "UDPServer",
  "ThreadingUDPServer",
  "ThreadingTCPServer",
  "BaseRequestHandler",
  "StreamRequestHandler",
  "DatagramRequestHandler",
  "ThreadingMixIn",
  "UnixStreamServer",
  "UnixDatagramServer",
  "ThreadingUnixStreamServer",
  "ThreadingUnixDatagramServer",
];

const FORKING = [
  "ForkingMixIn",
  "ForkingTCPServer",
  "ForkingUDPServer",
  "ForkingUnixStreamServer",
  "ForkingUnixDatagramServer",
];

serverTest("test_all: Python's __all__ (AF_UNIX, no fork) is exported", () => {
  const exported = new Set(Object.keys(socketserver));
  deepEqual(PYTHON_ALL.filter((name) => !exported.has(name)), []);
  deepEqual(FORKING.filter((name) => exported.has(name)), []);
  // Beyond Python's names: the classes behind rfile, wfile and request.
  deepEqual(
    [...exported].filter((name) => !PYTHON_ALL.includes(name)).sort(),
    ["PacketWriter", "SocketReader", "SocketWriter", "StreamSocket"],
  );
});
