/**
 * Python's password managers for HTTP authentication: `HTTPPasswordMgr`,
 * `HTTPPasswordMgrWithDefaultRealm` and `HTTPPasswordMgrWithPriorAuth`.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `HTTPPasswordMgr` …
 * `HTTPPasswordMgrWithPriorAuth`.
 *
 * @module
 */
import { urlsplit } from "../parse/split.ts";
import { pyArgs } from "../../_util/py_args.ts";

/** A URI reduced to `[authority, path]`, as `reduce_uri` returns it. */
export type ReducedURI = [authority: string, path: string];

/** A user name and password, or `[null, null]` when none is known. */
export type UserPassword = [user: string, password: string] | [null, null];

interface StoredCredentials {
  readonly uris: ReducedURI[];
  readonly user: string;
  readonly password: string;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = {
  http: 80,
  https: 443,
};

/** Python's private `_splitport`: the port is the digits after the last colon. */
function splitPort(authority: string): [string, string | null] {
  const colon = authority.lastIndexOf(":");
  if (colon < 0) return [authority, null];
  const port = authority.slice(colon + 1);
  if (port === "" || !/^[0-9]+$/.test(port)) {
    return [port === "" ? authority.slice(0, colon) : authority, null];
  }
  return [authority.slice(0, colon), port];
}

function asList(uri: string | readonly string[]): readonly string[] {
  return typeof uri === "string" ? [uri] : uri;
}

function keyOf(uris: readonly ReducedURI[]): string {
  return JSON.stringify(uris);
}

/**
 * Remembers user names and passwords per realm and URI, and finds the ones
 * for a URI under any URI they were added for.
 *
 * @example Credentials apply to URIs below the one given
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { HTTPPasswordMgr } from "@pyport/web/urllib/request";
 * const mgr = new HTTPPasswordMgr();
 * mgr.add_password("admin", "http://example.com/private/", "alice", "s3cret");
 * deepEqual(mgr.find_user_password("admin", "http://example.com/private/a/b"), ["alice", "s3cret"]);
 * deepEqual(mgr.find_user_password("admin", "http://example.com:80/private/"), ["alice", "s3cret"]);
 * deepEqual(mgr.find_user_password("admin", "http://example.com/public"), [null, null]);
 * deepEqual(mgr.find_user_password("other", "http://example.com/private/"), [null, null]);
 * ```
 */
export class HTTPPasswordMgr {
  #byRealm = new Map<string | null, Map<string, StoredCredentials>>();

  /**
   * Stores `user` and `passwd` for `realm` (`null` for any realm, with the
   * default-realm managers) at `uri`: a URL, a `host[:port]`, or a list of
   * them.
   */
  add_password(
    realm: string | null,
    uri: string | readonly string[],
    user: string,
    passwd: string,
  ): void {
    let byUris = this.#byRealm.get(realm);
    if (!byUris) {
      byUris = new Map();
      this.#byRealm.set(realm, byUris);
    }
    for (const defaultPort of [true, false]) {
      const uris = asList(uri).map((u) => this.reduce_uri(u, defaultPort));
      byUris.set(keyOf(uris), { uris, user, password: passwd });
    }
  }

