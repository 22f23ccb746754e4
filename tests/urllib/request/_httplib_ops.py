"""Runs the cases of cpython_httplib_test.ts under CPython's urlopen.

Input (stdin): a JSON list of cases {"url", "method"?, "ops"}, each op a list
whose first item names what to do with the response (see `step`). Output
(stdout): a JSON list with, for each case, the list of results: first the
open's (null, or the error), then one per op. Bytes travel as Latin-1 text.
"""
import http.client
import json
import sys
import urllib.error
import urllib.request


def text(b):
    return bytes(b).decode("latin-1")


def failure(e):
    out = {"error": type(e).__name__, "message": str(e)}
    if isinstance(e, http.client.IncompleteRead):
        out["partial"] = text(e.partial)
        out["expected"] = e.expected
    if isinstance(e, urllib.error.URLError) and not isinstance(e, urllib.error.HTTPError):
        reason = e.reason
        out["reason"] = type(reason).__name__ if isinstance(reason, BaseException) else str(reason)
    return out


def step(resp, op):
    name, args = op[0], op[1:]
    if name == "readinto":
        buf = bytearray(args[0])
        n = resp.readinto(buf)
        return [n, text(buf)]
    if name == "lines":
        return [text(line) for line in resp]
    if name == "readlines":
        return [text(line) for line in resp.readlines(*args)]
    if name == "read1Loop":  # read1(n) to the end: (body, each within n, isclosed)
        parts = []
        while part := resp.read1(*args):
            parts.append(part)
        return [text(b"".join(parts)),
                all(len(p) <= (args[0] if args else 1 << 30) for p in parts),
                resp.isclosed()]
    if name == "peekLoop":  # test_peek: a short peek, an unbounded one, read it
        parts, kept = [], True
        while True:
            p = resp.peek(3)
            if p:
                p2 = resp.peek()
                kept = kept and len(p2) >= len(p) and p2.startswith(p)
                nxt = resp.read(len(p2))
                kept = kept and nxt == p2
            else:
                nxt = resp.read()
                kept = kept and not nxt
            if not nxt:
                break
            parts.append(nxt)
        return [text(b"".join(parts)), kept]
    if name == "peekThenRead":  # what peek(n) gave starts what read() gives
        p = resp.peek(*args)
        rest = resp.read()
        return [rest.startswith(p), text(rest)]
    if name in ("read", "read1", "peek", "readline"):
        return text(getattr(resp, name)(*args))
    if name in ("isclosed", "getcode", "geturl", "getheaders", "close"):
        return getattr(resp, name)()
    if name == "getheader":
        return resp.getheader(*args)
    if name == "get_all":
        return resp.headers.get_all(*args)
    if name == "items":
        return resp.headers.items()
    # An attribute: closed, status, reason, version, length, code, msg.
    return getattr(resp, name)


def run(case):
    results = []
    try:
        req = urllib.request.Request(case["url"], method=case.get("method"),
                                     headers=case.get("headers") or {})
        data = case.get("data")
        resp = urllib.request.urlopen(req, data=None if data is None else data.encode("latin-1"),
                                      timeout=10)
        results.append(None)
    except urllib.error.HTTPError as e:
        results.append(failure(e))
        resp = e
    except Exception as e:
        results.append(failure(e))
        return results
    for op in case["ops"]:
        try:
            value = step(resp, op)
        except Exception as e:
            value = failure(e)
        results.append(value)
    resp.close()
    return results


print(json.dumps([run(case) for case in json.load(sys.stdin)]))
