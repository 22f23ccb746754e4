/**
 * `SimpleHTTPRequestHandler`: serves the files of one folder, as Python's,
 * with streaming, ranges, validators and path confinement added.
 *
 * Follows CPython 3.13 `Lib/http/server.py`, `SimpleHTTPRequestHandler`.
 *
 * @module
 */
import { isAmong, secretNames } from "./_secret_files.ts";
import { isUtf8 } from "node:buffer";
import { classAttributes } from "../_util/class_attributes.ts";
import { checkOptionNames, registerOptionNames } from "./_handler_args.ts";
import type { Address, BaseServer } from "../socketserver/base_server.ts";
import type { StreamConnection } from "../socketserver/_socket_io.ts";
import { parseHttpDateUtc, unmodifiedSince } from "./_dates.ts";
import {
  contentTag,
  etagMatches,
  ifNoneMatchOf,
  mentionsContentTag,
  stampTag,
  variantETag,
} from "./_etag.ts";
import {
  type CachedFile,
  type CacheStore,
  lookupFile,
  pinFile,
  storeFile,
  storeOf,
  unpinFile,
} from "./_file_cache.ts";
import { fileStamp, isSettled, secondIsOver } from "./_file_stamp.ts";
import {
  asFsFile,
  atEnd,
  BufferedFile,
  closeSource,
  type CopySource,
  type OpenedFile,
  OpenFile,
  pipeTo,
  readExactly,
  readWhole,
  SMALL_FILE,
  startsAsUtf8,
} from "./_file_source.ts";
import {
  encodeListing,
  type ListingEntry,
  listingHtml,
  sortEntries,
} from "./_listing.ts";
import {
  type BuiltListing,
  type CachedListing,
  listingPage,
  lookupListing,
  sharedListingPage,
  storeListing,
} from "./_listing_cache.ts";
import {
  isFolderItself,
  realRoot,
  startsWithFolder,
  statPlainPathInside,
  UNDECIDED,
} from "./_inside.ts";
import {
  nodeOpenWorks,
  openFollowingLinks,
  openLinkFree,
  openNameOnly,
  type OpenNode,
} from "./_open_node.ts";
import { checkPath } from "./_stat_batch.ts";
import { outOfDescriptors } from "../_util/os_error.ts";
import {
  contentTypeFor,
  extensionOf,
  guessFileType,
} from "../_util/mime_types.ts";
import { parseRange } from "./_range.ts";
import { joinName, locationPath, translateUrlPath } from "./_translate.ts";
import { urlsplit, urlunsplit } from "../urllib/parse/split.ts";
import type { SplitResult } from "../urllib/parse/results.ts";
// File names that are not UTF-8: calls that take and give them exactly.
import * as byteNames from "./_byte_names.ts";
import { readEntries } from "./_directory_entries.ts";
import {
  BaseHTTPRequestHandler,
  BODY_FOLLOWS_HEAD,
  SEND_KEPT_HEAD,
} from "./base_handler.ts";
import { FileCache } from "./file_cache.ts";
import type { ResponseWriter } from "./io.ts";

const IS_WINDOWS = Deno.build.os === "windows";
const SEP = IS_WINDOWS ? "\\" : "/";
/** Keyword options of {@linkcode SimpleHTTPRequestHandler}. */
export interface SimpleHTTPRequestHandlerOptions {
  /** The folder to serve (default: the current directory). */
  directory?: string | null;
  /**
   * Serve files reached through symbolic links that resolve outside
   * `directory` (default `false`: they get 404; Python follows them).
   */
  follow_symlinks?: boolean;
  /**
   * Hold small files and folder listings in memory, never stale: a
   * {@linkcode FileCache}, or `true` for one shared default instance
   * (default `null`: read from disk on every request, as Python).
   */
  cache?: FileCache | boolean | null;
  /**
   * Files never served (404) nor, by `HostingHTTPRequestHandler`'s
   * uploads, replaced, whether named by their path or reached through a
   * link, and left out of listings (default none; Python serves and lists
   * whatever the folder holds). `serve` puts its TLS key, certificate, key
   * password and `--auth-file` here.
   */
  secret_files?: readonly string[];
}

/**
 * Python's extra `extensions_map` entries, for compressed files. Shared by
 * every handler class that does not set its own, and open to changes, as
 * Python's class attribute is (`extensions_map[".wasm"] = ...`).
 */
const DEFAULT_EXTENSIONS_MAP: Record<string, string> = {
  ".gz": "application/gzip",
  ".Z": "application/octet-stream",
  ".bz2": "application/x-bzip2",
  ".xz": "application/x-xz",
};

/** Every option's name (the type makes the list complete). */
const OPTION_NAMES: Record<keyof SimpleHTTPRequestHandlerOptions, true> = {
  directory: true,
  follow_symlinks: true,
  cache: true,
  secret_files: true,
};

/** A path that a link leads out of the folder. */
const OUTSIDE: unique symbol = Symbol("outside");

/**
 * A name that led to another file when opened than when checked, or a
 * file whose size changed before it was read.
 */
const CHANGED: unique symbol = Symbol("changed");

/**
 * What `send_head` found of a file: what it knows of it, `null` once an
 * error was sent, or {@linkcode CHANGED}.
 */
type Found = FileState | null | typeof CHANGED;

/** How many times `send_head` looks at a file that keeps changing. */
const READ_ATTEMPTS = 3;

type FileId = Pick<Deno.FileInfo, "dev" | "ino">;

/** Whether `a` and `b` describe the same file (device and inode). */
function sameFile(a: FileId, b: FileId): boolean {
  return a.ino === b.ino && a.dev === b.dev;
}

/**
 * What `#check` found at a path: its metadata, `null` for none, or
 * {@linkcode OUTSIDE} when a link leads it out of the folder and links may
 * not; when it was taken; and, where the folder boundary applies, `real`:
 * the absolute path to the same file along which no name is a link (what
 * the file is opened by, when this system can open without following
 * links), else `null`.
 */
