/**
 * Python's `FileHandler` for `file:` URLs on this machine.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `FileHandler`.
 *
 * @module
 */
import { asPythonOSError } from "../../_util/os_error.ts";
import { HTTPMessage } from "../../_util/http_message.ts";
import { guessFileType } from "../../_util/mime_types.ts";
import { URLError } from "../error.ts";
import { BaseHandler } from "./base_handler.ts";
import type { Request } from "./request.ts";
import { addinfourl, type BodySource } from "./response.ts";
import { url2pathname } from "./pathname.ts";
import { splitPort } from "./_split.ts";
import { urlparse } from "../parse/mod.ts";

/**
 * Python's `mimetypes.guess_type(selector)[0]`: a selector that parses as a
 * URL with a scheme of two letters or more (the relative `file:ab:x.html?v`)
 * is typed by that URL's path, query and fragment left out, or, for
 * `data:`, by its media type; any other by its name.
 */
function guessSelectorType(selector: string): string | undefined {
  let scheme: string;
  let path: string;
  try {
    ({ scheme, path } = urlparse(selector));
  } catch {
    return guessFileType(selector);
  }
  if (scheme.length <= 1) return guessFileType(selector);
  if (scheme !== "data") return guessFileType(path);
  const comma = path.indexOf(",");
  if (comma < 0) return undefined;
  const semi = path.slice(0, comma).indexOf(";");
  const type = path.slice(0, semi >= 0 ? semi : comma);
  return type.includes("=") || !type.includes("/") ? "text/plain" : type;
}

class FileSource implements BodySource {
  #file: Deno.FsFile;
  #signal: AbortSignal | null;
  constructor(file: Deno.FsFile, signal: AbortSignal | null) {
    this.#file = file;
    this.#signal = signal;
  }
  readInto(buf: Uint8Array): Promise<number | null> {
    // A FIFO whose writer stalls would keep a read waiting for ever.
    return untilAborted(this.#file.read(buf), this.#signal, () => this.close());
  }
  close(): void {
    try {
      this.#file.close();
    } catch {
      // Already closed.
    }
  }
}

function granted(kind: "networkInterfaces" | "hostname"): boolean {
  return Deno.permissions.querySync({ name: "sys", kind }).state === "granted";
}

/**
 * This machine's names, lower-cased: the loopback ones, its addresses and
 * its host name. (Python resolves the URL's host and compares addresses;
 * without a name lookup, the names a lookup would give count instead.)
 */
function localAddresses(): Set<string> {
  const names = new Set(["127.0.0.1", "::1", "localhost"]);
  try {
    if (granted("networkInterfaces")) {
      for (const iface of Deno.networkInterfaces()) names.add(iface.address);
    }
    if (granted("hostname")) names.add(Deno.hostname().toLowerCase());
  } catch {
    // Without --allow-sys only the loopback names count as local.
  }
  return names;
}

/**
 * Python's refusal of a host that is not this machine's; where Deno's
 * permissions hid this machine's names and addresses, it says so.
 */
function notLocal(message: string): URLError {
  let known = false;
  try {
    known = granted("networkInterfaces") && granted("hostname");
  } catch {
    // No permission API here.
  }
  return new URLError(
    known
      ? message
      : `${message} (this machine's host name and addresses count as local only with --allow-sys)`,
  );
}

/** Whether `host` names this machine, by `names` (compared as DNS does, ignoring case). */
function isLocal(host: string, names: readonly string[]): boolean {
  return names.includes(host.toLowerCase());
}

/**
 * Python's `urllib.request.FileHandler`: opens `file:` URLs naming this
 * machine (no host, `localhost`, or one of its addresses), with Python's
 * headers `Content-type` (from the name, as Python's `mimetypes` guesses
 * it from its built-in table, else `text/plain`), `Content-length` and
 * `Last-modified`.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { pathname2url, urlopen } from "@pyport/web/urllib/request";
 * const path = await Deno.makeTempFile({ suffix: ".txt" });
 * await Deno.writeTextFile(path, "hello");
 * await using resp = await urlopen("file://" + pathname2url(path));
 * assert(resp.headers?.get("Content-type") === "text/plain");
 * assert(resp.headers?.get("Content-length") === "5");
 * assert(new TextDecoder().decode(await resp.read()) === "hello");
 * await Deno.remove(path);
 * ```
 */
export class FileHandler extends BaseHandler {
  /** Opens a local file (async). */
  async file_open(req: Request): Promise<addinfourl> {
    const url = req.selector;
    if (
      url.startsWith("//") && url.charAt(2) !== "/" && req.host &&
      req.host !== "localhost" && !isLocal(req.host, this.get_names())
    ) {
      throw notLocal("file:// scheme is supported only on localhost");
    }
    return await this.open_local_file(req);
  }

