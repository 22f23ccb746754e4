/**
 * `HostingHTTPRequestHandler`: `SimpleHTTPRequestHandler` with the
 * features people expect of a static-hosting server, each one off until
 * asked for.
 *
 * @module
 */
import { isUtf8 } from "node:buffer";
import { errorArgs, messageArg, registerOptionNames } from "./_handler_args.ts";
import {
  authorized,
  basicChallenge,
  type StoredUser,
  storeUser,
} from "./_auth.ts";
import {
  compress,
  COMPRESS_LIMIT,
  type Encoding,
  ENCODING_SUFFIX,
  ENCODINGS,
  isCompressible,
  releaseCompression,
  reserveCompression,
  ReservedBody,
} from "./_compress.ts";
import { ChangedBodies } from "./_changed_bodies.ts";
import { CORS_HEADERS, optionsHeaders } from "./_cors.ts";
import { isHostPattern } from "./_upload_hosts.ts";
import { readDetailedEntries, readEntries } from "./_directory_entries.ts";
import { secretNames } from "./_secret_files.ts";
import { etagMatches, ifNoneMatchOf, variantETag } from "./_etag.ts";
import { parseHttpDateUtc, unmodifiedSince } from "./_dates.ts";
import { checkExtraHeader } from "./_extra_headers.ts";
import {
  hasExtension,
  isHiddenName,
  isHiddenPath,
  pathOnly,
  relativeTo,
} from "./_hosting_paths.ts";
import {
  isFolderItself,
  isMissing,
  lstatOrNull,
  realRoot,
  startsWithFolder,
} from "./_inside.ts";
import * as byteNames from "./_byte_names.ts";
import { encodeListing, listingHtml, sortEntries } from "./_listing.ts";
import {
  injectLiveReload,
  LIVE_RELOAD_SCRIPT,
  LIVE_RELOAD_SCRIPT_PATH,
} from "./_live_reload.ts";
import { ERROR_PAGE } from "./base_handler.ts";
import { contentTypeFor } from "../_util/mime_types.ts";
import { outOfDescriptors } from "../_util/os_error.ts";
import { HTTPMessage } from "../_util/http_message.ts";
import {
  acceptedEncodings,
  namesMediaType,
  preferredMediaType,
} from "./_negotiate.ts";
import {
  encodeInSlices,
  listingJsonParts,
  listingOrder,
  richListingParts,
  sortDetailed,
} from "./_rich_listing.ts";
import { OneAtATime } from "./_shared_builds.ts";
import { latin1Reason } from "./_response_head.ts";
import { decodesAsUtf8, unquote } from "./_text.ts";
import { joinName, locationPath } from "./_translate.ts";
import {
  bodyChunks,
  checkFileName,
  isUploadInProgress,
  moveIntoPlace,
  receiveForm,
  UploadError,
  writeTemporary,
} from "./_upload.ts";
import {
  checkUploadFolder,
  checkUploadHead,
  placeAll,
  type PlacedFile,
  uploadConflict,
  uploadedAnswer,
} from "./_upload_rules.ts";
import type { Address, BaseServer } from "../socketserver/base_server.ts";
import type { StreamConnection } from "../socketserver/_socket_io.ts";
import type { LiveReload } from "./live_reload.ts";
import {
  closeSource,
  type CopySource,
  SMALL_FILE,
  startsAsUtf8,
} from "./_file_source.ts";
import {
  fileNotModified,
  type FileState,
  PROMPT_BODIES,
  SimpleHTTPRequestHandler,
  type SimpleHTTPRequestHandlerOptions,
  takeAnsweredFile,
} from "./simple_handler.ts";

const IS_WINDOWS = Deno.build.os === "windows";
const SEP = IS_WINDOWS ? "\\" : "/";

/**
 * The listings this handler builds itself (rich, JSON, and Python's with
 * hidden names left out), one at a time per folder: they are never shared
 * nor cached, since each must show sizes and dates read after its request
 * arrived, but the requests that ask for one together need not hold a
 * build's working set each.
 */
const listingTurns = new OneAtATime();

/**
 * Compressed pages and pages with the live reload script, kept by the tag
 * they are sent with (see `_changed_bodies.ts`).
 */
const changedBodies = new ChangedBodies();

/** Bodies smaller than this are not worth compressing. */
const COMPRESS_MIN = 1024;
/** An idle event stream gets a comment this often, to notice a gone client. */
const HEARTBEAT_MS = 15_000;
/**
 * An event stream whose client has left more than this of earlier events
 * unread when the next one comes is closed: one that does not read would
 * hold every change's names until `stall_timeout`.
 */
const UNREAD_EVENTS_LIMIT = 256 * 1024;
/** The default `max_upload`: 1 GiB. */
export const DEFAULT_MAX_UPLOAD: number = 1024 ** 3;

/**
 * One user `auth` accepts: a name with its password, or with the SHA-256
 * of its password (64 hex digits), so the password itself need not be
 * stored anywhere.
 */
export type BasicAuthUser =
  | { readonly user: string; readonly password: string }
  | { readonly user: string; readonly sha256: string };

/** The listing styles of {@linkcode HostingHTTPRequestHandlerOptions.listing}. */
export type ListingStyle = "python" | "rich" | "off";

