/**
 * Downloads a URL to a file with `urlretrieve`, drawing a progress bar
 * from its `reporthook`: the tutorial's
 * `urlretrieve('https://www.python.org', 'python_webpage.html')` with
 * something to watch while it runs. It always names the file; the
 * tutorial's other form, `urlretrieve(url)` without a name, writes a
 * temporary file that `urlcleanup()` removes, which it calls at the end.
 *
 * Run it from a checkout:
 *
 * ```sh
 * deno run --allow-net --allow-write=. --allow-read=. examples/download.ts URL [FILE]
 * ```
 *
 * or straight from JSR:
 *
 * ```sh
 * deno run --allow-net --allow-write=. --allow-read=. jsr:@pyport/web/examples/download URL [FILE]
 * ```
 *
 * `FILE` defaults to the last part of the URL's path (`index.html` when
 * that is empty), in the current folder; an existing file is replaced, as
 * `urlretrieve` does. A `FILE` elsewhere needs `--allow-write` and
 * `--allow-read` for it (the example reads its size back; `urlretrieve`
 * itself needs only write permission). The bar is one line on stderr, redrawn with `\r`:
 * percent, bytes so far, total and speed; when the server does not say how
 * big the file is (no `Content-Length`, so `totalsize` is -1) it shows the
 * bytes and speed only. The exit status is 1 when the download fails or
 * arrives shorter than announced, 2 for a bad command line (no `URL`, or
 * one with no scheme, as in `www.python.org`).
 *
 * @module
 */
import { ContentTooShortError, URLError } from "@pyport/web/urllib/error";
import { unquote, urlparse } from "@pyport/web/urllib/parse";
import { urlcleanup, urlretrieve } from "@pyport/web/urllib/request";
import { badUrl, fetchFailure } from "./_fetch_failure.ts";

const encoder = new TextEncoder();
const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

function humanBytes(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(1)} ${UNITS[unit]}`;
}

function terminalWidth(): number {
  try {
    if (Deno.stderr.isTerminal()) return Deno.consoleSize().columns;
  } catch {
    // No console attached.
  }
  return 80;
}

/** Draws the bar; call `update` from the reporthook and `finish` at the end. */
class ProgressBar {
  #start = performance.now();
  #lastDraw = -Infinity;
  #lastWidth = 0;
  #width = terminalWidth();

  /** The reporthook: `blocknum` blocks of `blocksize` bytes so far. */
  update(blocknum: number, blocksize: number, totalsize: number): void {
    // The hook only counts blocks, and a block may be short (the last one,
    // or one cut short by a server that sends less than it announced), so
    // the count stops short of the announced size: only finish() knows the
    // bytes, and draws 100%.
    const done = totalsize > 0
      ? Math.min(blocknum * blocksize, totalsize - 1)
      : blocknum * blocksize;
    const now = performance.now();
    // Redraw ten times a second at most: a fast download would otherwise
    // spend its time writing to the terminal.
    if (now - this.#lastDraw < 100) return;
    this.#lastDraw = now;
    this.#draw(done, totalsize, now);
  }

  /** Ends a half-drawn line, so an error message starts on its own. */
  abort(): void {
    if (this.#lastWidth > 0) Deno.stderr.writeSync(encoder.encode("\n"));
  }

  /** Draws the final state with the real size and ends the line. */
  finish(bytes: number, totalsize: number): void {
    this.#draw(bytes, totalsize, performance.now());
    Deno.stderr.writeSync(encoder.encode("\n"));
  }

  #draw(done: number, total: number, now: number): void {
    const seconds = Math.max((now - this.#start) / 1000, 0.001);
    const speed = `${humanBytes(Math.round(done / seconds))}/s`;
    let line: string;
    if (total > 0) {
      const fraction = Math.min(done / total, 1);
      const numbers = ` ${(fraction * 100).toFixed(1).padStart(5)}%  ${
        humanBytes(done)
      } / ${humanBytes(total)}  ${speed}`;
      // A fixed width, so the numbers after the bar do not jitter.
      const barWidth = Math.max(10, Math.min(40, this.#width - 50));
      const filled = Math.round(fraction * barWidth);
      line = `[${"#".repeat(filled)}${
        "-".repeat(barWidth - filled)
      }]${numbers}`;
    } else {
      line = `${humanBytes(done)}  ${speed}`;
    }
    // Pad over the remains of a longer previous line.
    const pad = " ".repeat(Math.max(0, this.#lastWidth - line.length));
    this.#lastWidth = line.length;
    Deno.stderr.writeSync(encoder.encode(`\r${line}${pad}`));
  }
}

function defaultFilename(url: string): string {
  const path = unquote(urlparse(url).path);
  const name = path.slice(path.lastIndexOf("/") + 1);
  // A name from the network must not climb out of the current folder.
  return name === "" || name === "." || name === ".." ? "index.html" : name;
}

async function main(args: string[]): Promise<number> {
  const [url, file] = args;
  const bad = url ? badUrl(url) : "";
  if (!url || bad !== null) {
    console.error(`usage: download.ts URL [FILE]${bad ? `\n${bad}` : ""}`);
    return 2;
  }
  const filename = file ?? defaultFilename(url);
  const bar = new ProgressBar();
  let total = -1;
  try {
    const [path, headers] = await urlretrieve(url, filename, (n, bs, size) => {
      total = size;
      bar.update(n, bs, size);
    });
    const size = (await Deno.stat(path)).size;
    bar.finish(size, total);
    const type = headers?.get_content_type() ?? "unknown type";
    console.log(`saved ${url} to ${path} (${size} bytes, ${type})`);
    return 0;
  } catch (error) {
    bar.abort();
    if (error instanceof ContentTooShortError) {
      console.error(`download incomplete: ${String(error.reason)}`);
      return 1;
    }
    if (error instanceof URLError) {
      console.error(`cannot download ${url}: ${error.message}`);
      return 1;
    }
    const failure = fetchFailure(error);
    if (failure === null) throw error;
    console.error(`cannot download ${url}: ${failure}`);
    return 1;
  } finally {
    // Removes urlretrieve's temporary files (none here: we name the file)
    // and forgets the opener urlopen built, as in Python.
    await urlcleanup();
  }
}

// Run as a program, not when imported.
if (import.meta.main) Deno.exit(await main(Deno.args));