interface Checked {
  readonly info: Deno.FileInfo | null | typeof OUTSIDE;
  readonly checkedAt: number;
  readonly real: string | null;
}

/** The folder `send_head` found to list, as `list_directory` reads it. */
interface Listed extends Checked {
  readonly path: string;
  readonly info: Deno.FileInfo;
  readonly cached: CachedListing | null;
}

/**
 * The file `node` opened (see `_open_node.ts`), when it is the regular
 * file checked (`info`): a small one is left to be read synchronously as
 * it was opened, a larger one becomes a `Deno.FsFile`, read without
 * blocking. `null` when it is not a regular file or cannot be read;
 * {@linkcode CHANGED} when the path led elsewhere by then (another file
 * renamed in, a link put on the way, nothing).
 */
function checkedFile(
  node: OpenNode | null,
  info: Deno.FileInfo,
): OpenedFile | null | typeof CHANGED {
  if (node === null) return CHANGED;
  if (!sameFile(node, info)) {
    node.close();
    return CHANGED;
  }
  // A folder made where the file was may even get its inode number.
  if (!node.isFile) {
    node.close();
    return null;
  }
  if (info.size <= SMALL_FILE) return node;
  try {
    return node.toFsFile(); // Closes the node.
  } catch (error) {
    if (outOfDescriptors(error)) throw error;
    return null;
  }
}

/**
 * Whether the file `info` describes is still at `path` (reached as it was
 * to be opened) though it could not be opened for reading: it may not be
 * read (mode 000). Python's `open` raises then and the answer is 404; it
 * is no change to look at again.
 */
function unreadable(
  path: string,
  followLinks: boolean,
  info: Deno.FileInfo,
): boolean {
  using node = openNameOnly(path, followLinks);
  return node !== null && node.isFile && sameFile(node, info);
}

/**
 * Opens `path` for reading, or `null` if it cannot be. Asynchronously: a
 * FIFO swapped in for the file checked blocks the open, which must not
 * stall every other request.
 */
async function openOrNull(path: string): Promise<Deno.FsFile | null> {
  try {
    return await byteNames.open(path, { read: true });
  } catch (error) {
    if (outOfDescriptors(error)) throw error;
    return null;
  }
}

/** What `send_head` knows of a file it is about to answer for. */
export interface FileState {
  readonly info: Deno.FileInfo;
  /** The whole file, when it is in memory (cached or small). */
  readonly bytes: Uint8Array | null;
  /** The open file, when it is not. */
  readonly file: OpenedFile | null;
  /** Its entity tag, if one can be trusted (see `_etag.ts`). */
  readonly etag: string | null;
  /** Its content tag, computed on demand (`null` when not in memory). */
  readonly contentTag: () => string | null;
  /**
   * Tells the state that the whole file was read into `bytes` (valid for
   * this response), so that its content tag can come from them once the
   * file is closed.
   */
  readonly readWhole: (bytes: Uint8Array) => void;
  /**
   * Whether its bytes are UTF-8 (its first 4 KiB, for a file left on
   * disk), so that a text type may say `charset=utf-8`.
   */
  readonly utf8: () => boolean;
  /**
   * Whether its last change is more than a second old. A date validator
   * (`If-Modified-Since`, a date in `If-Range`) has one-second resolution, so
   * for a file changed within the second it cannot tell the versions apart
   * (RFC 9110 §8.8.2.2): such a file is always sent whole.
   */
  readonly settled: boolean;
  /**
   * Its mtime in whole seconds, once that second is over; `null` before.
   * Only such a date is sent as `Last-Modified`: a client given the date
   * while its second still ran could hold a version changed again in that
   * second, and would send a date that the newer version matches.
   */
  readonly lastModified: number | null;
  /** The cache entry its bytes come from, if they do. */
  readonly entry: CachedFile | null;
}

/**
 * What `handler`'s last `send_head` knew of the file it answered for,
 * forgotten as it is taken; `undefined` when it answered for no file. The
 * hosting handler holds the head back and decides 304s itself, for the
 * variant it sends (compressed, with live reload), from what the base knew.
 */
export let takeAnsweredFile: (
  handler: SimpleHTTPRequestHandler,
) => FileState | undefined;

/**
 * Whether the client's copy of `state`'s file is current: `If-None-Match`
 * names its tag (or its content tag, which a client holds when it fetched
 * the file just after a change), else `If-Modified-Since` is not before
 * its `Last-Modified` and the file has settled. With `suffix`, the tags
 * are those of the variant `suffix` names (`"…-gzip"`).
 */
export function fileNotModified(
  ifNoneMatch: string | null,
  ifModifiedSince: string | null,
  state: FileState,
  suffix: string | null = null,
): boolean {
  if (ifNoneMatch !== null) {
    const tagged = (tag: string | null) =>
      tag !== null && suffix !== null ? variantETag(tag, suffix) : tag;
    return etagMatches(ifNoneMatch, tagged(state.etag)) ||
      (mentionsContentTag(ifNoneMatch) &&
        etagMatches(ifNoneMatch, tagged(state.contentTag())));
  }
  const { settled, lastModified } = state;
  if (ifModifiedSince === null || !settled || lastModified === null) {
    return false;
  }
  return unmodifiedSince(ifModifiedSince, lastModified);
}