  /**
   * The user name and password stored for `realm` at a URI that
   * `authuri` is at or below, or `[null, null]`.
   */
  find_user_password(realm: string | null, authuri: string): UserPassword {
    // The URI is reduced even for an unknown realm, so a malformed one
    // raises as in Python.
    const storedList = [...(this.#byRealm.get(realm)?.values() ?? [])];
    for (const defaultPort of [true, false]) {
      const reduced = this.reduce_uri(authuri, defaultPort);
      for (const stored of storedList) {
        if (stored.uris.some((u) => this.is_suburi(u, reduced))) {
          return [stored.user, stored.password];
        }
      }
    }
    return [null, null];
  }

  /**
   * Reduces a URL or a `host[:port]` to `[authority, path]`. With
   * `default_port` (the default), an http or https URL without a port gets
   * its scheme's port (`example.com:80`).
   *
   * @example
   * ```ts
   * import { deepEqual } from "node:assert/strict";
   * import { HTTPPasswordMgr } from "@pyport/web/urllib/request";
   * const mgr = new HTTPPasswordMgr();
   * deepEqual(mgr.reduce_uri("https://example.com/a?q"), ["example.com:443", "/a"]);
   * deepEqual(mgr.reduce_uri("https://example.com", false), ["example.com", "/"]);
   * deepEqual(mgr.reduce_uri("example.com:8080"), ["example.com:8080", "/"]);
   * ```
   */
  reduce_uri(uri: string, default_port?: boolean): ReducedURI;
  /** Keyword form: `reduce_uri(uri, { default_port })`. */
  reduce_uri(uri: string, options: { default_port?: boolean }): ReducedURI;
  reduce_uri(uri: string, ...args: unknown[]): ReducedURI {
    const { default_port } = pyArgs({
      fn: "reduce_uri",
      names: ["default_port"],
      defaults: { default_port: true },
    }, args);
    const parts = urlsplit(uri);
    let scheme: string | null = null;
    let authority = uri;
    let path = "/";
    if (parts.netloc) {
      scheme = parts.scheme;
      authority = parts.netloc;
      path = parts.path || "/";
    }
    const [host, port] = splitPort(authority);
    if (default_port && port === null && scheme !== null) {
      const defaultPort = Object.hasOwn(DEFAULT_PORTS, scheme)
        ? DEFAULT_PORTS[scheme]
        : undefined;
      if (defaultPort !== undefined) authority = `${host}:${defaultPort}`;
    }
    return [authority, path];
  }

  /**
   * Whether the reduced URI `test` is `base` or lies below it: same
   * authority, and a path under `base`'s path taken as a directory.
   *
   * @example
   * ```ts
   * import { ok } from "node:assert/strict";
   * import { HTTPPasswordMgr } from "@pyport/web/urllib/request";
   * const mgr = new HTTPPasswordMgr();
   * ok(mgr.is_suburi(["h:80", "/a"], ["h:80", "/a/b"]));
   * ok(!mgr.is_suburi(["h:80", "/a"], ["h:80", "/ab"]));
   * ```
   */
  is_suburi(
    base: readonly [string, string],
    test: readonly [string, string],
  ): boolean {
    if (base[0] === test[0] && base[1] === test[1]) return true;
    if (base[0] !== test[0]) return false;
    const prefix = base[1].endsWith("/") ? base[1] : `${base[1]}/`;
    return test[1].startsWith(prefix);
  }
}

/**
 * A password manager that falls back to the credentials added for the
 * realm `null` when the realm asked for has none.
 *
 * @example
 * ```ts
 * import { deepEqual } from "node:assert/strict";
 * import { HTTPPasswordMgrWithDefaultRealm } from "@pyport/web/urllib/request";
 * const mgr = new HTTPPasswordMgrWithDefaultRealm();
 * mgr.add_password(null, "http://example.com/", "bob", "pw");
 * deepEqual(mgr.find_user_password("any realm", "http://example.com/x"), ["bob", "pw"]);
 * ```
 */
export class HTTPPasswordMgrWithDefaultRealm extends HTTPPasswordMgr {
  /** As the base class, then retries with the realm `null`. */
  override find_user_password(
    realm: string | null,
    authuri: string,
  ): UserPassword {
    const found = super.find_user_password(realm, authuri);
    if (found[0] !== null) return found;
    return super.find_user_password(null, authuri);
  }
}

/**
 * A default-realm password manager that also remembers which URIs have
 * accepted the credentials, so `HTTPBasicAuthHandler` can send them with
 * the first request instead of waiting for a 401.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { HTTPPasswordMgrWithPriorAuth } from "@pyport/web/urllib/request";
 * const mgr = new HTTPPasswordMgrWithPriorAuth();
 * mgr.add_password(null, "http://example.com/api/", "bob", "pw", true);
 * equal(mgr.is_authenticated("http://example.com/api/items"), true);
 * mgr.update_authenticated("http://example.com/api/", false);
 * equal(mgr.is_authenticated("http://example.com/api/items"), false);
 * equal(mgr.is_authenticated("http://other.example/"), null);
 * ```
 */
export class HTTPPasswordMgrWithPriorAuth
  extends HTTPPasswordMgrWithDefaultRealm {
  #authenticated = new Map<string, { uri: ReducedURI; value: boolean }>();

  /**
   * Stores the credentials (also for the realm `null`, so a first request
   * can use them) and whether they are known to be accepted at `uri`.
   */
  override add_password(
    realm: string | null,
    uri: string | readonly string[],
    user: string,
    passwd: string,
    is_authenticated?: boolean,
  ): void;
  /** Keyword form of the trailing optional parameter. */
  override add_password(
    realm: string | null,
    uri: string | readonly string[],
    user: string,
    passwd: string,
    options: { is_authenticated?: boolean },
  ): void;
  override add_password(
    realm: string | null,
    uri: string | readonly string[],
    user: string,
    passwd: string,
    ...args: unknown[]
  ): void {
    const { is_authenticated } = pyArgs({
      fn: "add_password",
      names: ["is_authenticated"],
      defaults: { is_authenticated: false },
    }, args);
    this.update_authenticated(uri, is_authenticated);
    if (realm !== null) super.add_password(null, uri, user, passwd);
    super.add_password(realm, uri, user, passwd);
  }

  /** Records whether the credentials for `uri` (or each of a list) are accepted. */
  update_authenticated(
    uri: string | readonly string[],
    is_authenticated?: boolean,
  ): void;
  /** Keyword form of the trailing optional parameter. */
  update_authenticated(
    uri: string | readonly string[],
    options: { is_authenticated?: boolean },
  ): void;
  update_authenticated(
    uri: string | readonly string[],
    ...args: unknown[]
  ): void {
    const { is_authenticated } = pyArgs({
      fn: "update_authenticated",
      names: ["is_authenticated"],
      defaults: { is_authenticated: false },
    }, args);
    for (const defaultPort of [true, false]) {
      for (const u of asList(uri)) {
        const reduced = this.reduce_uri(u, defaultPort);
        this.#authenticated.set(keyOf([reduced]), {
          uri: reduced,
          value: is_authenticated,
        });
      }
    }
  }

  /**
   * Whether credentials were accepted at a URI `authuri` is at or below;
   * `null` when no such URI was recorded (Python's `None`).
   */
  is_authenticated(authuri: string): boolean | null {
    for (const defaultPort of [true, false]) {
      const reduced = this.reduce_uri(authuri, defaultPort);
      for (const { uri, value } of this.#authenticated.values()) {
        if (this.is_suburi(uri, reduced)) return value;
      }
    }
    return null;
  }
}