/** Keyword options of {@linkcode HostingHTTPRequestHandler}. */
export interface HostingHTTPRequestHandlerOptions
  extends SimpleHTTPRequestHandlerOptions {
  /** Let every origin read every response, and answer CORS preflights. */
  cors?: boolean;
  /** Headers added to every response, replacing the server's own of the same name. */
  extra_headers?: readonly (readonly [name: string, value: string | null])[];
  /**
   * Single-page-app fallback: a GET or HEAD for a missing path without a
   * file extension, from a client that names `text/html` in `Accept` (a
   * browser navigating; a wildcard does not count), gets this file (a path
   * relative to `directory`) with status 200.
   */
  spa?: string | null;
  /** A file (relative to `directory`) sent with status 404 to a GET or HEAD of a missing path. */
  not_found_page?: string | null;
  /** A `Cache-Control` value sent with files and listings. */
  cache_control?: string | null;
  /** Leave names starting with `.` out of listings and answer 404 for them (`.well-known` excepted). */
  hide_dotfiles?: boolean;
  /** `"python"` (default: Python's page), `"rich"` (sizes, dates, sorting) or `"off"` (404). */
  listing?: ListingStyle;
  /** Compress compressible types with Brotli or gzip, as the client accepts. */
  compress?: boolean;
  /** Send `x.br` or `x.gz` for `x` where one exists and the client accepts it. */
  precompressed?: boolean;
  /** Require HTTP Basic authentication by one of these users. */
  auth?: readonly BasicAuthUser[] | null;
  /** The realm named in the `WWW-Authenticate` challenge (default `"serve"`). */
  auth_realm?: string;
  /** Accept `PUT` of a file and `multipart/form-data` `POST` to a folder. */
  upload?: boolean;
  /** Let uploads replace existing files. */
  overwrite?: boolean;
  /** Largest upload request body, in bytes (default 1 GiB). */
  max_upload?: number;
  /**
   * Names besides IP addresses and `localhost` by which a browser may
   * address this server to upload (`.name` for a name and every name under
   * it, `"*"` for any): the defence against DNS rebinding.
   */
  upload_hosts?: readonly string[];
  /** Load a reload script in HTML pages; serve it and its event stream. */
  live_reload?: LiveReload | null;
}

/**
 * Whether `If-Modified-Since` (`since`) shows the client's copy of the
 * response in `held` current: the base sends `Last-Modified` only for a
 * file whose second is over.
 */
function heldUnmodifiedSince(since: string | null, held: HeldHead): boolean {
  const header = headerOf(held, "Last-Modified");
  const modified = header === null ? null : parseHttpDateUtc(header);
  return since !== null && modified !== null &&
    unmodifiedSince(since, modified);
}

/** The request headers that hold a validator of the client's copy. */
function isValidator(name: string): boolean {
  const lower = name.toLowerCase();
  return lower === "if-none-match" || lower === "if-modified-since";
}

/** A response head held back by `send_head`, to be changed and then sent. */
interface HeldHead {
  status: [code: number, message: string | null | undefined] | null;
  headers: [string, string][];
}

// Derived once per options array (options objects are copied per request,
// the arrays in them are not).
const storedUsers = new WeakMap<readonly BasicAuthUser[], StoredUser[]>();
const replacedNames = new WeakMap<
  readonly (readonly [string, string | null])[],
  Set<string>
>();

/**
 * Checks what `partial()` binds, so that a mistake shows when the handler
 * is made rather than as a dropped connection on every request.
 */
function checkOptions(options: HostingHTTPRequestHandlerOptions): void {
  if (options.auth) usersOf(options.auth);
  if (options.extra_headers) namesOf(options.extra_headers);
  // The realm goes out in a header: the rule of any header value added.
  if (options.auth_realm !== undefined) {
    checkExtraHeader("WWW-Authenticate", basicChallenge(options.auth_realm));
  }
  for (const name of options.upload_hosts ?? []) {
    if (!isHostPattern(name)) {
      throw new TypeError(
        `upload_hosts: not a host name: ${JSON.stringify(name)}`,
      );
    }
  }
}

function usersOf(auth: readonly BasicAuthUser[]): StoredUser[] {
  let users = storedUsers.get(auth);
  if (users === undefined) {
    users = auth.map(storeUser);
    storedUsers.set(auth, users);
  }
  return users;
}

function namesOf(
  headers: readonly (readonly [string, string | null])[],
): Set<string> {
  let names = replacedNames.get(headers);
  if (names === undefined) {
    for (const [name, value] of headers) checkExtraHeader(name, value);
    names = new Set(headers.map(([name]) => name.toLowerCase()));
    // Vary is a list: an added one joins the server's own (Accept-Encoding
    // for compressed files, Accept for listings), which a cache needs.
    names.delete("vary");
    replacedNames.set(headers, names);
  }
  return names;
}

function headerOf(held: HeldHead, name: string): string | null {
  const lower = name.toLowerCase();
  return held.headers.find(([k]) => k.toLowerCase() === lower)?.[1] ?? null;
}

function setHeader(held: HeldHead, name: string, value: string | null): void {
  const lower = name.toLowerCase();
  held.headers = held.headers.filter(([k]) => k.toLowerCase() !== lower);
  if (value !== null) held.headers.push([name, value]);
}

async function readWhole(source: CopySource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  return new Uint8Array(await new Response(source.readable).arrayBuffer());
}

/** Whether the file at `path` starts as UTF-8 (as the base decides for `x`). */
function fileStartsAsUtf8(path: string): boolean {
  try {
    using file = byteNames.openSync(path);
    return startsAsUtf8(file, file.statSync().size);
  } catch {
    return true;
  }
}

/** Every option's name (the type makes the list complete). */
const OPTION_NAMES: Record<keyof HostingHTTPRequestHandlerOptions, true> = {
  directory: true,
  follow_symlinks: true,
  cache: true,
  secret_files: true,
  cors: true,
  extra_headers: true,
  spa: true,
  not_found_page: true,
  cache_control: true,
  hide_dotfiles: true,
  listing: true,
  compress: true,
  precompressed: true,
  auth: true,
  auth_realm: true,
  upload: true,
  overwrite: true,
  max_upload: true,
  upload_hosts: true,
  live_reload: true,
};

