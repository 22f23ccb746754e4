/**
 * The request's half of `--upload` (`_upload.ts` is the file system's):
 * what the head of an upload alone is refused for (where it comes from,
 * the name it addresses the server by, its target, a partial PUT, its
 * size), which folders take files, what stands in a file's way, and the
 * answer to stored files.
 *
 * The rules read the request and the handler's settings through
 * {@linkcode UploadRequest}, which the handler is, so they are tested
 * without a socket.
 *
 * @module
 */
import { isAmong } from "./_secret_files.ts";
import type { HTTPMessage } from "../_util/http_message.ts";
import { ENCODING_SUFFIX } from "./_compress.ts";
import { isHiddenPath, pathOnly, relativeTo } from "./_hosting_paths.ts";
import {
  isMissing,
  lstatOrNull,
  realRoot,
  startsWithFolder,
} from "./_inside.ts";
import { preferredMediaType } from "./_negotiate.ts";
import { decodesAsUtf8, htmlEscape, quote } from "./_text.ts";
import { joinName, locationPath } from "./_translate.ts";
import {
  discard,
  moveIntoPlace,
  type ReceivedFile,
  UploadError,
} from "./_upload.ts";
import { isTrustedHost } from "./_upload_hosts.ts";

const encoder = new TextEncoder();

/** What the upload rules read: the request, and the handler's settings. */
export interface UploadRequest {
  readonly command: string | null;
  readonly path: string;
  readonly headers: HTTPMessage;
  /** The served folder. */
  readonly directory: string;
  readonly hide_dotfiles: boolean;
  readonly overwrite: boolean;
  readonly precompressed: boolean;
  readonly max_upload: number;
  readonly upload_hosts: readonly string[];
  /** Files no upload replaces (`SimpleHTTPRequestHandler`'s option). */
  readonly secret_files: readonly string[];
}

/** What storing one file did. */
export interface PlacedFile {
  readonly name: string;
  readonly outcome: "created" | "replaced";
}

/** The response to stored files. */
export interface UploadedAnswer {
  readonly status: 200 | 201;
  /** The file's address, when one file was created. */
  readonly location: string | null;
  readonly type: string;
  readonly body: Uint8Array;
}

/**
 * The upload's length, once the head of `request` passes; throws the
 * {@linkcode UploadError} that the head alone earns, if any: another
 * site's page, a host name a rebound page would use, a target that is not
 * a path, a partial PUT, a missing, malformed or too large length, a path
 * that is not UTF-8.
 */
export function checkUploadHead(request: UploadRequest): number {
  const { headers } = request;
  if (isCrossSite(headers)) {
    throw new UploadError(403, "uploads from another site are refused");
  }
  if (
    isFromBrowser(headers) &&
    !isTrustedHost(headers.get("Host"), request.upload_hosts)
  ) {
    throw new UploadError(
      403,
      "uploads through this host name are refused (see --upload-hosts)",
    );
  }
  // The answer links back to the path: only a path (origin form) may come
  // back in it, never `javascript:…` or another host's URL.
  if (!request.path.startsWith("/")) {
    throw new UploadError(400, "the target of an upload must be a path");
  }
  // A partial PUT would store the range as the whole file: RFC 9110
  // (section 14.5) asks for 400 from a server that does not apply ranges.
  if (request.command === "PUT" && headers.get("Content-Range") !== null) {
    throw new UploadError(400, "a PUT with Content-Range is not supported");
  }
  const length = uploadLength(request);
  // Bytes that are not UTF-8 would reach the disk as U+FFFD, so that
  // different names would land on the same file (PUT), or the folder
  // would seem not to exist (POST).
  if (!decodesAsUtf8(pathOnly(request.path))) {
    throw new UploadError(400, "the path is not UTF-8 once decoded");
  }
  return length;
}

/** The upload's `Content-Length`: required, digits only, at most `max_upload`. */
function uploadLength(request: UploadRequest): number {
  const header = request.headers.get("Content-Length")?.trim() ?? null;
  if (header === null) {
    throw new UploadError(411, "an upload needs a Content-Length");
  }
  if (!/^\d+$/.test(header)) throw new UploadError(400, "bad Content-Length");
  const length = Number(header);
  if (length > request.max_upload) {
    throw new UploadError(
      413,
      `the upload is larger than the limit of ${request.max_upload} bytes`,
    );
  }
  return length;
}

/** Whether a browser sent the request: it says where it comes from. */
function isFromBrowser(headers: HTTPMessage): boolean {
  return headers.get("Sec-Fetch-Site") !== null ||
    headers.get("Origin") !== null;
}

/**
 * Whether a browser sent this request from a page of another site: a form
 * there posts here with no preflight, carrying the credentials the browser
 * keeps for this server. Browsers say where a request comes from
 * (`Sec-Fetch-Site`, else `Origin`, which every browser sends with a
 * POST); other clients send neither and are not affected. The rule of
 * Go's `CrossOriginProtection`.
 */
export function isCrossSite(headers: HTTPMessage): boolean {
  const site = headers.get("Sec-Fetch-Site");
  if (site !== null) return site !== "same-origin" && site !== "none";
  const origin = headers.get("Origin");
  if (origin === null) return false;
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return true; // "null": a sandboxed or privacy-hidden origin
  }
  return host !== (headers.get("Host") ?? "").toLowerCase();
}

