/**
 * Netloc validation (what `urlsplit` rejects) and netloc decomposition (what
 * the result classes expose as `username`, `hostname`, `port`...).
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, `_checknetloc`,
 * `_check_bracketed_host` (with the gh-105704 bracket rule of later 3.13
 * releases) and `_NetlocResultMixinBase`.
 *
 * @module
 */

import { reprStr } from "../../_util/py_repr.ts";
import { pyLower } from "../../_util/py_case.ts";

function invalidIPv6(): TypeError {
  return new TypeError("Invalid IPv6 URL");
}

/**
 * Validates a netloc that contains brackets, mirroring how
 * {@linkcode hostInfo} later splits it so the two can never disagree
 * (CVE-2025-0938: no text before `[` nor between `]` and `:port`).
 */
export function checkBracketedNetloc(netloc: string): void {
  const hostAndPort = netloc.slice(netloc.lastIndexOf("@") + 1);
  const open = hostAndPort.indexOf("[");
  let hostname: string;
  if (open >= 0) {
    if (open > 0) throw invalidIPv6();
    const close = hostAndPort.indexOf("]", open + 1);
    if (close < 0) {
      hostname = hostAndPort.slice(open + 1);
    } else {
      hostname = hostAndPort.slice(open + 1, close);
      if (close + 1 < hostAndPort.length && hostAndPort[close + 1] !== ":") {
        throw invalidIPv6();
      }
    }
  } else {
    const colon = hostAndPort.indexOf(":");
    hostname = colon < 0 ? hostAndPort : hostAndPort.slice(0, colon);
  }
  checkBracketedHost(hostname);
}

function isHexDigit(c: number): boolean {
  return (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102);
}

/** Accepts an IPvFuture literal (`v1.x`) or an IPv6 address, as RFC 3986. */
function checkBracketedHost(hostname: string): void {
  if (hostname.charCodeAt(0) === 0x76 /* v */) {
    if (!isIPvFuture(hostname)) {
      throw new TypeError("IPvFuture address is invalid");
    }
    return;
  }
  if (isIPv4(hostname)) {
    throw new TypeError("An IPv4 address cannot be in brackets");
  }
  if (!isIPv6(hostname)) {
    throw new TypeError(
      `${reprStr(hostname)} does not appear to be an IPv4 or IPv6 address`,
    );
  }
}

function isIPvFuture(host: string): boolean {
  let i = 1;
  while (i < host.length && isHexDigit(host.charCodeAt(i))) i++;
  if (i === 1 || host.charCodeAt(i) !== 0x2e /* . */) return false;
  const rest = host.slice(i + 1);
  // A regex "." in Python excludes only "\n" (removed earlier anyway).
  return rest.length > 0 && !rest.includes("\n");
}