/**
 * Serves a folder as {@linkcode SimpleHTTPRequestHandler} does, plus the
 * features static hosting asks for, each off until its option is given
 * (bind them with `HostingHTTPRequestHandler.partial({ ... })`):
 *
 * - `cors`: `Access-Control-Allow-Origin: *` (and `Expose-Headers: *`) on
 *   every response; `OPTIONS` answers preflights with the methods offered
 *   and the headers asked for (without it `OPTIONS` gets 501, as Python).
 * - `extra_headers`: added to every response, replacing the server's own
 *   header of the same name; a `null` value removes that header (curl's
 *   `-H "Server:"`).
 * - `spa`: the single-page-app fallback; `not_found_page`: a 404 page.
 * - `cache_control`: sent with files and listings (with `live_reload` the
 *   default is `no-cache`, so a reload fetches fresh scripts and styles).
 * - `hide_dotfiles`: names starting with `.` are not listed and get 404.
 * - `listing`: `"rich"` or `"off"`. Every listing also answers
 *   `Accept: application/json` with `[{ name, type, size, mtime, href }]`.
 * - `compress`: Brotli or gzip for compressible types of 1 KiB to 8 MiB,
 *   compressed whole in memory (so `Content-Length` stays exact); never for
 *   a request with `Range`; the `ETag` gets the coding added (`"…-gzip"`)
 *   and `Vary: Accept-Encoding` is sent. `precompressed`: `x.br` / `x.gz`
 *   served for `x` where present (also not for `Range` requests).
 * - `auth`: HTTP Basic on every request (a CORS preflight excepted),
 *   compared in constant time; 401 with `WWW-Authenticate` otherwise. The
 *   log line never shows the credentials.
 * - `upload`: `PUT /folder/name` stores a file (201 created, 204
 *   replaced), and a `multipart/form-data` `POST` to a folder stores each
 *   file of the form (201; the rich listing shows a form for it). Bodies
 *   stream to a hidden temporary file in the target folder, then move into
 *   place in one step, so an aborted upload leaves nothing. The target
 *   folder must exist inside `directory` (symbolic links are resolved and
 *   must stay inside, even with `follow_symlinks`); an existing file is
 *   never replaced unless `overwrite` (409); bodies above `max_upload` get
 *   413 before a byte is read; `Content-Length` is required (411). A
 *   browser's upload is refused (403) when it comes from another site's
 *   page, or addresses this server by a name that is not an IP address,
 *   `localhost` or one of `upload_hosts` (a page whose name was rebound
 *   to this machine would otherwise upload as its own origin).
 * - `live_reload`: HTML pages (files and listings) get a script that
 *   reloads them when {@linkcode LiveReload} sees the folder change.
 *
 * Without options it behaves as `SimpleHTTPRequestHandler`, except that a
 * listing answers `Accept: application/json` with JSON and says
 * `Vary: Accept`.
 *
 * @example Serve a folder with CORS and a custom 404 page
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { HostingHTTPRequestHandler, HTTPServer } from "@pyport/web/http/server";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/404.html`, "<h1>Lost?</h1>");
 * class Quiet extends HostingHTTPRequestHandler {
 *   override log_message(): void {}
 * }
 * const Handler = Quiet.partial({ directory: dir, cors: true, not_found_page: "404.html" });
 * await using server = new HTTPServer(["127.0.0.1", 0], Handler);
 * const done = server.serve_forever();
 * const res = await fetch(`http://127.0.0.1:${server.server_port}/nowhere`);
 * assert(res.status === 404 && (await res.text()) === "<h1>Lost?</h1>");
 * assert(res.headers.get("access-control-allow-origin") === "*");
 * await server.shutdown();
 * await done;
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export class HostingHTTPRequestHandler extends SimpleHTTPRequestHandler {
  static {
    registerOptionNames(this, Object.keys(OPTION_NAMES));
  }
  /** Whether CORS is on. */
  cors: boolean;
  /** Headers added to every response. */
  extra_headers: readonly (readonly [string, string | null])[];
  /** The single-page-app fallback file, relative to `directory`. */
  spa: string | null;
  /** The 404 page, relative to `directory`. */
  not_found_page: string | null;
  /** The `Cache-Control` value of files and listings. */
  cache_control: string | null;
  /** Whether hidden names are left out and answer 404. */
  hide_dotfiles: boolean;
  /** The listing style. */
  listing: ListingStyle;
  /** Whether responses are compressed on the fly. */
  compress: boolean;
  /** Whether `.br` / `.gz` siblings are served. */
  precompressed: boolean;
  /** The users Basic authentication accepts, or `null` for no authentication. */
  auth: readonly BasicAuthUser[] | null;
  /** The realm of the Basic challenge. */
  auth_realm: string;
  /** Whether uploads are accepted. */
  upload: boolean;
  /** Whether uploads may replace files. */
  overwrite: boolean;
  /** The largest upload body, in bytes. */
  max_upload: number;
  /** Names besides IP addresses and `localhost` that uploads may address. */
  upload_hosts: readonly string[];
  /** The live reload watcher, if any. */
  live_reload: LiveReload | null;

  #held: HeldHead | null = null;
  #pending: [string, string][] = [];
  #inSendHead = false;
  /** A file to serve in place of the request's path (fallback or sibling). */
  #substitute: string | null = null;
  /** The coding of a precompressed sibling being served, and its original. */
  #variant: { encoding: Encoding; original: string } | null = null;
  /** Bytes of the compression budget this request holds, not yet handed on. */
  #reserved = 0;
  #status = 0;

  /**
   * Creates the handler for one request; the server calls this. Bind
   * options with {@linkcode HostingHTTPRequestHandler.partial}.
   */
  constructor(
    request: StreamConnection,
    client_address: Address,
    server: BaseServer<StreamConnection>,
    options: HostingHTTPRequestHandlerOptions = {},
  ) {
    super(request, client_address, server, options);
    this.cors = options.cors ?? false;
    this.extra_headers = options.extra_headers ?? [];
    this.spa = options.spa ?? null;
    this.not_found_page = options.not_found_page ?? null;
    this.cache_control = options.cache_control ?? null;
    this.hide_dotfiles = options.hide_dotfiles ?? false;
    this.listing = options.listing ?? "python";
    this.compress = options.compress ?? false;
    this.precompressed = options.precompressed ?? false;
    this.auth = options.auth ?? null;
    this.auth_realm = options.auth_realm ?? "serve";
    this.upload = options.upload ?? false;
    this.overwrite = options.overwrite ?? false;
    this.max_upload = options.max_upload ?? DEFAULT_MAX_UPLOAD;
    this.upload_hosts = options.upload_hosts ?? [];
    this.live_reload = options.live_reload ?? null;
  }

  /**
   * A subclass of this class with `options` bound, to pass to
   * `HTTPServer` (Python: `functools.partial(Handler, ...)`). Options that
   * could never be sent are refused here, not on every request.
   *
   * @throws {TypeError} For an `auth` user, an `extra_headers` entry or an
   * `auth_realm` that cannot be used (a realm with a control character or
   * one beyond Latin-1).
   *
   * @example
   * ```ts
   * import { ok as assert } from "node:assert/strict";
   * import { HostingHTTPRequestHandler } from "@pyport/web/http/server";
   * const Handler = HostingHTTPRequestHandler.partial({ directory: "/srv", cors: true });
   * const handler = new Handler(null!, ["127.0.0.1", 1], null!);
   * assert(handler.cors && handler.directory === "/srv");
   * ```
   */
  static override partial<T extends typeof SimpleHTTPRequestHandler>(
    this: T,
    options: HostingHTTPRequestHandlerOptions,
  ): T {
    checkOptions(options);
    return SimpleHTTPRequestHandler.partial.call(this, options) as T;
  }

  // ---- Authentication -------------------------------------------------

  /**
   * Prepares the request as `SimpleHTTPRequestHandler` does, then checks
   * the credentials when `auth` is set (401 and `false` when they fail).
   */
  override async parse_request(): Promise<boolean> {
    if (!await super.parse_request()) return false;
    return this.#authorizedOrRefused();
  }

  /** Whether the credentials pass (or none are needed); else sends 401. */
  #authorizedOrRefused(): boolean {
    if (this.auth === null || this.#isPreflight()) return true;
    const header = this.headers.get("Authorization");
    if (authorized(header, usersOf(this.auth))) return true;
    this.#pending.push(["WWW-Authenticate", basicChallenge(this.auth_realm)]);
    this.send_error(401);
    return false;
  }

  /**
   * Answers `Expect: 100-continue` only once what the head tells is
   * checked (credentials; an upload's origin, length and size), so that a
   * refused client never sends its body: `100 Continue` came first, and
   * curl sent 192 KiB of a body before its 401.
   */
  override handle_expect_100(): boolean | Promise<boolean> {
    if (!this.#authorizedOrRefused()) return false;
    if (this.upload && (this.command === "PUT" || this.command === "POST")) {
      try {
        checkUploadHead(this);
      } catch (error) {
        if (!(error instanceof UploadError)) throw error;
        this.#refuseUpload(error);
        return false;
      }
    }
    return super.handle_expect_100();
  }

  #isPreflight(): boolean {
    return this.cors && this.command === "OPTIONS" &&
      this.headers.get("Access-Control-Request-Method") !== null;
  }

  // ---- Response head --------------------------------------------------

  /** Records status `code` as `SimpleHTTPRequestHandler` does. */
  override send_response_only(
    code: number,
    message?: string | null | { message?: string | null },
  ): void;
  override send_response_only(code: number, ...args: unknown[]): void {
    const message = messageArg("send_response_only", args);
    this.#status = code;
    super.send_response_only(code, message);
  }

  /** Starts the response (held back while `send_head` may still change it). */
  override send_response(
    code: number,
    message?: string | null | { message?: string | null },
  ): void;
  override send_response(code: number, ...args: unknown[]): void {
    const message = messageArg("send_response", args);
    if (this.#held) {
      this.#held.status = [code, message];
      return;
    }
    super.send_response(code, message);
  }

  /**
   * Adds a header (held back while `send_head` may still change it); a
   * name that `extra_headers` replaces is dropped.
   */
  override send_header(keyword: string, value: string | number): void {
    if (this.#held) {
      this.#held.headers.push([keyword, String(value)]);
      return;
    }
    if (
      this.extra_headers.length > 0 &&
      namesOf(this.extra_headers).has(keyword.toLowerCase())
    ) return;
    super.send_header(keyword, value);
  }

  /**
   * Ends the head, adding `extra_headers`, the CORS headers and, on files
   * and listings, `Cache-Control` (not to an interim `1xx`).
   */
  override end_headers(): void {
    if (this.#held) return;
    // An interim response (`100 Continue`) is the status line alone, as
    // Python's: what is added here belongs to the final one.
    if (this.#status >= 100 && this.#status < 200) {
      super.end_headers();
      return;
    }
    const replaced = this.extra_headers.length > 0
      ? namesOf(this.extra_headers)
      : null;
    const add = (name: string, value: string) => {
      if (!replaced?.has(name.toLowerCase())) super.send_header(name, value);
    };
    for (const [name, value] of this.#pending) add(name, value);
    this.#pending = [];
    if (this.cors) {
      for (const [name, value] of CORS_HEADERS) {
        add(name, value);
      }
    }
    const cacheControl = this.cache_control ??
      (this.live_reload ? "no-cache" : null);
    if (
      cacheControl !== null && this.#inSendHead &&
      (this.#status === 200 || this.#status === 206 || this.#status === 304)
    ) {
      add("Cache-Control", cacheControl);
    }
    for (const [name, value] of this.extra_headers) {
      if (value !== null) super.send_header(name, value);
    }
    super.end_headers();
  }

  /**
   * Sends an error response as Python does, or `not_found_page` for a 404
   * to GET or HEAD when it is set.
   */
  override send_error(
    code: number,
    message?: string | null,
    explain?: string | null | { explain?: string | null },
  ): void;
  /** `send_error()` with `message` and `explain` given as keywords. */
  override send_error(
    code: number,
    options: { message?: string | null; explain?: string | null },
  ): void;
  override send_error(code: number, ...args: unknown[]): void {
    const { message, explain } = errorArgs(args);
    // Nothing held back has been sent: the error replaces it.
    this.#held = null;
    if (code === 404 && this.#sendNotFoundPage(message)) return;
    super.send_error(code, message, explain);
  }

  /**
   * A page not found (404), or an error of the server (5xx), for a GET or
   * HEAD gets the live reload script, so a page asked for before it was
   * saved (or while an editor replaced it) loads once it is. Not for
   * another method (reloading would send a form again), nor for a refusal
   * (401, 403) that no save changes.
   *
   * @ignore
   */
  override [ERROR_PAGE](page: Uint8Array, code: number): Uint8Array {
    const live = this.live_reload;
    const fixable = code === 404 || code >= 500;
    return live !== null && fixable &&
        (this.command === "GET" || this.command === "HEAD") &&
        this.error_content_type.startsWith("text/html")
      ? injectLiveReload(page, live.version)
      : page;
  }

  #sendNotFoundPage(message: string | null): boolean {
    const page = this.not_found_page;
    if (page === null || (this.command !== "GET" && this.command !== "HEAD")) {
      return false;
    }
    const path = joinName(this.directory, page);
    // The rule of every file served: a page turned into a link leading out
    // of the folder since startup is not read.
    const real = this.#realPathInside(path);
    if (real === null) return false;
    let body: Uint8Array;
    try {
      body = Deno.readFileSync(real);
    } catch (error) {
      // No descriptor left to read the page: Python's page would be a
      // 404 unlike the one configured, which a cache may keep; as for a
      // file that cannot be opened, an answer to retry later.
      if (outOfDescriptors(error)) {
        super.send_error(503, "Too many open files");
        return true;
      }
      return false; // Gone since startup: Python's page instead.
    }
    const text = message ?? this.responses[404]?.[0] ?? "Not Found";
    this.log_error("code %d, message %s", 404, text);
    this.send_response(404, message);
    const type = this.guess_type(path);
    if (this.live_reload !== null && type.startsWith("text/html")) {
      body = injectLiveReload(body, this.live_reload.version);
    }
    this.send_header("Content-Type", contentTypeFor(type, () => isUtf8(body)));
    this.send_header("Content-Length", String(body.length));
    this.end_headers();
    if (this.command !== "HEAD") this.wfile.write(body);
    return true;
  }

  // ---- GET and HEAD ---------------------------------------------------

  /** Serves a GET request, or the live reload event stream. */
  override async do_GET(): Promise<void> {
    if (this.live_reload && pathOnly(this.path) === this.live_reload.path) {
      await this.#streamChanges(this.live_reload);
      return;
    }
    await super.do_GET();
  }

  /**
   * Maps a URL path to a file as `SimpleHTTPRequestHandler` does; while a
   * fallback page or a precompressed sibling is being served, to that.
   */
  override translate_path(path: string): string {
    return this.#substitute ?? super.translate_path(path);
  }

  /**
   * Whether file name `name` is neither listed nor served: a hidden name
   * with `hide_dotfiles`, an upload in progress with `upload`.
   */
  #isHiddenName(name: string): boolean {
    return (this.hide_dotfiles && isHiddenName(name)) ||
      (this.upload && isUploadInProgress(name));
  }

  /** {@linkcode #isHiddenName} for any name of `relative`, a path. */
  #isHiddenPath(relative: string): boolean {
    return isHiddenPath(relative, (name) => this.#isHiddenName(name));
  }

  /**
   * Sends the head for GET and HEAD as `SimpleHTTPRequestHandler` does,
   * with hidden names refused, the single-page-app fallback, precompressed
   * siblings, compression and the live reload script applied.
   */
  override async send_head(): Promise<CopySource | null> {
    this.#inSendHead = true;
    try {
      if (
        this.live_reload && pathOnly(this.path) === LIVE_RELOAD_SCRIPT_PATH
      ) {
        return this.#sendLiveReloadScript();
      }
      const target = this.translate_path(this.path);
      if (this.#isHiddenPath(relativeTo(this.directory, target))) {
        this.send_error(404, "File not found");
        return null;
      }
      this.#substitute = this.#fallbackFor(target);
      const sibling = this.#precompressedSibling(this.#substitute ?? target);
      if (sibling !== null) this.#substitute = sibling;
      if (!this.compress && !this.live_reload && !this.precompressed) {
        return await super.send_head();
      }
      return await this.#sendHeldHead();
    } finally {
      this.#inSendHead = false;
      this.#substitute = null;
      this.#variant = null;
      // Not handed to a body (a 304, an error): given back now.
      releaseCompression(this.#reserved);
      this.#reserved = 0;
    }
  }

  /** The script that pages with live reload load (see `injectLiveReload`). */
  #sendLiveReloadScript(): Uint8Array {
    this.send_response(200);
    this.send_header("Content-Type", "text/javascript; charset=utf-8");
    this.send_header("Content-Length", String(LIVE_RELOAD_SCRIPT.length));
    this.end_headers();
    return LIVE_RELOAD_SCRIPT;
  }

  /** The single-page-app file when this request should get it, else null. */
  #fallbackFor(target: string): string | null {
    if (this.spa === null) return null;
    if (this.command !== "GET" && this.command !== "HEAD") return null;
    if (hasExtension(unquote(pathOnly(this.path)))) return null;
    if (!isMissing(target)) return null;
    // From here the answer (the page, or 404) depends on Accept: a cache
    // must not give a browser's page to a script, or the reverse.
    this.#pending.push(["Vary", "Accept"]);
    if (!namesMediaType(this.headers.get("Accept"), "text/html")) return null;
    return joinName(this.directory, this.spa);
  }

  /** The real path of `path` if it is inside the folder served; else `null`. */
  #realPathInside(path: string): string | null {
    try {
      const real = byteNames.realPathSync(path);
      return startsWithFolder(real, realRoot(this.directory)) ? real : null;
    } catch {
      return null;
    }
  }

  /**
   * Whether the `.br`/`.gz` sibling `path` may be served: only a link
   * costs a look at where it leads (a plain name beside the file is as
   * inside as the file), unless links may lead out.
   */
  #servableSibling(path: string): boolean {
    if (this.follow_symlinks || !lstatOrNull(path)?.isSymlink) return true;
    return this.#realPathInside(path) !== null;
  }

  /**
   * The codings the client accepts, best first; none for HTTP/0.9, whose
   * answer is the body alone: no `Content-Encoding` could say it is
   * compressed.
   */
  #acceptedCodings(): Encoding[] {
    if (this.request_version === "HTTP/0.9") return [];
    return acceptedEncodings(this.headers.get("Accept-Encoding"), ENCODINGS);
  }

  /** A `.br` / `.gz` file beside the file `target` names, if one fits. */
  #precompressedSibling(target: string): string | null {
    if (!this.precompressed || this.headers.get("Range") !== null) return null;
    const codings = this.#acceptedCodings();
    if (codings.length === 0) return null;
    let file = target;
    const info = byteNames.statOrNull(target);
    if (info?.isDirectory) {
      if (!target.endsWith("/")) return null; // The 301 comes first.
      const index = this.index_pages
        .map((page) => joinName(target, page))
        .find((path) => byteNames.statOrNull(path)?.isFile);
      if (index === undefined) return null;
      file = index;
    } else if (!info?.isFile) {
      return null;
    }
    // A page that gets the live reload script is served from its own bytes
    // (compressed afterwards with --compress): a sibling has no script.
    if (this.live_reload && this.guess_type(file) === "text/html") return null;
    for (const encoding of codings) {
      const sibling = file + ENCODING_SUFFIX[encoding];
      // A sibling behind a link out of the folder is skipped (the file
      // itself is served), not left for send_head to refuse with a 404.
      if (
        byteNames.statOrNull(sibling)?.isFile && this.#servableSibling(sibling)
      ) {
        this.#variant = { encoding, original: file };
        return sibling;
      }
    }
    return null;
  }

  /**
   * Runs `SimpleHTTPRequestHandler.send_head` with its head held back,
   * then changes the held head and body (sibling's type and coding,
   * live reload script, compression, variant ETag) and sends it.
   */
  async #sendHeldHead(): Promise<CopySource | null> {
    const held: HeldHead = { status: null, headers: [] };
    this.#held = held;
    // What is sent may be a variant with a tag of its own, so validators
    // are evaluated in #sendChanged, knowing what is sent: the base would
    // answer 304 with the plain file's tag (a client that merged it kept
    // its gzip bytes under the plain tag, and got a full 200 ever after).
    const request = this.headers;
    if (request.has("If-None-Match") || request.has("If-Modified-Since")) {
      this.headers = new HTTPMessage(
        request.items().filter(([name]) => !isValidator(name)),
      );
    }
    let body: CopySource | null;
    takeAnsweredFile(this);
    try {
      body = await super.send_head();
    } finally {
      this.headers = request;
      // send_error clears #held when it takes over.
      if (this.#held === held) this.#held = null;
      else held.status = null;
    }
    if (held.status === null) return body;
    return await this.#sendChanged(held, body, takeAnsweredFile(this));
  }

  /**
   * Sends the held head, changed for what is sent; `file` is what the
   * base knew of the file it answered for (none for a listing).
   */
  async #sendChanged(
    held: HeldHead,
    source: CopySource | null,
    file: FileState | undefined,
  ): Promise<CopySource | null> {
    let [code, message] = held.status as [number, string | null | undefined];
    let body = source;
    const { version, encoding, suffix } = this.#variantOf(held, code);
    const etag = headerOf(held, "ETag");
    if (etag !== null && suffix !== null) {
      setHeader(held, "ETag", variantETag(etag, suffix));
    }
    // A Range request gets no variant, so a 416 carries the plain tag.
    const changedTag = headerOf(held, "ETag") ?? file?.etag ?? null;
    // Validators come before the range (RFC 9110 §13.2.2): a current copy
    // gets 304 even where the range could not be satisfied.
    const answerable = code === 200 || code === 206 ||
      (code === 416 && file !== undefined);
    if (
      answerable &&
      this.#clientIsCurrent(held, file, changedTag, version, suffix)
    ) {
      closeSource(body);
      body = null;
      code = 304;
      message = undefined;
      held.headers = changedTag !== null ? [["ETag", changedTag]] : [];
    } else if (code === 200 && body !== null) {
      body = await this.#changeBody(held, body, version, encoding);
    }
    if (
      (this.compress || this.precompressed) &&
      (code === 200 || code === 206 || code === 304)
    ) {
      held.headers.push(["Vary", "Accept-Encoding"]);
    }
    this.send_response(code, message);
    for (const [name, value] of held.headers) this.send_header(name, value);
    this.end_headers();
    return body;
  }

  /**
   * What the held response becomes: the folder's live reload `version`
   * for an HTML page that gets the script, the content coding (a
   * precompressed sibling's, or one to compress with), and the `suffix`
   * they add to the ETag (`null`: the plain response).
   */
  #variantOf(held: HeldHead, code: number): {
    version: string | null;
    encoding: Encoding | null;
    suffix: string | null;
  } {
    const type = headerOf(held, "Content-type") ?? "";
    const length = Number(headerOf(held, "Content-Length") ?? NaN);
    const small = length <= COMPRESS_LIMIT;
    // A page that gets the live reload script carries the folder's
    // version, which changes with any file: the page's tag names it, and
    // only the tag can say the page is current (a date would keep a copy
    // whose script names an old version). null: no script.
    let version = code === 200 && small && type.startsWith("text/html")
      ? this.live_reload?.version ?? null
      : null;
    let encoding: Encoding | null = this.#variant?.encoding ?? null;
    const compressWith = encoding === null && this.compress && code === 200 &&
        small && length >= COMPRESS_MIN &&
        this.headers.get("Range") === null && isCompressible(type)
      ? this.#acceptedCodings()[0] ?? null
      : null;
    // Both changes hold the body whole until it is sent: past the budget,
    // the file goes out as it is (a page then without the script).
    if (
      (version !== null || compressWith !== null) && this.#reserveFor(length)
    ) {
      encoding ??= compressWith;
    } else {
      version = null;
    }
    const suffixes = [
      ...(version !== null ? [`lr-${version}`] : []),
      ...(encoding ? [encoding] : []),
    ];
    const suffix = suffixes.length > 0 ? suffixes.join("-") : null;
    return { version, encoding, suffix };
  }

  /**
   * Whether a body of `length` bytes may be held whole now (to compress it
   * or add the live reload script): one above `SMALL_FILE` reserves its
   * bytes of the process's budget for such bodies (else it is sent as it
   * is).
   */
  #reserveFor(length: number): boolean {
    // A small body is held like a small file read whole: no reservation.
    if (length <= SMALL_FILE) return true;
    if (!reserveCompression(length)) return false;
    this.#reserved = length;
    return true;
  }

  /**
   * Whether the client's validators say its copy is the one sent now:
   * judged on the file (with the variant's tag `suffix`), or, for a
   * listing, on the held head's tag or date. A page with the live reload
   * script is current only by its tag.
   */
  #clientIsCurrent(
    held: HeldHead,
    file: FileState | undefined,
    changedTag: string | null,
    version: string | null,
    suffix: string | null,
  ): boolean {
    const ifNoneMatch = ifNoneMatchOf(this.headers);
    const ifModifiedSince = this.headers.get("If-Modified-Since");
    const unchanged = file
      ? fileNotModified(ifNoneMatch, ifModifiedSince, file, suffix)
      : ifNoneMatch !== null
      ? etagMatches(ifNoneMatch, changedTag)
      : heldUnmodifiedSince(ifModifiedSince, held);
    return unchanged && (version === null || ifNoneMatch !== null);
  }

  /**
   * The body of a `200` as sent: a precompressed sibling labelled with
   * its original's type, a page with the live reload script, a
   * compressed body; the held head changed to match.
   */
  async #changeBody(
    held: HeldHead,
    body: CopySource,
    version: string | null,
    encoding: Encoding | null,
  ): Promise<CopySource> {
    const variant = this.#variant;
    if (variant) {
      const original = this.guess_type(variant.original);
      // The charset is x's, as x itself would be sent: a Latin-1 x is
      // not labelled UTF-8 because its .gz stands in for it.
      setHeader(
        held,
        "Content-type",
        contentTypeFor(
          original,
          () =>
            !this.#servableSibling(variant.original) ||
            fileStartsAsUtf8(variant.original),
        ),
      );
    }
    if (version !== null || (encoding !== null && !variant)) {
      const tag = headerOf(held, "ETag");
      const urlPath = pathOnly(this.path);
      let bytes = tag === null ? undefined : changedBodies.get(tag, urlPath);
      if (bytes === undefined) {
        bytes = await readWhole(body);
        if (version !== null) bytes = injectLiveReload(bytes, version);
        if (encoding !== null && !variant) {
          bytes = await compress(bytes, encoding);
        }
        if (tag !== null) changedBodies.set(tag, urlPath, bytes);
      } else {
        closeSource(body);
      }
      body = bytes;
      if (this.#reserved > 0) {
        // Held until sent: the body gives the reservation back then.
        body = new ReservedBody(bytes, this.#reserved);
        this.#reserved = 0;
      }
      setHeader(held, "Content-Length", String(bytes.length));
    }
    if (encoding !== null) setHeader(held, "Content-Encoding", encoding);
    return body;
  }

  // ---- Listings -------------------------------------------------------

  /**
   * Sends a listing of folder `path`: Python's page, the rich page, or
   * JSON when the client prefers `application/json`; 404 when listings
   * are off.
   */
  override async list_directory(path: string): Promise<CopySource | null> {
    if (this.listing === "off") {
      this.send_error(404, "File not found");
      return null;
    }
    const json = preferredMediaType(this.headers.get("Accept"), [
      "text/html",
      "application/json",
    ]) === "application/json";
    // Python's page as Python makes it (and cached) when no name is hidden.
    if (
      !json && this.listing === "python" && !this.hide_dotfiles && !this.upload
    ) {
      this.#pending.push(["Vary", "Accept"]);
      return await super.list_directory(path);
    }
    const body = await listingTurns.run(
      path,
      () => this.#listingBody(path, json),
    );
    if (body === null) {
      this.send_error(404, "No permission to list directory");
      return null;
    }
    this.send_response(200);
    this.send_header(
      "Content-type",
      json ? "application/json" : "text/html; charset=utf-8",
    );
    this.send_header("Content-Length", String(body.length));
    this.send_header("Vary", "Accept");
    this.end_headers();
    return body;
  }

  /**
   * The listing of folder `path` (JSON when `json`), or `null` when the
   * folder cannot be read.
   */
  async #listingBody(path: string, json: boolean): Promise<Uint8Array | null> {
    const secret = secretNames(this.secret_files, path);
    const hidden = (name: string) => this.#isHiddenName(name) || secret(name);
    const mayFollow = (link: string) =>
      this.follow_symlinks || this.#realPathInside(link) !== null;
    if (!json && this.listing === "python") {
      // Names only, as Python's listing shows: no stat per entry.
      const entries = await this.#readListed(
        path,
        (folder, size) => readEntries(folder, size, hidden, mayFollow),
      );
      if (entries === null) return null;
      return encodeListing(listingHtml(this.path, sortEntries(entries)));
    }
    const entries = await this.#readListed(
      path,
      (folder) => readDetailedEntries(folder, hidden, mayFollow),
    );
    if (entries === null) return null;
    const order = listingOrder(this.path.slice(pathOnly(this.path).length + 1));
    const sorted = sortDetailed(entries, order);
    return await encodeInSlices(
      json
        ? listingJsonParts(sorted)
        : richListingParts(this.path, sorted, order, {
          // No form where a POST would be refused (a folder name not UTF-8).
          upload: this.upload && decodesAsUtf8(pathOnly(this.path)),
        }),
    );
  }

  /**
   * What `read` makes of folder `path` (see `readListedFolder`), or `null`
   * when the folder cannot be read.
   */
  async #readListed<T>(
    path: string,
    read: (folder: string, size: number | null) => Promise<T>,
  ): Promise<T | null> {
    try {
      return (await this.readListedFolder(path, read)).value;
    } catch (error) {
      // No descriptor left to read the folder: send_head answers 503.
      if (outOfDescriptors(error)) throw error;
      return null;
    }
  }

  // ---- OPTIONS --------------------------------------------------------

  /** Answers `OPTIONS` (CORS preflights) when `cors` is on; else 501. */
  do_OPTIONS(): void {
    if (!this.cors) return this.#unsupported();
    this.send_response(204);
    const request = {
      method: this.headers.get("Access-Control-Request-Method"),
      headers: this.headers.get("Access-Control-Request-Headers"),
    };
    for (const [name, value] of optionsHeaders(request, this.#methods())) {
      this.send_header(name, value);
    }
    this.end_headers();
  }

  #methods(): string[] {
    const methods = ["GET", "HEAD", "OPTIONS"];
    if (this.upload) methods.push("PUT", "POST");
    return methods;
  }

  /**
   * Python's answer to a method the handler does not offer (only PUT, POST
   * and OPTIONS get here, so the name needs no escaping in its repr).
   */
  #unsupported(): void {
    this.send_error(501, `Unsupported method ('${this.command}')`);
  }

  // ---- Uploads --------------------------------------------------------

  /** Stores the request body as the file the path names, when `upload` is on. */
  async do_PUT(): Promise<void> {
    if (!this.upload) return this.#unsupported();
    await this.#answerUpload(async (length) => {
      const target = this.translate_path(this.path);
      // `/..` and `/.` name the served folder itself.
      if (target.endsWith("/") || isFolderItself(target, this.directory)) {
        throw new UploadError(400, "PUT needs a file name, not a folder");
      }
      const cut = Math.max(target.lastIndexOf(SEP), target.lastIndexOf("/"));
      const folder = target.slice(0, cut);
      checkFileName(target.slice(cut + 1), this.hide_dotfiles);
      await checkUploadFolder(this, folder, 409);
      const conflict = uploadConflict(this, target);
      if (conflict !== null) {
        throw new UploadError(409, `${pathOnly(this.path)} ${conflict}`);
      }
      const temp = await writeTemporary(
        folder,
        bodyChunks((size) => this.rfile.read(size), length),
      );
      const outcome = await moveIntoPlace(temp, target, this.overwrite);
      this.send_response(outcome === "created" ? 201 : 204);
      if (outcome === "created") {
        this.send_header("Location", locationPath(pathOnly(this.path)));
      }
      this.send_header("Content-Length", "0");
      this.end_headers();
    });
  }

  /** Stores the files of a `multipart/form-data` form in the folder the path names. */
  async do_POST(): Promise<void> {
    if (!this.upload) return this.#unsupported();
    await this.#answerUpload(async (length) => {
      const folder = this.translate_path(this.path).replace(/[/\\]$/, "");
      await checkUploadFolder(this, folder, 404);
      const type = this.headers.get("Content-Type") ?? "";
      if (!/^multipart\/form-data\s*;/i.test(type)) {
        throw new UploadError(415, "expected a multipart/form-data form");
      }
      const files = await receiveForm(
        bodyChunks((size) => this.rfile.read(size), length),
        type,
        folder,
        (name) => checkFileName(name, this.hide_dotfiles),
      );
      this.#sendUploaded(await placeAll(this, files, folder));
    });
  }

  /** Runs `work` with the upload's length once its head passes; answers a refusal. */
  async #answerUpload(
    work: (length: number) => Promise<void>,
  ): Promise<void> {
    try {
      await work(checkUploadHead(this));
    } catch (error) {
      if (!(error instanceof UploadError)) throw error;
      this.#refuseUpload(error);
    }
  }

  #refuseUpload(error: UploadError): void {
    // A file name can hold what a status line cannot carry: there it is
    // escaped, and the page also shows it as written.
    const reason = latin1Reason(error.message);
    this.send_error(
      error.status,
      reason,
      reason === error.message ? null : error.message,
    );
  }

  #sendUploaded(placed: readonly PlacedFile[]): void {
    const answer = uploadedAnswer(this, placed);
    this.send_response(answer.status);
    if (answer.location !== null) {
      this.send_header("Location", answer.location);
    }
    this.send_header("Content-Type", answer.type);
    this.send_header("Content-Length", String(answer.body.length));
    this.end_headers();
    this.wfile.write(answer.body);
  }

  // ---- Live reload ----------------------------------------------------

  /**
   * The live reload event stream: open until the client goes or the
   * watcher closes; a `change` event per settled burst of changes (naming
   * the files changed, unless listings are off). It has
   * no length, so the connection closes after it.
   */
  async #streamChanges(live: LiveReload): Promise<void> {
    this.send_response(200);
    this.send_header("Content-Type", "text/event-stream");
    this.send_header("Cache-Control", "no-store");
    this.send_header("Connection", "close");
    this.end_headers();
    if (live.closed) return;
    await new Promise<void>((resolve) => {
      let stopped = false;
      let unsubscribe = () => {};
      const stop = () => {
        if (stopped) return;
        stopped = true;
        clearInterval(heartbeat);
        unsubscribe();
        resolve();
      };
      const send = (text: string) => {
        if (stopped) return;
        try {
          if (this.wfile.closed) throw new Error("client gone");
          if (this.wfile.pending > UNREAD_EVENTS_LIMIT) {
            // Not reading: it gets the current version when it comes back.
            this.connection.close();
            throw new Error("client not reading");
          }
          this.wfile.write(text);
          // A client gone since the last event fails the flush: stop then
          // (unhandled, the rejection would end the server).
          this.wfile.flush().catch(stop);
        } catch {
          stop();
        }
      };
      const heartbeat = setInterval(() => send(": ping\n\n"), HEARTBEAT_MS);
      // Names only where a listing could show them: with listings off the
      // stream would tell anyone listening each file's name as it is saved
      // (the page's script reloads on the event alone).
      const named = this.listing !== "off";
      unsubscribe = live.subscribe(
        (paths) =>
          send(
            `event: change\ndata: ${JSON.stringify(named ? paths : [])}\n\n`,
          ),
        stop,
      );
      // The folder's version: a page served with another one missed a change.
      send(`retry: 1000\n\nevent: hello\ndata: ${live.version}\n\n`);
    });
  }
}

// Its own serving sends each body with its head too (the live reload stream
// writes its first event at once), so no held head needs a timer.
for (const name of ["do_GET", "send_head", "list_directory"] as const) {
  PROMPT_BODIES.add(HostingHTTPRequestHandler.prototype[name]);
}