/**
 * Serves the files under `directory` (default: the current directory) for
 * GET and HEAD, as Python's `http.server.SimpleHTTPRequestHandler`:
 * `index.html` then `index.htm` for folders, else a listing in Python's
 * HTML shape; a 301 adding the trailing slash to folder URLs (query kept);
 * `Last-Modified` and `If-Modified-Since`; 404 for what is missing.
 *
 * Beyond Python, on by default: files stream (a large file is never held in
 * memory, and a client that goes away closes it); `Range` requests (206,
 * or 416 when unsatisfiable) with `Accept-Ranges`; `ETag` and
 * `If-None-Match`; `; charset=utf-8` on text types; no request path
 * leaves the folder (`..`, `%2e%2e`, encoded slashes, backslashes, NUL,
 * drive letters), and a symbolic link resolving outside it gets 404 unless
 * `follow_symlinks` is set.
 *
 * Other differences: a backslash sent as is separates path segments on
 * every system, as browsers read it (a name holding one is reached as
 * `%5C`, as listings link it); a request for
 * several ranges gets the whole file (200); only regular files are opened
 * (a FIFO or device gets 404 instead of hanging the server); MIME types
 * come from CPython 3.13's built-in table for every extension in it and the
 * `mime-db` package for the rest, never from the host's `/etc/mime.types`
 * (which a Python on that host would read). Metadata and files up to
 * 64 KiB are read with synchronous calls, as Python reads them, which is
 * fastest on a local disk.
 *
 * Give options the way Python uses `functools.partial`:
 * `SimpleHTTPRequestHandler.partial({ directory: "public" })` returns a
 * handler class bound to them.
 *
 * @example Serve a folder
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HTTPServer, SimpleHTTPRequestHandler } from "@pyport/web/http/server";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/hello.txt`, "Hello World");
 * class Quiet extends SimpleHTTPRequestHandler {
 *   override log_message(): void {}
 * }
 * await using server = new HTTPServer(["127.0.0.1", 0], Quiet.partial({ directory: dir }));
 * const done = server.serve_forever();
 * const res = await fetch(`http://127.0.0.1:${server.server_port}/hello.txt`);
 * assert(res.headers.get("content-type") === "text/plain; charset=utf-8");
 * assert(await res.text() === "Hello World");
 * await server.shutdown();
 * await done;
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class SimpleHTTPRequestHandler extends BaseHTTPRequestHandler {
  /** File names served for a folder URL, first found wins. */
  declare index_pages: readonly string[];
  /** Extension to type entries consulted before the MIME database. */
  declare extensions_map: Record<string, string>;

  /**
   * The class's `extensions_map`, as Python's class attribute: changing it
   * changes the types every handler of the class (and of subclasses that
   * set none of their own) sends.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { SimpleHTTPRequestHandler } from "@pyport/web/http/server";
   * class Handler extends SimpleHTTPRequestHandler {}
   * Handler.extensions_map[".md"] = "text/markdown";
   * const handler = new Handler(null!, ["127.0.0.1", 1], null!);
   * equal(handler.guess_type("README.md"), "text/markdown");
   * delete Handler.extensions_map[".md"];
   * ```
   */
  declare static extensions_map: Record<string, string>;
  /** `index_pages` for the class and its subclasses (a Python class attribute). */
  declare static index_pages: readonly string[];

  static {
    classAttributes<SimpleHTTPRequestHandler>(this, {
      server_version: "SimpleHTTP/0.6",
      index_pages: ["index.html", "index.htm"],
      extensions_map: DEFAULT_EXTENSIONS_MAP,
    });
    registerOptionNames(this, Object.keys(OPTION_NAMES));
    takeAnsweredFile = (handler) => {
      const state = handler.#answeredFile;
      handler.#answeredFile = undefined;
      return state;
    };
  }
  /** The folder served. */
  directory: string;
  /** Whether symbolic links may lead outside `directory`. */
  follow_symlinks: boolean;
  /** The in-memory cache of files and listings, or `null` for none. */
  cache: FileCache | null;
  /** Files never served, listed nor replaced by an upload (see the option). */
  secret_files: readonly string[];
  #listed: Listed | null = null;
  /** What the last `send_head` knew of the file it answered for. */
  #answeredFile: FileState | undefined = undefined;
  /** The cache entries whose bytes the current request may still send. */
  readonly #pinned: CachedFile[] = [];
  /** The request they were pinned for (its headers, new with each request). */
  #pinnedFor: unknown = null;

  /**
   * Creates the handler for one connection; the server calls this. Bind
   * options with {@linkcode SimpleHTTPRequestHandler.partial}.
   */
  constructor(
    request: StreamConnection,
    client_address: Address,
    server: BaseServer<StreamConnection>,
    options: SimpleHTTPRequestHandlerOptions = {},
  ) {
    super(request, client_address, server);
    checkOptionNames(new.target, options);
    // An empty folder is the current one (as Python joins onto ""), never
    // the file system's root, which Python serves for "/" then.
    this.directory = options.directory || Deno.cwd();
    this.follow_symlinks = options.follow_symlinks ?? false;
    const cache = options.cache ?? null;
    this.cache = cache === true ? sharedCache() : cache || null;
    this.secret_files = options.secret_files ?? [];
  }

  /**
   * A subclass of this class with `options` bound, to pass to
   * `HTTPServer` (Python: `functools.partial(Handler, directory=...)`).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { SimpleHTTPRequestHandler } from "@pyport/web/http/server";
   * const Handler = SimpleHTTPRequestHandler.partial({ directory: "/srv/www" });
   * const handler = new Handler(null!, ["127.0.0.1", 1], null!);
   * equal(handler.directory, "/srv/www");
   * ```
   */
  static partial<T extends typeof SimpleHTTPRequestHandler>(
    this: T,
    options: SimpleHTTPRequestHandlerOptions,
  ): T {
    const Base = this as typeof SimpleHTTPRequestHandler;
    const Bound = class extends Base {
      constructor(
        request: StreamConnection,
        client_address: Address,
        server: BaseServer<StreamConnection>,
        more: SimpleHTTPRequestHandlerOptions = {},
      ) {
        super(request, client_address, server, { ...options, ...more });
      }
    };
    Object.defineProperty(Bound, "name", { value: Base.name });
    return Bound as unknown as T;
  }

  /**
   * Serves a GET request: the head, then the file or listing. A small file
   * or listing is read before its head is sent, so both leave in one write.
   */
  do_GET(): void | Promise<void> {
    const source = this.send_head();
    if (source instanceof Promise) {
      return source.then((ready) => this.#copyAndClose(ready));
    }
    return this.#copyAndClose(source);
  }

  #copyAndClose(source: CopySource | null): void | Promise<void> {
    // What send_head knew of the file was for the hosting handler, which
    // took it then: not kept alive while the connection idles.
    this.#answeredFile = undefined;
    if (source === null) return this.#unpin();
    let copied;
    try {
      copied = this.copyfile(source, this.wfile);
    } catch (error) {
      this.#done(source);
      throw error;
    }
    if (copied instanceof Promise) {
      return copied.finally(() => this.#done(source));
    }
    this.#done(source);
  }

  /** Closes `source` and lets go of the cache entry it came from. */
  #done(source: CopySource | null): void {
    // Fewer bytes than announced: the client cannot tell where the next
    // response starts, so none follows on this connection.
    if (source instanceof OpenFile && source.short) {
      this.close_connection = true;
    }
    try {
      closeSource(source);
    } finally {
      this.#unpin();
    }
  }

  /**
   * Pins `entry` until the request is done: a subclass may call
   * `send_head` for several files and write them all at the end. Pins of
   * an earlier request that did not end through `do_GET` or `do_HEAD` go
   * now.
   */
  #pin(entry: CachedFile): void {
    if (this.#pinnedFor !== this.headers) {
      this.#unpin();
      this.#pinnedFor = this.headers;
    }
    pinFile(entry);
    this.#pinned.push(entry);
  }

  #unpin(): void {
    const pinned = this.#pinned;
    if (pinned.length === 0) return;
    for (const entry of pinned) unpinFile(entry);
    pinned.length = 0;
  }

  /** Lets go of a cache entry a custom `do_GET` left pinned, then finishes. */
  override finish(): Promise<void> {
    this.#unpin();
    return super.finish();
  }

  /** Serves a HEAD request: the head GET would send. */
  do_HEAD(): void | Promise<void> {
    const source = this.send_head();
    if (source instanceof Promise) {
      return source.then((ready) => this.#done(ready));
    }
    this.#done(source);
  }

  /**
   * Sends the response head for GET and HEAD and returns the body to send
   * (bytes, or an open file `copyfile` streams and the caller closes), or
   * `null` when there is nothing more to send (errors, redirects, 304).
   * This class returns a promise of it; an override may return it as it
   * is (`this.send_error(403); return null;`), as a Python port does.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { createFetchHandler, SimpleHTTPRequestHandler } from "@pyport/web/http/server";
   * const dir = await Deno.makeTempDir();
   * await Deno.mkdir(`${dir}/docs`);
   * class Quiet extends SimpleHTTPRequestHandler {
   *   override log_message(): void {}
   * }
   * const res = await createFetchHandler(Quiet.partial({ directory: dir }))(
   *   new Request("http://localhost/docs?x=1", { redirect: "manual" }),
   * );
   * equal(res.status, 301);
   * equal(res.headers.get("location"), "/docs/?x=1");
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  send_head(): CopySource | null | Promise<CopySource | null> {
    return this.#sendHeadOrBusy();
  }

  async #sendHeadOrBusy(): Promise<CopySource | null> {
    try {
      return await this.#sendHead();
    } catch (error) {
      // No file descriptor left to open the file or folder: it is there,
      // so not 404 (which a cache may keep), but an answer to retry later
      // (Python's open fails and it answers 404 "File not found"). The
      // connection closes, giving a descriptor back.
      if (!outOfDescriptors(error)) throw error;
      this.send_error(503, "Too many open files");
      return null;
    }
  }

  async #sendHead(): Promise<CopySource | null> {
    let path = this.translate_path(this.path);
    // Metadata and small files are read with synchronous calls, as Python
    // does: on a local disk they take microseconds, far less than handing
    // each one to a worker thread. The requests read in one turn share a
    // path's stat, taken after all of them arrived; `checkedAt`, taken
    // just before it, tells how long ago a file last changed, which
    // decides whether its stat can be trusted to reveal the next change
    // (see FileCache).
    let { info, checkedAt, real } = await this.#check(path);
    if (info === OUTSIDE) {
      this.send_error(404, "File not found");
      return null;
    }
    if (info?.isDirectory) {
      const target = urlsplit(this.path);
      if (!target.path.endsWith("/")) {
        this.send_response(301);
        this.send_header("Location", folderLocation(this.path, target));
        this.send_header("Content-Length", "0");
        this.end_headers();
        return null;
      }
      const store = storeOf(this.cache);
      const cached = store &&
        lookupListing(store, path, info, this.index_pages);
      // A cached listing means the folder is known to have no index page.
      const index = cached ? null : await this.#findIndex(path);
      if (!index) {
        this.#listed = { path, info, checkedAt, real, cached };
        return await this.list_directory(path);
      }
      if (index === OUTSIDE) {
        this.send_error(404, "File not found");
        return null;
      }
      [path, info, real] = index;
    }
    if (isAmong(this.secret_files, path, info)) {
      this.send_error(404, "File not found");
      return null;
    }
    const ctype = this.guess_type(path);
    // Only regular files are opened: opening a FIFO or device could block.
    if (!info?.isFile || path.endsWith("/")) {
      this.send_error(404, "File not found");
      return null;
    }
    let fileInfo = info;
    for (let attempt = 1;; attempt++) {
      let state = this.#fileState(path, fileInfo, checkedAt, real);
      if (state instanceof Promise) state = await state;
      if (state === null) return null;
      if (state !== CHANGED) {
        const sent = this.#sendFileHeadOrClose(state, ctype);
        if (sent !== CHANGED) return sent;
      }
      // Not the file checked by the time it was opened (another renamed
      // in), or a size other than checked by the time it was read (an
      // editor's save truncates, then writes): nothing is sent yet, so look
      // again rather than fail the request.
      if (attempt === READ_ATTEMPTS) {
        this.send_error(500, "File changed while being read");
        return null;
      }
      const again = await this.#check(path);
      if (again.info === null || again.info === OUTSIDE || !again.info.isFile) {
        this.send_error(404, "File not found");
        return null;
      }
      ({ info: fileInfo, checkedAt, real } = again);
    }
  }

  /** {@linkcode #sendFileHead}, closing the file when it throws. */
  #sendFileHeadOrClose(
    state: FileState,
    ctype: string,
  ): CopySource | null | typeof CHANGED {
    try {
      return this.#sendFileHead(state, ctype);
    } catch (error) {
      state.file?.close();
      throw error;
    }
  }

  /**
   * The first of `index_pages` in folder `path` that is a regular file
   * (links followed), and its metadata; {@linkcode OUTSIDE} when a link
   * leads it out of the folder and links may not.
   */
  async #findIndex(
    path: string,
  ): Promise<[string, Deno.FileInfo, string | null] | typeof OUTSIDE | null> {
    for (const page of this.index_pages) {
      const candidate = joinName(path, page);
      const { info, real } = await this.#check(candidate);
      if (info === OUTSIDE) {
        if (byteNames.statOrNull(candidate)?.isFile) return OUTSIDE;
        continue;
      }
      if (!info?.isFile) continue;
      return [candidate, info, real];
    }
    return null;
  }

  /**
   * The bytes of regular file `path` from the cache when `info` (just
   * taken) shows them current (at once, without a promise); else read from
   * disk when small (and cached when safe), or the open file. `null` after
   * sending an error.
   */
  #fileState(
    path: string,
    info: Deno.FileInfo,
    checkedAt: number,
    real: string | null,
  ): Found | Promise<Found> {
    const store = storeOf(this.cache);
    const entry = store && lookupFile(store, path, info);
    if (entry) return this.#stateOf(info, checkedAt, entry.bytes, null, entry);
    return this.#fileStateFromDisk(path, info, checkedAt, real, store);
  }

  async #fileStateFromDisk(
    path: string,
    info: Deno.FileInfo,
    checkedAt: number,
    real: string | null,
    store: CacheStore | null,
  ): Promise<Found> {
    let entry: CachedFile | null = null;
    let bytes: Uint8Array | null = null;
    let file = await this.#openChecked(path, info, real);
    if (file === CHANGED) return CHANGED;
    if (!file) {
      this.send_error(404, "File not found");
      return null;
    }
    // Read now what the cache takes, and a file changed within the last
    // second (its tag is its content's); other small files are read
    // after the checks, into a reused buffer.
    const admitted = store !== null && store.admits(path, info.size);
    if (
      info.size <= Math.max(SMALL_FILE, store?.maxFileSize ?? 0) &&
      (admitted || !isSettled(info, checkedAt))
    ) {
      try {
        bytes = await readWhole(file, info.size);
      } finally {
        file.close();
        file = null;
      }
      if (bytes === null) return CHANGED;
      if (store) entry = storeFile(store, path, info, checkedAt, bytes);
    }
    return this.#stateOf(info, checkedAt, bytes, file, entry);
  }

  /** What `send_head` knows of a file: its bytes in memory or its open file. */
  #stateOf(
    info: Deno.FileInfo,
    checkedAt: number,
    bytes: Uint8Array | null,
    file: OpenedFile | null,
    entry: CachedFile | null,
  ): FileState {
    // The bytes stay the entry's own until the response is done, even if
    // the entry leaves the cache meanwhile.
    if (entry) this.#pin(entry);
    const stamp = entry
      ? entry.stamp
      : isSettled(info, checkedAt)
      ? fileStamp(info)
      : null;
    const mtimeMs = info.mtime?.getTime() ?? 0;
    let tag: string | null = null;
    let whole = bytes;
    return {
      info,
      bytes,
      file,
      settled: stamp !== null,
      lastModified: secondIsOver(mtimeMs, checkedAt)
        ? Math.floor(mtimeMs / 1000)
        : null,
      entry,
      etag: entry?.etag ??
        (stamp ? stampTag(stamp) : bytes && contentTag(bytes)),
      contentTag: () => {
        if (entry) return entry.contentTag ??= contentTag(entry.bytes);
        if (whole) return tag ??= contentTag(whole);
        // A small file left for later reading: read it for its tag (a
        // client holds one when it fetched the file just after a change).
        if (file === null || info.size > SMALL_FILE || tag !== null) return tag;
        const read = readExactly(file, 0, info.size);
        file.seekSync(0, Deno.SeekMode.Start);
        return tag = read && contentTag(read);
      },
      readWhole: (read) => void (whole = read),
      utf8: () => {
        if (entry) return entry.utf8 ??= isUtf8(entry.bytes);
        if (whole) return isUtf8(whole);
        return file === null || startsAsUtf8(file, info.size);
      },
    };
  }

  /**
   * Sends the head for the file `state` describes and returns its body;
   * {@linkcode CHANGED}, with nothing sent, when the file no longer has
   * the size checked.
   */
  #sendFileHead(
    state: FileState,
    ctype: string,
  ): CopySource | null | typeof CHANGED {
    const { info, bytes, file, etag } = state;
    const size = info.size;
    this.#answeredFile = state;
    const headers = this.headers;
    if (
      fileNotModified(
        ifNoneMatchOf(headers),
        headers.get("If-Modified-Since"),
        state,
      )
    ) {
      file?.close();
      this.send_response(304);
      if (etag !== null) this.send_header("ETag", etag);
      this.end_headers();
      return null;
    }
    let start = 0;
    let length = size;
    let status = 200;
    const rangeHeader = this.headers.get("Range");
    if (rangeHeader !== null && this.#rangeApplies(state)) {
      const range = parseRange(rangeHeader, size);
      if (range === "unsatisfiable") {
        file?.close();
        this.send_response(416);
        this.send_header("Content-Range", `bytes */${size}`);
        this.send_header("Content-Length", "0");
        this.end_headers();
        return null;
      }
      if (range) {
        status = 206;
        start = range.start;
        length = range.end - range.start + 1;
      }
    }
    const typeOf = () => contentTypeFor(ctype, () => state.utf8());
    let type: string | null = null;
    let body: CopySource;
    if (bytes !== null) {
      body = length === size ? bytes : bytes.subarray(start, start + length);
    } else if (this.command !== "HEAD" && length <= SMALL_FILE) {
      // A part of it: its type is found while the file is still open.
      if (length !== size) type = typeOf();
      // Read before sending the head, so head and body leave together.
      const part = BufferedFile.read(file!, start, length);
      const changed = part === null || (length === size && !atEnd(file!));
      file!.close();
      if (changed) {
        part?.close();
        return CHANGED;
      }
      if (length === size) state.readWhole(part.bytes);
      body = part;
    } else {
      // Found before the file is handed over as a stream.
      type = typeOf();
      body = new OpenFile(asFsFile(file!), start, length);
    }
    const fields = (): [string, string][] => {
      const lines: [string, string][] = [
        ["Content-type", type ?? typeOf()],
        ["Content-Length", String(length)],
      ];
      if (status === 206) {
        const range = `bytes ${start}-${start + length - 1}/${size}`;
        lines.push(["Content-Range", range]);
      }
      if (state.lastModified !== null) {
        const date = this.date_time_string(state.lastModified);
        lines.push(["Last-Modified", date]);
      }
      if (etag !== null) lines.push(["ETag", etag]);
      lines.push(["Accept-Ranges", "bytes"]);
      return lines;
    };
    const entry = state.entry;
    if (
      status === 200 && entry !== null &&
      this.#sendCachedHead(entry, ctype, state.lastModified, fields)
    ) {
      return body;
    }
    this.send_response(status);
    for (const [name, value] of fields()) this.send_header(name, value);
    this.end_headers();
    return body;
  }

  /**
   * Sends the `200` head of cached file `entry` from what is kept with it
   * (made on first use, or again when the type or date it was made for has
   * changed, from `fields`): what `send_response`, `send_header` and
   * `end_headers` would send, for a fraction of their cost. `false`,
   * sending nothing, when this handler's hooks must make the head (a
   * subclass overrides one). An entry keeps one head: handler classes with
   * different settings sharing a cache remake it as they take turns.
   */
  #sendCachedHead(
    entry: CachedFile,
    ctype: string,
    lastModified: number | null,
    fields: () => [string, string][],
  ): boolean {
    const kept = entry.head;
    const usable = kept !== undefined && kept.type === ctype &&
        kept.lastModified === lastModified
      ? kept.template
      : null;
    const sent = this[SEND_KEPT_HEAD](200, usable, fields);
    if (sent === null) return false;
    if (sent !== usable) {
      entry.head = { template: sent, type: ctype, lastModified };
    }
    return true;
  }

  #rangeApplies(state: FileState): boolean {
    // An HTTP/0.9 response is the body alone: it could not say it is a part.
    if (this.request_version === "HTTP/0.9") return false;
    const ifRange = this.headers.get("If-Range");
    if (ifRange === null) return true;
    const tag = ifRange.trim();
    if (tag.startsWith('"')) {
      return tag === state.etag ||
        (mentionsContentTag(tag) && tag === state.contentTag());
    }
    const date = parseHttpDateUtc(ifRange);
    return state.settled && date !== null && date === state.lastModified;
  }

  /**
   * Opens `path`, the file the check saw (`info`); `null` when it cannot
   * be opened or is not a regular file; {@linkcode CHANGED} (closed) when
   * the name led to another file than the one checked. Where the folder
   * boundary applies, the check and an open by name would each resolve the
   * path anew: a link swapped in for the file or a folder on the way
   * between the two would have us open what was never checked. So the
   * file is opened by its `real` path without following any link, where
   * this system can (see `_open_node.ts`); elsewhere, its path is checked
   * again once it is open (in the next round of shared checks, which all
   * the files opened meanwhile join), which leaves such a swap only the
   * time between two system calls. Either open leaves a FIFO swapped in
   * unable to stall other requests.
   */
  async #openChecked(
    path: string,
    info: Deno.FileInfo,
    real: string | null,
  ): Promise<OpenedFile | null | typeof CHANGED> {
    if (nodeOpenWorks()) {
      const node = real === null
        ? openFollowingLinks(path)
        : openLinkFree(real);
      if (node === null && unreadable(real ?? path, real === null, info)) {
        return null;
      }
      return checkedFile(node, info);
    }
    const file = await openOrNull(path);
    if (file === null) return null;
    let verdict: Deno.FsFile | null | typeof CHANGED = null;
    try {
      verdict = await this.#lookAgain(file, path, info);
      return verdict;
    } finally {
      if (verdict !== file) file.close();
    }
  }

  async #lookAgain(
    file: Deno.FsFile,
    path: string,
    info: Deno.FileInfo,
  ): Promise<Deno.FsFile | null | typeof CHANGED> {
    const opened = file.statSync();
    // A folder made where the file was may even get its inode number.
    if (!opened.isFile) return null;
    if (info.ino === null) return file; // Windows reports no inode to compare.
    if (!sameFile(opened, info)) return CHANGED;
    if (this.follow_symlinks || !startsWithFolder(path, this.directory)) {
      return file;
    }
    const now = (await this.#check(path)).info;
    return now !== null && now !== OUTSIDE && sameFile(now, opened)
      ? file
      : null;
  }

  /**
   * What is at `path` by this turn's shared checks (see `checkPath`),
   * with the general check for a path the shortcut leaves undecided.
   */
  async #check(path: string): Promise<Checked> {
    const { info, checkedAt } = await checkPath(
      path,
      this.directory,
      this.follow_symlinks,
    );
    if (info !== UNDECIDED) {
      return { info, checkedAt, real: this.#realOfPlain(path) };
    }
    return { ...this.#statThroughLinks(path), checkedAt };
  }

  /**
   * The real path of `path`, which the shortcut found to be the served
   * folder or plain names below it (when links may not be followed; the
   * folder, seen to be the one served, is at its real path).
   */
  #realOfPlain(path: string): string | null {
    if (this.follow_symlinks) return null;
    const folder = this.directory.endsWith(SEP)
      ? this.directory.slice(0, -1)
      : this.directory;
    return realRoot(this.directory) + path.slice(folder.length);
  }

  /**
   * The general check, for a path with a symbolic link on the way: the
   * metadata of the file it resolves to, taken along that file's real path
   * (each name there seen not to be a link), so that the file opened later
   * can be compared with it; `null` when there is none;
   * {@linkcode OUTSIDE} when it resolves outside `directory`. A path
   * outside the folder that `translate_path` returned (only an override
   * does: the default never leaves the folder) was mapped there on
   * purpose, as Python serves it.
   */
  #statThroughLinks(path: string): Omit<Checked, "checkedAt"> {
    if (!startsWithFolder(path, this.directory)) {
      return { info: byteNames.statOrNull(path), real: null };
    }
    let root: string;
    let real: string;
    try {
      root = realRoot(this.directory);
      real = byteNames.realPathSync(path);
    } catch {
      return { info: null, real: null };
    }
    if (!startsWithFolder(real, root)) return { info: OUTSIDE, real: null };
    if (isFolderItself(real, root)) {
      return { info: byteNames.statOrNull(real), real };
    }
    const info = statPlainPathInside(real, root);
    if (info !== UNDECIDED) return { info, real };
    // Undecided on a real path: a link put on the way since it was
    // resolved (the path is changing: none), or a name that is not UTF-8,
    // taken as it is.
    return {
      info: real.isWellFormed() ? null : byteNames.statOrNull(real),
      real,
    };
  }

  /**
   * Sends the head of an HTML listing of folder `path` and returns its
   * bytes; or sends 404 and returns `null` when it cannot be read. This
   * class returns a promise of it; an override may return it as it is.
   *
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { createFetchHandler, SimpleHTTPRequestHandler } from "@pyport/web/http/server";
   * const dir = await Deno.makeTempDir();
   * await Deno.writeTextFile(`${dir}/a b.txt`, "x");
   * class Quiet extends SimpleHTTPRequestHandler {
   *   override log_message(): void {}
   * }
   * const fetchFiles = createFetchHandler(Quiet.partial({ directory: dir }));
   * const page = await (await fetchFiles(new Request("http://localhost/"))).text();
   * ok(page.includes('<li><a href="a%20b.txt">a b.txt</a></li>'));
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  list_directory(path: string): CopySource | null | Promise<CopySource | null> {
    return this.#listDirectory(path);
  }

  async #listDirectory(path: string): Promise<CopySource | null> {
    const listed = this.#listed?.path === path ? this.#listed : null;
    const cached = listed?.cached;
    const page = cached
      ? listingPage(cached, this.path, () => this.#render(cached.entries))
      : await this.#newListingPage(path, listed);
    if (page === null) {
      this.send_error(404, "No permission to list directory");
      return null;
    }
    this.send_response(200);
    this.send_header("Content-type", "text/html; charset=utf-8");
    this.send_header("Content-Length", String(page.length));
    this.end_headers();
    return page;
  }

  /**
   * The listing page of folder `path`, which the cache does not hold, for
   * this request's path, or `null` when the folder cannot be read. Built
   * here, or shared with a request for the same page building it now (see
   * `_shared_builds.ts`) when the folder's stamp is settled.
   */
  async #newListingPage(
    path: string,
    listed: Listed | null,
  ): Promise<Uint8Array | null> {
    const store = storeOf(this.cache);
    const stamp = listed && store
      ? store.trustedStamp(listed.info, listed.checkedAt)
      : null;
    const build = () => this.#buildListingPage(path, listed, store);
    if (store === null || stamp === null) return (await build())?.page ?? null;
    return await sharedListingPage(store, path, this.path, stamp, build);
  }

  /** Reads folder `path` and renders its page, caching what it read. */
  async #buildListingPage(
    path: string,
    listed: Listed | null,
    store: CacheStore | null,
  ): Promise<BuiltListing | null> {
    let entries: readonly ListingEntry[];
    let checked: boolean;
    try {
      const secret = secretNames(this.secret_files, path);
      const read = await this.readListedFolder(
        path,
        (folder, size) => readEntries(folder, size, secret),
      );
      entries = sortEntries(read.value);
      checked = read.checked;
    } catch (error) {
      if (outOfDescriptors(error)) throw error;
      return null;
    }
    // send_head found no index page in the folder before calling here.
    const listing = listed && checked && store
      ? storeListing(
        store,
        path,
        listed.info,
        listed.checkedAt,
        entries,
        this.index_pages,
      )
      : null;
    const page = listing
      ? listingPage(listing, this.path, () => this.#render(entries))
      : this.#render(entries);
    return { page, links: entries.filter((entry) => entry.isSymlink) };
  }

  /** Python's listing page of `entries` for this request's path. */
  #render(entries: readonly ListingEntry[]): Uint8Array {
    return encodeListing(listingHtml(this.path, entries));
  }

  /**
   * What `read` makes of folder `path`, which `send_head` chose to list,
   * and whether it read the very folder `send_head` checked (only then
   * may what it read be cached under that check). `read` gets a path that
   * names the folder, and its size when known. Where the folder boundary
   * applies and this system can, that path names the folder opened by its
   * real path without following any link (as files are opened, see
   * `_open_node.ts`), so that a link swapped in since the check cannot
   * show the names of a folder outside. Listings in subclasses read
   * through this too.
   */
  protected async readListedFolder<T>(
    path: string,
    read: (folder: string, size: number | null) => Promise<T>,
  ): Promise<{ value: T; checked: boolean }> {
    const listed = this.#listed?.path === path ? this.#listed : null;
    if (listed === null) {
      return { value: await read(path, null), checked: false };
    }
    if (listed.real === null || !nodeOpenWorks()) {
      return { value: await read(path, listed.info.size), checked: true };
    }
    using node = openLinkFree(listed.real);
    if (!node?.isDirectory) throw new Deno.errors.NotFound(path);
    const checked = sameFile(node, listed.info);
    const size = checked ? listed.info.size : null;
    return { value: await read(node.alias, size), checked };
  }

  /**
   * Maps the URL path `path` to a file name under `directory`, never
   * leaving it (see the class notes); a trailing `/` is kept.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { SimpleHTTPRequestHandler } from "@pyport/web/http/server";
   * const Handler = SimpleHTTPRequestHandler.partial({ directory: "/srv" });
   * const handler = new Handler(null!, ["127.0.0.1", 1], null!);
   * if (Deno.build.os !== "windows") {
   *   assert(handler.translate_path("/a/%2e%2e/%2e%2e/etc/passwd?x") === "/srv/etc/passwd");
   * }
   * ```
   */
  translate_path(path: string): string {
    return translateUrlPath(path, this.directory);
  }

  /**
   * Sends `source` as the response body: bytes at once, an open file a
   * chunk at a time (each sent before the next is read), a stream waiting
   * (`drain()`) whenever much is queued, so a large file streams in bounded
   * memory. The caller closes the source.
   * Bytes from the file cache are valid until the request ends (the cache
   * frees what it no longer holds then): copy them to keep them longer.
   *
   * @example A subclass that counts the bytes it sends
   * ```ts
   * import { equal } from "node:assert/strict";
   * import {
   *   type CopySource,
   *   createFetchHandler,
   *   type ResponseWriter,
   *   SimpleHTTPRequestHandler,
   * } from "@pyport/web/http/server";
   * const dir = await Deno.makeTempDir();
   * await Deno.writeFile(`${dir}/big.bin`, new Uint8Array(300_000));
   * let sent = 0;
   * class Counting extends SimpleHTTPRequestHandler {
   *   override copyfile(source: CopySource, out: ResponseWriter) {
   *     const counted: ResponseWriter = {
   *       write: (data) => (sent += data.length, out.write(data)),
   *       flush: () => out.flush(),
   *       drain: () => out.drain(),
   *       get closed() {
   *         return out.closed;
   *       },
   *     };
   *     return super.copyfile(source, counted);
   *   }
   *   override log_message(): void {}
   * }
   * const res = await createFetchHandler(Counting.partial({ directory: dir }))(
   *   new Request("http://localhost/big.bin"),
   * );
   * equal((await res.arrayBuffer()).byteLength, 300_000);
   * equal(sent, 300_000);
   * await Deno.remove(dir, { recursive: true });
   * ```
   */
  copyfile(
    source: CopySource,
    outputfile: ResponseWriter,
  ): void | Promise<void> {
    if (source instanceof Uint8Array) {
      outputfile.write(source);
      return;
    }
    if (source instanceof BufferedFile) {
      outputfile.write(source.bytes);
      return;
    }
    if (source instanceof OpenFile) return source.copyTo(outputfile);
    return pipeTo(source.readable, outputfile);
  }

  /**
   * The MIME type for file `path`: `extensions_map` first (exact, then
   * lower-cased extension), then CPython 3.13's table (`.tgz` read as
   * `.tar.gz`, a compression suffix set aside) with the MIME database for
   * extensions it lacks, else `application/octet-stream`.
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { SimpleHTTPRequestHandler } from "@pyport/web/http/server";
   * const handler = new SimpleHTTPRequestHandler(null!, ["127.0.0.1", 1], null!);
   * assert(handler.guess_type("app.js") === "text/javascript");
   * assert(handler.guess_type("a.tar.gz") === "application/gzip");
   * assert(handler.guess_type("README") === "application/octet-stream");
   * ```
   */
  guess_type(path: string): string {
    const ext = extensionOf(path);
    const map = this.extensions_map;
    if (Object.hasOwn(map, ext)) return map[ext] as string;
    const lower = ext.toLowerCase();
    if (Object.hasOwn(map, lower)) return map[lower] as string;
    return guessFileType(path) ?? "application/octet-stream";
  }

  /**
   * Whether `method` (the `do_` method just called) writes its body as
   * soon as its head is made: the package's own `do_GET` and `do_HEAD`,
   * calling the package's own `send_head`, `list_directory` and
   * `copyfile` (a subclass's could wait in between). Package-internal.
   *
   * @ignore
   */
  override [BODY_FOLLOWS_HEAD](method: unknown): boolean {
    return PROMPT_BODIES.has(method) && PROMPT_BODIES.has(this.send_head) &&
      PROMPT_BODIES.has(this.list_directory) &&
      PROMPT_BODIES.has(this.copyfile);
  }
}

