/**
 * Python's `ProxyHandler`, `getproxies` and `proxy_bypass` (the
 * environment-variable forms Python uses on Linux).
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `ProxyHandler`,
 * `getproxies_environment` and `proxy_bypass_environment`.
 *
 * @module
 */
import { pyLower } from "../../_util/py_case.ts";
import { pyArgs } from "../../_util/py_args.ts";
import { pyRepr } from "../../_util/py_repr.ts";
import { unquote } from "../parse/mod.ts";
import { base64Utf8 } from "./auth_handlers.ts";
import { BaseHandler } from "./base_handler.ts";
import type { Request } from "./request.ts";
import type { addinfourl } from "./response.ts";
import { splitPasswd, splitPort, splitType, splitUser } from "./_split.ts";
import { pyStrip } from "../../_util/py_str.ts";

/**
 * The variables read where env permission is given by name only
 * (`--allow-env=http_proxy,no_proxy`): the whole environment cannot be
 * listed then, so the usual `<scheme>_proxy` names are asked for one by
 * one, in both cases, and `REQUEST_METHOD` for the CGI rule.
 */
const NAMED_VARIABLES = ["http", "https", "ftp", "all", "no"]
  .flatMap((scheme) => [`${scheme.toUpperCase()}_PROXY`, `${scheme}_proxy`])
  .concat("REQUEST_METHOD");

/** Whether env permission is already given for `variable` (or all). */
function mayRead(variable?: string): boolean {
  const descriptor: Deno.EnvPermissionDescriptor = variable === undefined
    ? { name: "env" }
    : { name: "env", variable };
  return Deno.permissions.querySync(descriptor).state === "granted";
}

function environment(): Record<string, string> {
  try {
    // Asking first keeps urlopen from raising a permission prompt: without
    // env access there are simply no proxy settings.
    if (mayRead()) return Deno.env.toObject();
    const env: Record<string, string> = {};
    for (const name of NAMED_VARIABLES) {
      const value = mayRead(name) ? Deno.env.get(name) : undefined;
      if (value !== undefined) env[name] = value;
    }
    return env;
  } catch {
    // No permission API here: no proxy settings to read.
    return {};
  }
}

/**
 * Python's `getproxies()`: the `<scheme>_proxy` environment variables (any
 * case; a lower-case one wins; an empty one removes the scheme) as a
 * `{ scheme: url }` record. `no_proxy` appears as `no`. When
 * `REQUEST_METHOD` is set (a CGI script) the upper-case `HTTP_PROXY` is
 * ignored, as in Python. Only variables Deno's env permission already
 * covers are read (it never prompts): all of them with `--allow-env`; with
 * `--allow-env=NAME,...`, those of `http_proxy`, `https_proxy`,
 * `ftp_proxy`, `all_proxy`, `no_proxy` (lower or upper case) and
 * `REQUEST_METHOD` that it names. Without env permission there are no
 * proxies, and requests go straight to the server.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { getproxies } from "@pyport/web/urllib/request";
 * Deno.env.set("ftp_proxy", "http://127.0.0.1:3128");
 * assert(getproxies()["ftp"] === "http://127.0.0.1:3128");
 * Deno.env.delete("ftp_proxy");
 * ```
 */
export function getproxies(): Record<string, string> {
  const env = environment();
  const proxies: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    const lower = pyLower(name);
    if (value && lower.endsWith("_proxy")) proxies[lower.slice(0, -6)] = value;
  }
  if ("REQUEST_METHOD" in env) delete proxies["http"];
  for (const [name, value] of Object.entries(env)) {
    if (name.endsWith("_proxy")) {
      const key = pyLower(name).slice(0, -6);
      if (value) proxies[key] = value;
      else delete proxies[key];
    }
  }
  return proxies;
}

/**
 * Python's `proxy_bypass(host)`: whether `no_proxy` (from `proxies`, else
 * the environment) says to reach `host` directly: `*`, an exact host
 * (with or without port), or a domain suffix (`.example.com` or
 * `example.com`).
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { proxy_bypass } from "@pyport/web/urllib/request";
 * const proxies = { no: "localhost, .internal.test" };
 * assert(proxy_bypass("api.internal.test:8080", proxies));
 * assert(!proxy_bypass("example.com", proxies));
 * assert(proxy_bypass("localhost", { proxies }));
 * ```
 */