/** Python's `ipaddress.IPv4Address` rules: four strict decimal octets. */
export function isIPv4(text: string): boolean {
  const octets = text.split(".");
  if (octets.length !== 4) return false;
  for (const octet of octets) {
    const len = octet.length;
    if (len === 0 || len > 3) return false;
    for (let i = 0; i < len; i++) {
      const c = octet.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    if (len > 1 && octet.charCodeAt(0) === 48) return false;
    if (Number(octet) > 255) return false;
  }
  return true;
}

function isHextet(part: string): boolean {
  const len = part.length;
  if (len === 0 || len > 4) return false;
  for (let i = 0; i < len; i++) {
    if (!isHexDigit(part.charCodeAt(i))) return false;
  }
  return true;
}

/**
 * Python's `ipaddress.IPv6Address` rules, including an optional `%zone`
 * suffix and an embedded dotted IPv4 tail.
 */
export function isIPv6(text: string): boolean {
  const pct = text.indexOf("%");
  let addr = text;
  if (pct >= 0) {
    const zone = text.slice(pct + 1);
    if (zone.length === 0 || zone.includes("%")) return false;
    addr = text.slice(0, pct);
  }
  if (addr.length === 0 || addr.includes("/")) return false;
  const parts = addr.split(":");
  if (parts.length < 3) return false;
  const last = parts[parts.length - 1] as string;
  if (last.includes(".")) {
    if (!isIPv4(last)) return false;
    // The dotted tail stands for two hextets.
    parts[parts.length - 1] = "0";
    parts.push("0");
  }
  const count = parts.length;
  if (count > 9) return false;
  let skip = -1;
  for (let i = 1; i < count - 1; i++) {
    if (parts[i] === "") {
      if (skip >= 0) return false;
      skip = i;
    }
  }
  let hi: number;
  let lo: number;
  if (skip >= 0) {
    hi = skip;
    lo = count - skip - 1;
    if (parts[0] === "" && --hi !== 0) return false;
    if (parts[count - 1] === "" && --lo !== 0) return false;
    if (8 - (hi + lo) < 1) return false;
  } else {
    if (count !== 8 || parts[0] === "" || parts[count - 1] === "") {
      return false;
    }
    hi = count;
    lo = 0;
  }
  for (let i = 0; i < hi; i++) if (!isHextet(parts[i] as string)) return false;
  for (let i = count - lo; i < count; i++) {
    if (!isHextet(parts[i] as string)) return false;
  }
  return true;
}

/**
 * Rejects a non-ASCII netloc whose NFKC form gains a URL delimiter (for
 * example U+2100 becomes "a/c"), since IDNA would apply that normalisation
 * and reroute the request.
 */
export function checkNetlocNormalization(netloc: string): void {
  let n = netloc;
  for (const c of ["@", ":", "#", "?"]) {
    if (n.includes(c)) n = n.replaceAll(c, "");
  }
  const normalized = n.normalize("NFKC");
  if (n === normalized) return;
  for (const c of ["/", "?", "#", "@", ":"]) {
    if (normalized.includes(c)) {
      throw new TypeError(
        `netloc '${netloc}' contains invalid characters under NFKC normalization`,
      );
    }
  }
}

/** The user-info half of a netloc: `[username, password]`, each maybe null. */
export function userInfo(netloc: string): [string | null, string | null] {
  const at = netloc.lastIndexOf("@");
  if (at < 0) return [null, null];
  const colon = netloc.indexOf(":");
  if (colon < 0 || colon > at) return [netloc.slice(0, at), null];
  return [netloc.slice(0, colon), netloc.slice(colon + 1, at)];
}

/** The host half of a netloc: `[hostname, port]`, port null when empty. */
export function hostInfo(netloc: string): [string, string | null] {
  const hostinfo = netloc.slice(netloc.lastIndexOf("@") + 1);
  const open = hostinfo.indexOf("[");
  let hostname: string;
  let port: string;
  if (open >= 0) {
    const close = hostinfo.indexOf("]", open + 1);
    if (close < 0) {
      hostname = hostinfo.slice(open + 1);
      port = "";
    } else {
      hostname = hostinfo.slice(open + 1, close);
      const colon = hostinfo.indexOf(":", close + 1);
      port = colon < 0 ? "" : hostinfo.slice(colon + 1);
    }
  } else {
    const colon = hostinfo.indexOf(":");
    hostname = colon < 0 ? hostinfo : hostinfo.slice(0, colon);
    port = colon < 0 ? "" : hostinfo.slice(colon + 1);
  }
  return [hostname, port === "" ? null : port];
}

/** Lower-cases a hostname but keeps an IPv6 zone id (`%eth0`) as written. */
export function lowerHostname(hostname: string, asciiOnly: boolean): string {
  const pct = hostname.indexOf("%");
  const head = pct < 0 ? hostname : hostname.slice(0, pct);
  const lowered = asciiOnly ? asciiLower(head) : pyLower(head);
  return pct < 0 ? lowered : lowered + hostname.slice(pct);
}

function asciiLower(text: string): string {
  return text.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** Converts the text of a port to a number as Python's `port` property. */
export function portNumber(port: string, repr: string): number {
  const len = port.length;
  for (let i = 0; i < len; i++) {
    const c = port.charCodeAt(i);
    if (c < 48 || c > 57) {
      throw new TypeError(
        `Port could not be cast to integer value as ${repr}`,
      );
    }
  }
  const value = Number(port);
  if (value > 65535) throw new RangeError("Port out of range 0-65535");
  return value;
}
