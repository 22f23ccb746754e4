"""Runs urllib scenarios under CPython and prints one JSON outcome per line.

Input (stdin): a JSON list of scenarios
  {"name", "url", "method"?, "data_b64"?, "headers"?, "timeout"?, "read"?}
where "read" is "all" (default) or a byte count for a single read(n).
Output (stdout): a JSON list of outcomes
  {"name", "status", "reason", "url", "body_b64", "headers", "error", "error_code", "error_reason",
   "partial_b64"}
"""
import base64
import http.client
import json
import sys
import urllib.error
import urllib.request


def run(scenario):
    out = {"name": scenario["name"], "status": None, "reason": None, "url": None,
           "body_b64": None, "headers": None, "error": None, "error_code": None,
           "error_reason": None, "partial_b64": None}
    data = None
    if scenario.get("data_b64") is not None:
        data = base64.b64decode(scenario["data_b64"])
    try:
        req = urllib.request.Request(scenario["url"], data=data,
                                     headers=scenario.get("headers") or {},
                                     method=scenario.get("method"))
        kwargs = {}
        if scenario.get("timeout") is not None:
            kwargs["timeout"] = scenario["timeout"]
        with urllib.request.urlopen(req, **kwargs) as resp:
            out["status"] = resp.status
            out["reason"] = getattr(resp, "reason", None)
            out["url"] = resp.geturl()
            out["headers"] = [[k.lower(), v] for k, v in resp.headers.items()
                              if k.lower() in ("content-type", "content-length", "location")]
            how = scenario.get("read", "all")
            body = resp.read() if how == "all" else resp.read(int(how))
            out["body_b64"] = base64.b64encode(body).decode("ascii")
    except urllib.error.HTTPError as e:
        out["error"] = "HTTPError"
        out["error_code"] = e.code
        out["error_reason"] = str(e.reason)
        try:
            out["body_b64"] = base64.b64encode(e.read()).decode("ascii")
        except http.client.IncompleteRead as cut:  # the error page broke off
            out["partial_b64"] = base64.b64encode(cut.partial).decode("ascii")
        e.close()
    except urllib.error.URLError as e:
        out["error"] = "URLError"
        out["error_reason"] = type(e.reason).__name__ if isinstance(e.reason, BaseException) else str(e.reason)
    except Exception as e:  # the class name is the outcome
        out["error"] = type(e).__name__
        if isinstance(e, http.client.IncompleteRead):
            out["partial_b64"] = base64.b64encode(e.partial).decode("ascii")
    return out


def main():
    scenarios = json.load(sys.stdin)
    json.dump([run(s) for s in scenarios], sys.stdout)


if __name__ == "__main__":
    main()