  /** The names and addresses that mean "this machine". */
  get_names(): string[] {
    return [...localAddresses()];
  }

  /** Python's `open_local_file`: stats and opens the file. */
  async open_local_file(req: Request): Promise<addinfourl> {
    let host = req.host;
    const filename = req.selector;
    const localfile = url2pathname(filename);
    let headers: HTTPMessage;
    let port: string | null = null;
    try {
      const stats = await Deno.stat(localfile);
      const modified = (stats.mtime ?? new Date(0)).toUTCString();
      headers = new HTTPMessage([
        ["Content-type", guessSelectorType(filename) ?? "text/plain"],
        ["Content-length", String(stats.size)],
        ["Last-modified", modified],
      ]);
      if (host) [host, port] = splitPort(host);
      if (!host || (!port && isLocal(host, this.get_names()))) {
        // Python finds a folder out when it opens it, on this machine only.
        if (stats.isDirectory) {
          throw new Deno.errors.IsADirectory(
            "Is a directory (os error 21)",
          );
        }
        const origurl = host
          ? `file://${host}${filename}`
          : `file://${filename}`;
        const file = await openUntilAborted(
          localfile,
          req.signal,
          stats.isFifo === true,
        );
        return new addinfourl(
          new FileSource(file, req.signal),
          headers,
          origurl,
        );
      }
    } catch (err) {
      // A NUL in the path is Python's bare ValueError; an abort or an
      // OSError is a URLError.
      if (err instanceof TypeError || err instanceof URLError) throw err;
      throw new URLError(asPythonOSError(err, localfile));
    }
    throw notLocal("file not on local host");
  }
}

/**
 * `work`, or a rejection with `URLError(signal.reason)` once `signal`
 * aborts (`onAbort` then runs: the work may still be waiting, on a FIFO
 * without a writer, say).
 */
function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | null,
  onAbort: () => void,
): Promise<T> {
  if (signal === null) return work;
  if (signal.aborted) {
    onAbort();
    return Promise.reject(new URLError(signal.reason));
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(new URLError(signal.reason));
    };
    signal.addEventListener("abort", abort, { once: true });
    work.then(resolve, reject).finally(() =>
      signal.removeEventListener("abort", abort)
    );
  });
}

/**
 * Opens `path` for reading; an abort rejects at once. An open of a FIFO
 * still waiting then has no writer: opening its other end lets it finish
 * (it would keep the process alive), and both are closed.
 */
async function openUntilAborted(
  path: string,
  signal: AbortSignal | null,
  fifo: boolean,
): Promise<Deno.FsFile> {
  let waiting = true;
  const opening = Deno.open(path, { read: true });
  opening.then(() => waiting = false, () => waiting = false);
  let abandoned = false;
  try {
    return await untilAborted(opening, signal, () => abandoned = true);
  } finally {
    if (abandoned) {
      opening.then((file) => file.close(), () => {});
      if (waiting && fifo) void releaseFifo(path);
    }
  }
}

async function releaseFifo(path: string): Promise<void> {
  try {
    (await Deno.open(path, { write: true })).close();
  } catch {
    // Gone, or not ours to open: the open waits on.
  }
}
