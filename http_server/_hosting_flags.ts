/**
 * The `serve` command's hosting flags (none of them Python's): their
 * `parseArgs` specs, help text, and checks. Every bad value is refused at
 * startup with one line (exit status 2, as argparse).
 *
 * @module
 */
import { parseAuthFile, parseUserPass } from "./_auth.ts";
import { isHiddenPath } from "./_hosting_paths.ts";
import { COMPRESS_LIMIT } from "./_compress.ts";
import { isHostPattern } from "./_upload_hosts.ts";
import { parseExtraHeader } from "./_extra_headers.ts";
import { LIVE_RELOAD_PATH } from "./_live_reload.ts";
import { makeSelfSigned, type SelfSigned } from "./_self_signed.ts";
import {
  type BasicAuthUser,
  DEFAULT_MAX_UPLOAD,
  type HostingHTTPRequestHandlerOptions,
  type ListingStyle,
} from "./hosting_handler.ts";
import { LiveReload } from "./live_reload.ts";

/** The `parseArgs` options of the hosting flags. */
export const HOSTING_OPTIONS = {
  cors: { type: "boolean" },
  header: { type: "string", short: "H", multiple: true },
  spa: { type: "string" },
  "404": { type: "string" },
  "cache-control": { type: "string" },
  "no-dotfiles": { type: "boolean" },
  "no-listing": { type: "boolean" },
  listing: { type: "string" },
  compress: { type: "boolean" },
  precompressed: { type: "boolean" },
  auth: { type: "string" },
  "auth-file": { type: "string" },
  upload: { type: "boolean" },
  overwrite: { type: "boolean" },
  "max-upload": { type: "string" },
  "upload-hosts": { type: "string", multiple: true },
  watch: { type: "boolean" },
  "tls-self-signed": { type: "boolean" },
} as const;

/** The usage line's part for the hosting flags. */
export const HOSTING_USAGE =
  `[--cors] [-H 'NAME: VALUE'] [--spa [FILE]] [--404 FILE]
             [--cache-control VALUE] [--no-dotfiles]
             [--no-listing | --listing {rich,python}] [--compress]
             [--precompressed]
             [--auth USER:PASS] [--auth-file FILE]
             [--upload [--overwrite] [--max-upload BYTES]
              [--upload-hosts NAMES]] [--watch]
             [--tls-self-signed]`;

/** The help section of the hosting flags. */
export const HOSTING_HELP =
  `hosting options (beyond Python; each is off unless given):
  --cors                let pages of any origin read every response
                        (Access-Control-Allow-Origin: *) and answer CORS
                        preflight OPTIONS requests
  -H, --header 'NAME: VALUE'
                        add this header to every response (repeatable;
                        replaces the server's own header of that name)
  --spa [FILE]          single-page app: a GET or HEAD for a missing path
                        without a file extension, from a browser (Accept:
                        text/html), gets FILE (default: index.html) with
                        status 200
  --404 FILE            send FILE with status 404 for missing files
  --cache-control VALUE
                        send this Cache-Control with files and listings
  --no-dotfiles         hide names starting with '.' (404, and left out of
                        listings); .well-known stays reachable
  --no-listing          answer 404 for folders without an index page
  --listing {rich,python}
                        rich: listings with sizes, dates, sorting, breadcrumbs
                        and dark mode; python (default): Python's own page
                        (with any hosting flag on, every listing also answers
                        Accept: application/json with JSON)
  --compress            compress text-like files of 1 KiB to ${
    COMPRESS_LIMIT / 1024 / 1024
  } MiB with
                        Brotli or gzip, as the client accepts
  --precompressed       serve x.br or x.gz in place of x where present and
                        accepted
  --auth USER:PASS      require HTTP Basic authentication with this user
                        (it shows in the process list: prefer --auth-file)
  --auth-file FILE      require HTTP Basic authentication with the users of
                        FILE: 'user:password' or 'user:sha256:HEX' lines
  --upload              accept files: PUT /path/name, or a multipart form
                        POSTed to a folder (the rich listing shows one)
  --overwrite           let uploads replace existing files (refused, 409,
                        by default)
  --max-upload BYTES    largest upload body, e.g. 500M or 2G
                        (default: 1G)
  --upload-hosts NAMES  host names (comma-separated; .NAME for NAME and the
                        names under it; * for any) by which a browser may
                        reach this server to upload, besides IP addresses,
                        localhost and names under .localhost (a guard
                        against DNS rebinding)
  --watch               live reload: HTML pages reload when a file in the
                        folder changes (events at ${LIVE_RELOAD_PATH})
  --tls-self-signed     serve HTTPS with a certificate made at startup for
                        localhost and this machine (kept in memory only)`;