export function proxy_bypass(
  host: string,
  proxies?: Record<string, string> | null,
): boolean;
/** `proxies` given as a keyword. */
export function proxy_bypass(
  host: string,
  options: { proxies?: Record<string, string> | null },
): boolean;
export function proxy_bypass(host: string, ...args: unknown[]): boolean {
  const { proxies } = proxiesArg("proxy_bypass", args);
  const noProxy = (proxies ?? getproxies())["no"];
  if (noProxy === undefined) return false;
  if (noProxy === "*") return true;
  const full = pyLower(host);
  const [hostonly] = splitPort(full);
  for (const raw of noProxy.split(",")) {
    let name = pyStrip(raw);
    if (!name) continue;
    name = pyLower(name.replace(/^\.+/, ""));
    if (hostonly === name || full === name) return true;
    name = "." + name;
    if (hostonly.endsWith(name) || full.endsWith(name)) return true;
  }
  return false;
}

/**
 * The optional `proxies` mapping, positional or as the keyword: a mapping
 * whose every key is `proxies` is the keyword (no scheme is so named).
 */
function proxiesArg(
  fn: string,
  args: readonly unknown[],
): { proxies: Record<string, string> | null } {
  return pyArgs({
    fn,
    names: ["proxies"] as const,
    defaults: { proxies: null as Record<string, string> | null },
    objectParams: ["proxies"] as const,
  }, args);
}

/** Python's `_parse_proxy`: `[scheme, user, password, hostport]`. */
function parseProxy(
  proxy: string,
): [string | null, string | null, string | null, string] {
  let [scheme, rest] = splitType(proxy);
  let authority: string;
  if (!rest.startsWith("/")) {
    scheme = null;
    authority = proxy;
  } else {
    if (!rest.startsWith("//")) {
      throw new TypeError(`proxy URL with no authority: ${pyRepr(proxy)}`);
    }
    // With credentials, the authority ends at the first "/" after the "@":
    // a password may hold a "/" (Python 3.13 looks from the "@" too).
    const at = rest.indexOf("@");
    const end = rest.indexOf("/", at < 0 ? 2 : at);
    authority = rest.slice(2, end < 0 ? undefined : end);
  }
  const [userinfo, hostport] = splitUser(authority);
  if (userinfo === null) return [scheme, null, null, hostport];
  const [user, password] = splitPasswd(userinfo);
  return [scheme, user, password, hostport];
}

/**
 * Python's `urllib.request.ProxyHandler` (order 100): sends each scheme's
 * requests through its proxy. `proxies` maps schemes to proxy URLs
 * (`{ http: "http://user:pw@127.0.0.1:3128" }`); by default they come from
 * {@linkcode getproxies}. Credentials in the proxy URL are sent as
 * `Proxy-Authorization: Basic …`; HTTPS goes through a CONNECT tunnel;
 * hosts matched by `no_proxy` are reached directly.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { ProxyHandler } from "@pyport/web/urllib/request";
 * const handler = new ProxyHandler({ http: "http://127.0.0.1:3128" });
 * assert(typeof (handler as unknown as Record<string, unknown>)["http_open"] === "function");
 * // Python's ProxyHandler(proxies={...}):
 * const same = new ProxyHandler({ proxies: { http: "http://127.0.0.1:3128" } });
 * assert(same.proxies["http"] === "http://127.0.0.1:3128");
 * ```
 */
export class ProxyHandler extends BaseHandler {
  /** Runs before the other handlers (Python's 100). */
  override handler_order = 100;
  /** The scheme → proxy URL mapping in use. */
  proxies: Record<string, string>;

  /** `new ProxyHandler(proxies?)`; `null` reads them from the environment. */
  constructor(proxies?: Record<string, string> | null);
  /** `proxies` given as a keyword. */
  constructor(options: { proxies?: Record<string, string> | null });
  constructor(...args: unknown[]) {
    super();
    this.proxies = proxiesArg("ProxyHandler", args).proxies ?? getproxies();
    if (typeof this.proxies !== "object") {
      throw new TypeError("proxies must be a mapping");
    }
    for (const [key, url] of Object.entries(this.proxies)) {
      const type = pyLower(key);
      // Python adds one `<scheme>_open` per proxied scheme to the instance.
      Object.defineProperty(this, `${type}_open`, {
        value: (r: Request) => this.proxy_open(r, url, type),
        enumerable: false,
        configurable: true,
        writable: true,
      });
    }
  }

  /** Points `req` at `proxy`; re-opens it when the proxy's scheme differs. */
  proxy_open(
    req: Request,
    proxy: string,
    _type: string,
  ): Promise<addinfourl> | null {
    const origType = req.type;
    const [parsedType, user, password, hostport] = parseProxy(proxy);
    const proxyType = parsedType ?? origType;
    if (req.host && proxy_bypass(req.host)) return null;
    if (user && password) {
      const creds = base64Utf8(`${unquote(user)}:${unquote(password)}`);
      req.add_header("Proxy-authorization", "Basic " + creds);
    }
    req.set_proxy(unquote(hostport), proxyType);
    if (origType === proxyType || origType === "https") return null;
    return this.parent.open(req, {
      timeout: req.timeout,
      signal: req.signal,
    });
  }
}
