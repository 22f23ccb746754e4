/**
 * Python's `urlretrieve` and `urlcleanup`: download a URL to a file,
 * streaming it to disk.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `urlretrieve` and `urlcleanup`.
 *
 * @module
 */
import { asPythonOSError } from "../../_util/os_error.ts";
import { makeTempFile } from "./_temp_file.ts";
import { writeAll } from "../../_util/write_all.ts";
import { pyRepr } from "../../_util/py_repr.ts";
import type { HTTPMessage } from "../../_util/http_message.ts";
import { type MixedArgs, pyArgs } from "../../_util/py_args.ts";
import { ContentTooShortError } from "../error.ts";
import { install_opener, urlopen } from "./opener.ts";
import { abortError, guard } from "./_http_conn.ts";
import type { RequestData } from "./request.ts";
import { splitType } from "./_split.ts";
import { pyInt } from "../../_util/py_int.ts";

/** Python's `reporthook(blocknum, blocksize, totalsize)`; `totalsize` is -1 when unknown. */
export type ReportHook = (
  blocknum: number,
  blocksize: number,
  totalsize: number,
) => void;

/** The optional arguments of {@linkcode urlretrieve}, in Python's order. */
export interface UrlretrieveOptions {
  /** Where to save; by default a temporary file that `urlcleanup()` removes. */
  filename?: string | null;
  /** Called once before the first block and after every block. */
  reporthook?: ReportHook | null;
  /** A body to POST. */
  data?: RequestData | null;
  /**
   * Not in Python (keyword only): cancels the download when it aborts, as
   * `urlopen`'s `signal` does, and also an open or a write that waits (a
   * FIFO or pipe nobody reads); what was written so far stays in the file
   * (a file on disk gets every block that arrived).
   */
  signal?: AbortSignal | null;
}

const tempFiles: string[] = [];
const BLOCK = 8192;

/**
 * Gathers small writes into 1 MiB ones: disk writes cost per call. Given a
 * `signal` (for a target that can wait: a pipe, a FIFO, a terminal), a
 * write ends at an abort, and none starts after it.
 */
class StagedWriter {
  #file: Deno.FsFile;
  #signal: AbortSignal | null;
  #buf = new Uint8Array(1 << 20);
  #used = 0;
  constructor(file: Deno.FsFile, signal: AbortSignal | null) {
    this.#file = file;
    this.#signal = signal;
  }
  async write(data: Uint8Array): Promise<void> {
    if (this.#used + data.length > this.#buf.length) await this.flush();
    if (data.length >= this.#buf.length) return await this.#writeAll(data);
    this.#buf.set(data, this.#used);
    this.#used += data.length;
  }
  get pending(): number {
    return this.#used;
  }
  async flush(): Promise<void> {
    await this.#writeAll(this.#buf.subarray(0, this.#used));
    this.#used = 0;
  }
  #writeAll(data: Uint8Array): Promise<void> {
    const signal = this.#signal;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    return guard(writeAll(this.#file, data), null, signal, () => {});
  }
}

/**
 * Opens `target` to write the download to, and tells whether its writes
 * can wait (it is no regular file, or may not be looked at); an abort
 * rejects at once. The open of
 * a FIFO waits for a reader: once abandoned, it is given one (an open for
 * reading and writing, which never waits) so that it finishes, rather than
 * keep the process alive, and both are closed.
 */
async function openTarget(
  target: string,
  signal: AbortSignal | null,
): Promise<[Deno.FsFile, boolean]> {
  const opening = Deno.open(target, {
    write: true,
    create: true,
    truncate: true,
  });
  let waiting = true;
  opening.then(() => waiting = false, () => waiting = false);
  let file: Deno.FsFile;
  try {
    file = await guard(opening, null, signal, () => {
      opening.then((file) => file.close(), () => {});
      if (waiting) {
        Deno.open(target, { read: true, write: true }).then(
          (reader) => reader.close(),
          () => {},
        );
      }
    });
  } catch (error) {
    if (signal?.aborted) throw abortError(signal);
    throw asPythonOSError(error, target);
  }
  try {
    return [file, !(await file.stat()).isFile];
  } catch (error) {
    // Deno's fstat needs read permission, which writing the download
    // does not: without it, the target is taken for one that may wait.
    if (error instanceof Deno.errors.NotCapable) return [file, true];
    file.close();
    throw error;
  }
}

/** POSIX `os.path.normpath`, enough for `file:` URL paths. */
function normpath(path: string): string {
  if (path === "") return ".";
  const initial = path.startsWith("//") && !path.startsWith("///")
    ? "//"
    : path.startsWith("/")
    ? "/"
    : "";
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (
      part !== ".." || (!initial && out.length === 0) ||
      out[out.length - 1] === ".."
    ) {
      out.push(part);
    } else if (out.length > 0) {
      out.pop();
    }
  }
  return initial + out.join("/") || ".";
}