/** A hosting flag with a bad value; the message names the flag. */
export class HostingFlagError extends Error {}

/** The hosting flags as given, checked as far as needs no file access. */
export interface HostingFlags {
  readonly cors: boolean;
  readonly headers: [string, string | null][];
  readonly spa: string | null;
  readonly notFound: string | null;
  readonly cacheControl: string | null;
  readonly hideDotfiles: boolean;
  readonly listing: ListingStyle;
  readonly compress: boolean;
  readonly precompressed: boolean;
  readonly auth: BasicAuthUser[];
  readonly authFile: string | null;
  readonly upload: boolean;
  readonly overwrite: boolean;
  readonly maxUpload: number;
  readonly uploadHosts: string[];
  readonly watch: boolean;
  readonly selfSigned: boolean;
}

/** What `parseArgs` gives for the flags. */
type FlagValues = Readonly<
  Record<string, string | boolean | (string | boolean)[] | undefined>
>;

/**
 * `--spa` takes an optional FILE (argparse's `nargs='?'`), which
 * `parseArgs` cannot express: a bare `--spa` becomes `--spa=`, and the
 * next argument is its FILE unless it is an option or a number (the port:
 * `serve --spa 8080` serves port 8080). `args` are the options before any
 * `--`.
 */
export function expandOptionalValues(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg !== "--spa") {
      out.push(arg);
      continue;
    }
    const next = args[i + 1];
    if (next !== undefined && !next.startsWith("-") && !/^\d+$/.test(next)) {
      out.push(`--spa=${next}`);
      i++;
    } else {
      out.push("--spa=");
    }
  }
  return out;
}

const UNITS: Readonly<Record<string, number>> = {
  "": 1,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
  t: 1024 ** 4,
};

/** `500M` → bytes (K, M, G, T are powers of 1024; `B`, `iB` allowed). */
export function parseByteSize(text: string): number {
  const match = /^(\d+)\s*([kmgt]?)(i?b)?$/i.exec(text.trim());
  const bytes = match
    ? Number(match[1]) * (UNITS[(match[2] ?? "").toLowerCase()] ?? 1)
    : NaN;
  if (!Number.isSafeInteger(bytes) || bytes <= 0) {
    throw new TypeError(`'${text}' is not a positive size such as 500M`);
  }
  return bytes;
}

function text(values: FlagValues, name: string): string | null {
  const value = values[name];
  return typeof value === "string" ? value : null;
}

function flag(values: FlagValues, name: string): boolean {
  return values[name] === true;
}

function checked<T>(option: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new HostingFlagError(`argument ${option}: ${message}`);
  }
}

async function checkedAsync<T>(
  option: string,
  make: () => Promise<T>,
): Promise<T> {
  try {
    return await make();
  } catch (error) {
    return checked(option, () => {
      throw error;
    });
  }
}

/**
 * Reads the hosting flags from `values` (`parseArgs` output); `null` when
 * none is given, so `serve` stays Python's `SimpleHTTPRequestHandler`.
 *
 * @throws {HostingFlagError} For a bad value or a combination that does
 * not fit.
 */
