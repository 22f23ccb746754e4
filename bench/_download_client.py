"""CPython's side of the download benchmark: urlopen + read(65536) in a
loop, or iterating the response's lines with `lines` after the URL. Prints
one JSON line: bytes, seconds, peak RSS (VmHWM, KiB)."""
import json
import re
import sys
import time
import urllib.request


def main():
    url = sys.argv[1]
    started = time.perf_counter()
    total = 0
    with urllib.request.urlopen(url) as resp:
        if sys.argv[2:] == ["lines"]:
            for line in resp:
                total += len(line)
        else:
            while block := resp.read(65536):
                total += len(block)
    seconds = time.perf_counter() - started
    with open("/proc/self/status") as f:
        peak = int(re.search(r"VmHWM:\s+(\d+)", f.read()).group(1))
    print(json.dumps({"bytes": total, "seconds": seconds, "peak_rss_kib": peak}))


if __name__ == "__main__":
    main()
