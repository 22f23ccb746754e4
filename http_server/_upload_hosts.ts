/**
 * Which names a browser may upload through: the defence of `--upload`
 * against DNS rebinding.
 *
 * A page on `evil.example` can have its name re-resolved to this machine
 * (or to a server on its network) after it loads. Its scripts then talk to
 * this server as their own origin: the browser sends `Host: evil.example`,
 * and `Sec-Fetch-Site: same-origin`, so the cross-site check lets them in,
 * even to a server bound to 127.0.0.1. Answering only the names this server
 * is known by stops them. Uploads from a browser must therefore address
 * the server by an IP address, by `localhost` (or a name under
 * `.localhost`, which resolves to this machine, RFC 6761), or by a name
 * the operator allowed. Clients that are not browsers cannot be rebound
 * and are not checked. Reads are left as Python serves them (any `Host`).
 *
 * Vite's `server.allowedHosts` and webpack-dev-server's `allowedHosts`
 * apply the same rule to every request of a development server.
 *
 * @module
 */

/** The wildcard that allows uploads through any name. */
export const ANY_HOST = "*";

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;

/** A name as written in `Host` or an allowed list, without port or final dot. */
function hostName(host: string): string {
  let name = host.trim().toLowerCase();
  if (name.startsWith("[")) {
    // An IPv6 literal keeps its brackets: it is never a name.
    return name.slice(0, name.indexOf("]") + 1);
  }
  const colon = name.lastIndexOf(":");
  if (colon !== -1) name = name.slice(0, colon);
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

/**
 * Whether `name` (from an allowed list) is well formed: a host name's
 * letters, digits, `-` and `.`, optionally starting with `.` (the name and
 * every name under it), or {@linkcode ANY_HOST}.
 */
export function isHostPattern(name: string): boolean {
  return name === ANY_HOST || /^\.?[a-z0-9-]+(?:\.[a-z0-9-]+)*\.?$/i.test(name);
}

function matches(name: string, pattern: string): boolean {
  const wanted = hostName(pattern);
  if (pattern.startsWith(".")) {
    const base = wanted.slice(1);
    return name === base || name.endsWith(wanted);
  }
  return name === wanted;
}

/**
 * Whether a browser's request whose `Host` header is `host` addresses this
 * server by a name it may trust: an IP address, `localhost` or a name under
 * it, or one of `allowed` (names, `.name` for a name and those under it,
 * or {@linkcode ANY_HOST}). No `Host` at all is not trusted.
 */
export function isTrustedHost(
  host: string | null,
  allowed: readonly string[],
): boolean {
  if (allowed.includes(ANY_HOST)) return true;
  if (host === null) return false;
  const name = hostName(host);
  if (name.startsWith("[") || IPV4.test(name)) return true;
  if (name === "localhost" || name.endsWith(".localhost")) return true;
  return allowed.some((pattern) => matches(name, pattern));
}