export function parseHostingFlags(values: FlagValues): HostingFlags | null {
  if (
    !Object.keys(HOSTING_OPTIONS).some((name) => values[name] !== undefined)
  ) {
    return null;
  }
  const headers = checked(
    "-H/--header",
    () => ((values.header ?? []) as string[]).map(parseExtraHeader),
  );
  const cacheControl = text(values, "cache-control");
  if (cacheControl !== null) {
    checked(
      "--cache-control",
      () => parseExtraHeader(`Cache-Control: ${cacheControl}`),
    );
    if (cacheControl.trim() === "") {
      throw new HostingFlagError("argument --cache-control: empty value");
    }
  }
  const listingText = text(values, "listing");
  if (
    listingText !== null && listingText !== "rich" && listingText !== "python"
  ) {
    throw new HostingFlagError(
      `argument --listing: invalid choice: '${listingText}' (choose from 'rich', 'python')`,
    );
  }
  if (listingText !== null && flag(values, "no-listing")) {
    throw new HostingFlagError(
      "argument --no-listing: not allowed with argument --listing",
    );
  }
  const authText = text(values, "auth");
  const auth = authText === null
    ? []
    : [checked("--auth", () => parseUserPass(authText))];
  const upload = flag(values, "upload");
  for (const dependent of ["overwrite", "max-upload", "upload-hosts"]) {
    if (values[dependent] !== undefined && !upload) {
      throw new HostingFlagError(`argument --${dependent}: needs --upload`);
    }
  }
  const maxText = text(values, "max-upload");
  const uploadHosts = ((values["upload-hosts"] ?? []) as string[]).flatMap(
    (list) => list.split(",").map((name) => name.trim()),
  );
  const badHost = uploadHosts.find((name) => !isHostPattern(name));
  if (badHost !== undefined) {
    throw new HostingFlagError(
      `argument --upload-hosts: not a host name: '${badHost}'`,
    );
  }
  const selfSigned = flag(values, "tls-self-signed");
  if (selfSigned && values["tls-cert"] !== undefined) {
    throw new HostingFlagError(
      "argument --tls-self-signed: not allowed with argument --tls-cert",
    );
  }
  const spa = text(values, "spa");
  return {
    cors: flag(values, "cors"),
    headers,
    spa: spa === null ? null : spa === "" ? "index.html" : spa,
    notFound: text(values, "404"),
    cacheControl: cacheControl?.trim() ?? null,
    hideDotfiles: flag(values, "no-dotfiles"),
    listing: flag(values, "no-listing")
      ? "off"
      : (listingText ?? "python") as ListingStyle,
    compress: flag(values, "compress"),
    precompressed: flag(values, "precompressed"),
    auth,
    authFile: text(values, "auth-file"),
    upload,
    overwrite: flag(values, "overwrite"),
    maxUpload: maxText === null
      ? DEFAULT_MAX_UPLOAD
      : checked("--max-upload", () => parseByteSize(maxText)),
    uploadHosts,
    watch: flag(values, "watch"),
    selfSigned,
  };
}

/** What `serve` needs to start with the hosting flags. */
export interface PreparedHosting {
  /** The options to bind to `HostingHTTPRequestHandler`. */
  readonly options: HostingHTTPRequestHandlerOptions;
  /** The self-signed certificate, for `--tls-self-signed`. */
  readonly tls: SelfSigned | null;
  /** Lines for stdout before the "Serving ..." line. */
  readonly notices: readonly string[];
  /** Lines for stderr before the "Serving ..." line. */
  readonly warnings: readonly string[];
}

const IS_WINDOWS = Deno.build.os === "windows";
const SEP = IS_WINDOWS ? "\\" : "/";

/**
 * Checks that `file` (relative to `directory`, or absolute) is a regular
 * file inside it, and returns it relative to `directory`.
 */
