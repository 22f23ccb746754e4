"""CPython side of bench/parse_bench.ts.

Usage: PYENV_VERSION=3.13.0 python3 bench/parse_bench.py INPUTS.json

Reads the inputs the Deno side generated, times each urllib.parse operation
over all of them with the Deno side's scheme (warm-up, then the fastest of
the timed passes, taken in rounds over the operations), and prints one JSON
object on stdout:

    {"python": "3.13.0", "ns_per_op": {...}, "samples": {...}}

"samples" holds the results for the first inputs of each set, so the Deno
side can tell whether both implementations computed the same thing.
"""

import json
import platform
import sys
import time
from urllib.parse import (parse_qsl, quote, unquote, urlencode, urljoin,
                          urlparse, urlsplit)

WANTED = (3, 13)
EXIT_WRONG_PYTHON = 3


def time_all(runs, passes):
    """Fastest pass per operation, in ns; passes go round the operations."""
    # One warm-up pass fills the quoter caches and lets the interpreter
    # specialise its bytecode; without a JIT, more would change nothing.
    for run in runs.values():
        run()
    best = {name: float("inf") for name in runs}
    for _ in range(passes):
        for name, run in runs.items():
            start = time.perf_counter_ns()
            run()
            best[name] = min(best[name], time.perf_counter_ns() - start)
    return best


def make_runs(data):
    urls = data["urls"]
    joins = [tuple(pair) for pair in data["joins"]]
    queries = data["queries"]
    # urlencode takes a sequence of tuples, not of lists.
    forms = [[tuple(pair) for pair in form] for form in data["forms"]]
    quotes = data["quotes"]
    unquotes = data["unquotes"]

    # Each runner binds the function to a local name: the fastest way to call
    # it from Python, so the comparison does not flatter the Deno side.
    def run_urlsplit(f=urlsplit):
        for u in urls:
            f(u)

    def run_urlparse(f=urlparse):
        for u in urls:
            f(u)

    def run_urljoin(f=urljoin):
        for base, ref in joins:
            f(base, ref)

    def run_parse_qsl(f=parse_qsl):
        for q in queries:
            f(q)

    def run_urlencode(f=urlencode):
        for form in forms:
            f(form)

    def run_quote(f=quote):
        for s in quotes:
            f(s)

    def run_unquote(f=unquote):
        for s in unquotes:
            f(s)

    def samples(n):
        return {
            "urlsplit": [list(urlsplit(u)) for u in urls[:n]],
            "urlparse": [list(urlparse(u)) for u in urls[:n]],
            "urljoin": [urljoin(b, r) for b, r in joins[:n]],
            "parse_qsl": [parse_qsl(q) for q in queries[:n]],
            "urlencode": [urlencode(form) for form in forms[:n]],
            "quote": [quote(s) for s in quotes[:n]],
            "unquote": [unquote(s) for s in unquotes[:n]],
        }

    runs = {
        "urlsplit": run_urlsplit,
        "urlparse": run_urlparse,
        "urljoin": run_urljoin,
        "parse_qsl": run_parse_qsl,
        "urlencode": run_urlencode,
        "quote": run_quote,
        "unquote": run_unquote,
    }
    counts = {
        "urlsplit": len(urls),
        "urlparse": len(urls),
        "urljoin": len(joins),
        "parse_qsl": len(queries),
        "urlencode": len(forms),
        "quote": len(quotes),
        "unquote": len(unquotes),
    }
    return runs, counts, samples


def main(argv):
    if len(argv) != 2:
        print("usage: parse_bench.py INPUTS.json", file=sys.stderr)
        return 2
    implementation = platform.python_implementation()
    if sys.version_info[:2] != WANTED or implementation != "CPython":
        print(f"needs CPython {WANTED[0]}.{WANTED[1]}, this is "
              f"{implementation} {platform.python_version()}", file=sys.stderr)
        return EXIT_WRONG_PYTHON
    with open(argv[1], encoding="utf-8") as f:
        data = json.load(f)
    runs, counts, samples = make_runs(data)
    best = time_all(runs, data["passes"])
    ns_per_op = {name: best[name] / counts[name] for name in runs}
    json.dump({
        "python": platform.python_version(),
        "ns_per_op": ns_per_op,
        "samples": samples(data["sample_size"]),
    }, sys.stdout, ensure_ascii=False)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