/**
 * Python's `urlretrieve(url, filename=None, reporthook=None, data=None)`:
 * resolves to `[filename, headers]`. The body is written in 8192-byte
 * blocks; `reporthook(0, 8192, size)` is called first, then once per
 * block, as in Python. A body shorter than its `Content-Length` throws
 * `ContentTooShortError` (the partial file stays). A local `file:` URL
 * with no `filename` is not copied: its own path is returned. A `signal`
 * (keyword only, not in Python) cancels the download at any point with a
 * `URLError` whose `reason` is the signal's.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { urlcleanup, urlretrieve } from "@pyport/web/urllib/request";
 * const calls: number[] = [];
 * const [path, headers] = await urlretrieve("data:,abc", { reporthook: (n) => calls.push(n) });
 * assert(await Deno.readTextFile(path) === "abc");
 * assert(headers?.get("Content-length") === "3" && calls.join() === "0,1");
 * await urlcleanup();
 * ```
 *
 * @example Cancelling with an AbortSignal
 * ```ts
 * import { ok as assert, rejects } from "node:assert/strict";
 * import { URLError } from "@pyport/web/urllib/error";
 * import { urlretrieve } from "@pyport/web/urllib/request";
 * const controller = new AbortController();
 * controller.abort("user cancelled");
 * await rejects(
 *   urlretrieve("data:,abc", { signal: controller.signal }),
 *   (e) => e instanceof URLError && e.reason === "user cancelled",
 * );
 * assert(controller.signal.aborted);
 * ```
 */
export function urlretrieve(
  url: string,
  options?: UrlretrieveOptions,
): Promise<[string, HTTPMessage]>;
/** Python's positional form. */
export function urlretrieve(
  url: string,
  filename?: string | null,
  reporthook?: ReportHook | null,
  data?: RequestData | null,
): Promise<[string, HTTPMessage]>;
/** Some arguments by position, the rest as keywords: `urlretrieve(url, path, { reporthook })`. */
export function urlretrieve(
  url: string,
  ...args: MixedArgs<
    [
      filename?: string | null,
      reporthook?: ReportHook | null,
      data?: RequestData | null,
    ],
    UrlretrieveOptions,
    ["filename", "reporthook", "data"]
  >
): Promise<[string, HTTPMessage]>;
export async function urlretrieve(
  url: string,
  ...args: unknown[]
): Promise<[string, HTTPMessage]> {
  const opts = pyArgs({
    fn: "urlretrieve",
    names: ["filename", "reporthook", "data"] as const,
    keywordOnly: ["signal"] as const,
    defaults: {
      filename: null,
      reporthook: null,
      data: null,
      signal: null,
    } as {
      filename: string | null;
      reporthook: ReportHook | null;
      data: RequestData | null;
      signal: AbortSignal | null;
    },
  }, args);
  const [urlType, path] = splitType(url);
  let size = -1;
  let read = 0;
  let result: [string, HTTPMessage];
  const fp = await urlopen(url, opts.data, { signal: opts.signal });
  try {
    const headers = fp.info();
    if (urlType === "file" && !opts.filename) return [normpath(path), headers];
    let filename = opts.filename;
    let out: Deno.FsFile;
    // A file on disk takes each write in a moment, and after an abort gets
    // what had arrived; a pipe or a FIFO may wait for its reader for ever.
    let waits = false;
    if (filename) {
      [out, waits] = await openTarget(filename, opts.signal);
    } else {
      [filename, out] = await makeTempFile();
      tempFiles.push(filename);
    }
    const sink = new StagedWriter(out, waits ? opts.signal : null);
    try {
      result = [filename, headers];
      let blocknum = 0;
      const length = headers?.get("Content-Length") ?? null;
      if (length !== null) {
        // Python's int(): "3.0", "0x3", "3e0" and "" are refused; "0_3" is 3.
        const parsed = pyInt(length);
        if (parsed === null) {
          throw new TypeError(
            `invalid literal for int() with base 10: ${pyRepr(length)}`,
          );
        }
        size = parsed;
      }
      opts.reporthook?.(blocknum, BLOCK, size);
      // Python's 8192-byte blocks, each written before the next read: a
      // read that fails mid-body loses no complete block before it (the
      // writer stages them, so the file still sees few, large writes).
      const block = new Uint8Array(BLOCK);
      while (true) {
        const got = await fp.readinto(block);
        if (got === 0) break;
        read += got;
        await sink.write(block.subarray(0, got));
        blocknum += 1;
        opts.reporthook?.(blocknum, BLOCK, size);
      }
      await sink.flush();
    } finally {
      // On an error mid-body, keep what arrived, as Python's unbuffered writes do.
      if (sink.pending > 0) await sink.flush().catch(() => {});
      out.close();
    }
  } finally {
    fp.close();
  }
  if (size >= 0 && read < size) {
    throw new ContentTooShortError(
      `retrieval incomplete: got only ${read} out of ${size} bytes`,
      result,
    );
  }
  return result;
}

/**
 * Python's `urlcleanup()`: removes the temporary files `urlretrieve`
 * made and forgets the opener `urlopen` built. Async because it deletes
 * files.
 *
 * @example
 * ```ts
 * import { rejects } from "node:assert/strict";
 * import { urlcleanup, urlretrieve } from "@pyport/web/urllib/request";
 * const [path] = await urlretrieve("data:,abc"); // a temporary file
 * await urlcleanup();
 * await rejects(Deno.stat(path), Deno.errors.NotFound);
 * ```
 */
export async function urlcleanup(): Promise<void> {
  for (const file of tempFiles.splice(0)) {
    try {
      await Deno.remove(file);
    } catch {
      // Already gone, as Python ignores OSError here.
    }
  }
  install_opener(null);
}