async function pageInside(
  option: string,
  file: string,
  directory: string,
): Promise<string> {
  const fail = (why: string) =>
    new HostingFlagError(`argument ${option}: '${file}' ${why}`);
  let root: string;
  let real: string;
  try {
    root = await Deno.realPath(directory);
    const absolute = /^([/\\]|[A-Za-z]:)/.test(file)
      ? file
      : directory.replace(/[/\\]$/, "") + SEP + file;
    real = await Deno.realPath(absolute);
  } catch {
    throw fail("is not a file in the served folder");
  }
  const prefix = root.endsWith(SEP) ? root : root + SEP;
  if (!real.startsWith(prefix)) throw fail("is outside the served folder");
  if (!(await Deno.stat(real)).isFile) throw fail("is not a file");
  return real.slice(prefix.length);
}

async function readAuthFile(path: string): Promise<BasicAuthUser[]> {
  let content: string;
  try {
    content = new TextDecoder("utf-8", { fatal: true }).decode(
      await Deno.readFile(path),
    );
  } catch (error) {
    const why = error instanceof TypeError
      ? "it is not UTF-8"
      : error instanceof Error
      ? error.message
      : String(error);
    throw new HostingFlagError(
      `argument --auth-file: can't open '${path}': ${why}`,
    );
  }
  return checked("--auth-file", () => parseAuthFile(content));
}

/**
 * Completes `flags` for serving `directory`: reads `--auth-file`, checks
 * the `--spa` and `--404` files, starts the `--watch` watcher and makes the
 * `--tls-self-signed` certificate.
 *
 * @throws {HostingFlagError} For a file that cannot be used.
 */
export async function prepareHosting(
  flags: HostingFlags,
  directory: string,
  certificate: SelfSigned | null = null,
): Promise<PreparedHosting> {
  const auth = [
    ...flags.auth,
    ...(flags.authFile === null ? [] : await readAuthFile(flags.authFile)),
  ];
  const spa = flags.spa === null
    ? null
    : await pageInside("--spa", flags.spa, directory);
  const notFound = flags.notFound === null
    ? null
    : await pageInside("--404", flags.notFound, directory);
  // A hidden page would show a hidden file's content to anyone.
  for (const [flag, page] of [["--spa", spa], ["--404", notFound]] as const) {
    if (flags.hideDotfiles && page !== null && isHiddenPath(`/${page}`)) {
      throw new HostingFlagError(
        `argument ${flag}: '${page}' is hidden by --no-dotfiles`,
      );
    }
  }
  // A worker serves its supervisor's certificate rather than making one.
  const tls = flags.selfSigned
    ? certificate ?? await checkedAsync("--tls-self-signed", makeSelfSigned)
    : null;
  const notices: string[] = [];
  if (tls) {
    notices.push(
      `Self-signed certificate for ${tls.names.join(", ")}`,
      `SHA-256 fingerprint ${tls.fingerprint}`,
    );
  }
  const warnings: string[] = [];
  if (flags.upload && auth.length === 0) {
    warnings.push(
      "Warning: --upload without --auth or --auth-file: anyone who can reach this server can add files, pages with scripts included",
    );
  }
  return {
    options: {
      cors: flags.cors,
      extra_headers: flags.headers,
      spa,
      not_found_page: notFound,
      cache_control: flags.cacheControl,
      hide_dotfiles: flags.hideDotfiles,
      listing: flags.listing,
      compress: flags.compress,
      precompressed: flags.precompressed,
      auth: auth.length === 0 ? null : auth,
      upload: flags.upload,
      overwrite: flags.overwrite,
      max_upload: flags.maxUpload,
      upload_hosts: flags.uploadHosts,
      // Too many files for the system's watch limit fails here, not later.
      live_reload: flags.watch
        ? checked("--watch", () => new LiveReload(directory))
        : null,
    },
    tls,
    notices,
    warnings,
  };
}