/**
 * The package's own file-serving methods, which send a body as soon as its
 * head is made; `HostingHTTPRequestHandler` adds its own.
 */
export const PROMPT_BODIES: Set<unknown> = new Set(
  ["do_GET", "do_HEAD", "send_head", "list_directory", "copyfile"].map(
    (name) =>
      (SimpleHTTPRequestHandler.prototype as unknown as Record<
        string,
        unknown
      >)[
        name
      ],
  ),
);

let sharedFileCache: FileCache | null = null;

/** The cache `cache: true` stands for, made on first use. */
function sharedCache(): FileCache {
  return sharedFileCache ??= new FileCache();
}

/**
 * The `Location` of a folder's 301: the request target with a `/` after its
 * path, rebuilt as Python's `urlunsplit` does. A target that names its host
 * (`http://host//docs`) keeps its path as sent, as in Python: the host
 * before it stays the one a client goes to. Without a host the path is the
 * one this server reads (backslashes as separators, one leading slash), so
 * that `/\evil.example/..` cannot name another site. Safer than Python: a
 * scheme without a host (`http:/x/..`) would come back as Python's
 * `http:///x/..`, which browsers read as host `x`; such a target is sent
 * back as a path of this server, as written.
 */
function folderLocation(written: string, target: SplitResult): string {
  const [scheme, netloc, path, query, fragment] = target;
  if (scheme !== "" && netloc === "") {
    const end = written.search(/[?#]/);
    const asPath = `/${end < 0 ? written : written.slice(0, end)}`;
    return urlunsplit(["", "", locationPath(asPath) + "/", query, fragment]);
  }
  return urlunsplit([
    scheme,
    netloc,
    (netloc === "" ? locationPath(path) : path) + "/",
    query,
    fragment,
  ]);
}
