/**
 * Python's `urllib.request` for Deno: `urlopen`, `Request`, openers and
 * handlers with Python's names and dispatch rules. I/O is async:
 * `await urlopen(url)`, `await resp.read()`. FTP is not supported.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { Request, urlopen } from "@pyport/web/urllib/request";
 * const req = new Request("data:text/plain,hello");
 * await using resp = await urlopen(req);
 * assert(new TextDecoder().decode(await resp.read()) === "hello");
 * ```
 *
 * @module
 */
export {
  type FileBody,
  type HttpURL,
  Request,
  request_host,
  type RequestData,
  type RequestHeaders,
  type RequestOptions,
} from "./request.ts";
export {
  addinfourl,
  type BodySource,
  HTTPResponse,
  type ResponseFor,
} from "./response.ts";
export { BaseHandler } from "./base_handler.ts";
export {
  __version__,
  build_opener,
  type Chain,
  type HandlerSpec,
  install_opener,
  type InstallableOpener,
  type Openable,
  OpenerDirector,
  type OpenOptions,
  urlopen,
  type UrlopenOptions,
} from "./opener.ts";
export {
  AbstractHTTPHandler,
  HTTPHandler,
  HTTPSHandler,
  type HTTPSHandlerOptions,
} from "./http_handler.ts";
export {
  create_default_context,
  SSLContext,
  type VerifyLocations,
} from "./ssl_context.ts";
export { SSLCertVerificationError, SSLError } from "./ssl_error.ts";
export {
  HTTPDefaultErrorHandler,
  HTTPErrorProcessor,
} from "./error_handlers.ts";
export { HTTPRedirectHandler } from "./redirect_handler.ts";
export { getproxies, proxy_bypass, ProxyHandler } from "./proxy_handler.ts";
export { FileHandler } from "./file_handler.ts";
export { DataHandler } from "./data_handler.ts";
export { UnknownHandler } from "./unknown_handler.ts";
export {
  type ReportHook,
  urlcleanup,
  urlretrieve,
  type UrlretrieveOptions,
} from "./retrieve.ts";
export { pathname2url, url2pathname } from "./pathname.ts";
export {
  Cookie,
  type CookieClearOptions,
  type CookieInit,
  CookieJar,
  type CookieRequest,
  type CookieResponse,
} from "./cookiejar.ts";
export {
  type CookieFileArgs,
  type CookieFileOptions,
  FileCookieJar,
  type FileCookieJarOptions,
  LoadError,
  MozillaCookieJar,
} from "./file_cookiejar.ts";
export { HTTPCookieProcessor } from "./cookie_processor.ts";
export {
  HTTPPasswordMgr,
  HTTPPasswordMgrWithDefaultRealm,
  HTTPPasswordMgrWithPriorAuth,
  type ReducedURI,
  type UserPassword,
} from "./password_mgr.ts";
export {
  AbstractBasicAuthHandler,
  AbstractDigestAuthHandler,
  type AuthResponse,
  type DigestHash,
  HTTPBasicAuthHandler,
  HTTPDigestAuthHandler,
  parse_http_list,
  parse_keqv_list,
  ProxyBasicAuthHandler,
  ProxyDigestAuthHandler,
} from "./auth_handlers.ts";
// Python's http.client.HTTPMessage: the type of every response's headers.
export {
  type AsStringOptions,
  type FailobjOption,
  HTTPMessage,
  type ParamOptions,
  type ParamValue,
  type Rfc2231Value,
} from "../../_util/http_message.ts";
// Python's bytes-like objects: what a request body may be.
export type { BytesLike } from "../../_util/bytes_like.ts";
// Python's mixed call form: `urlopen(url, data, 5, { context })`.
export type { MixedArgs } from "../../_util/py_args.ts";