/**
 * Checks that uploads may write in `folder`: an existing folder (else
 * `missing`, the status), not hidden with `hide_dotfiles` (as the path
 * names it, nor once links are resolved), inside the served folder once
 * every symbolic link is resolved (403 otherwise, whether links may be
 * followed or not).
 */
export async function checkUploadFolder(
  request: UploadRequest,
  folder: string,
  missing: number,
): Promise<void> {
  const hidden = request.hide_dotfiles;
  if (hidden && isHiddenPath(relativeTo(request.directory, folder))) {
    throw new UploadError(403, "hidden folders do not accept uploads");
  }
  let real: string;
  try {
    real = await Deno.realPath(folder);
    if (!(await Deno.stat(real)).isDirectory) throw new Error("not a folder");
  } catch {
    throw new UploadError(missing, "the folder does not exist");
  }
  const root = realRoot(request.directory);
  if (!startsWithFolder(real, root)) {
    throw new UploadError(403, "the folder is outside the served folder");
  }
  // A link inside the folder (sub/git -> ../.git) leads into a hidden
  // folder under a name that is not hidden: the rule is of where the file
  // lands, not of how the path spells it.
  if (hidden && isHiddenPath(real.slice(root.length))) {
    throw new UploadError(403, "hidden folders do not accept uploads");
  }
}

/**
 * Why an upload to `target` may not go ahead, or `null`: one of the
 * `secret_files` (or a link to one); with `overwrite`,
 * a folder there; else the file exists; or, with `precompressed`, it would
 * change what an existing file serves (`x.gz` beside `x`: browsers would
 * get the upload in place of `x`), or an existing `x.gz` or `x.br` would
 * be served in place of the upload `x`.
 */
export function uploadConflict(
  request: UploadRequest,
  target: string,
): string | null {
  if (isAmong(request.secret_files, target)) return "may not be replaced";
  // With overwrite, only a folder stands in the way: nothing replaces one.
  if (request.overwrite) {
    return lstatOrNull(target)?.isDirectory ? "already exists" : null;
  }
  if (!isMissing(target)) return "already exists";
  if (!request.precompressed) return null;
  for (const suffix of Object.values(ENCODING_SUFFIX)) {
    if (
      target.endsWith(suffix) && !isMissing(target.slice(0, -suffix.length))
    ) {
      return "would be served in place of the file it compresses";
    }
    if (!isMissing(target + suffix)) {
      return `has a ${suffix} beside it, served in its place`;
    }
  }
  return null;
}

/**
 * Moves the received `files` into `folder`, refusing them all (409)
 * before any move when a name is taken.
 */
export async function placeAll(
  request: UploadRequest,
  files: readonly ReceivedFile[],
  folder: string,
): Promise<PlacedFile[]> {
  // Refused whole when a name is taken (or, with overwrite, is a folder,
  // which nothing replaces): else earlier files were already in place
  // when a later one failed.
  for (const file of files) {
    const conflict = uploadConflict(request, joinName(folder, file.name));
    if (conflict !== null) {
      await Promise.all(files.map((f) => discard(f.temp)));
      throw new UploadError(409, `${file.name} ${conflict}`);
    }
  }
  const placed: PlacedFile[] = [];
  for (const [index, file] of files.entries()) {
    try {
      const target = joinName(folder, file.name);
      const outcome = await moveIntoPlace(file.temp, target, request.overwrite);
      placed.push({ name: file.name, outcome });
    } catch (error) {
      // Another upload took a name meanwhile: keep what is stored.
      await Promise.all(files.slice(index + 1).map((f) => discard(f.temp)));
      throw error;
    }
  }
  return placed;
}

/**
 * The answer to a form's stored files: a page linking each (for a browser,
 * by `Accept`) or their JSON list; 201 when one was created.
 */
export function uploadedAnswer(
  request: UploadRequest,
  placed: readonly PlacedFile[],
): UploadedAnswer {
  const base = locationPath(pathOnly(request.path)).replace(/\/?$/, "/");
  const items = placed.map(({ name, outcome }) => ({
    name,
    href: base + quote(name),
    status: outcome,
  }));
  const html = preferredMediaType(request.headers.get("Accept"), [
    "application/json",
    "text/html",
  ]) === "text/html";
  const text = html
    ? `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Uploaded</title>\n</head>\n<body>\n<p>Uploaded:</p>\n<ul>\n${
      items.map((i) =>
        `<li><a href="${htmlEscape(i.href)}">${
          htmlEscape(i.name)
        }</a> (${i.status})</li>`
      ).join("\n")
    }\n</ul>\n<p><a href="${
      htmlEscape(base)
    }">Back to the folder</a></p>\n</body>\n</html>\n`
    : JSON.stringify(items);
  const created = placed.some((p) => p.outcome === "created");
  return {
    status: created ? 201 : 200,
    location: created && items.length === 1 ? items[0]!.href : null,
    type: html ? "text/html; charset=utf-8" : "application/json",
    body: encoder.encode(text),
  };
}
