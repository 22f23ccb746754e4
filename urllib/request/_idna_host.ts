/**
 * Host names beyond ASCII as they go on the wire: in IDNA's ASCII form
 * (`bücher.example` is `xn--bcher-kva.example`), to the resolver, in a
 * `CONNECT` line or a proxy's request target, for TLS and in `Host`.
 *
 * Follows CPython 3.13 `Lib/encodings/idna.py` (what `socket` and
 * `http.client` apply to such a name, and its `label too long` error); the
 * mapping itself is UTS #46's, as browsers and `fetch` apply it, not the
 * IDNA 2003 of Python's codec (`straße.de` is `xn--strae-oqa.de`, where
 * Python's is `strasse.de`).
 *
 * @module
 */
import { domainToASCII } from "node:url";
import { UnicodeEncodeError } from "../../_util/codec/mod.ts";
import { URL_FORBIDDEN } from "./_split.ts";

const NON_ASCII = /[^\0-\x7f]/;
// The dots UTS #46 (and Python's codec) split labels at.
const LABEL_DOTS = /[.\u3002\uff0e\uff61]/;
const MAX_LABEL = 63;

/**
 * `name` (a host name, without a port) in IDNA's ASCII form when it has a
 * character beyond ASCII; as it is otherwise. A name that has no such form
 * (a label longer than 63 bytes once encoded) is Python's
 * `UnicodeEncodeError` for the `idna` codec.
 */
export function idnaHostname(name: string): string {
  // A name the URL checks refuse is left for them to refuse, with
  // Python's message.
  if (!NON_ASCII.test(name) || URL_FORBIDDEN.test(name)) return name;
  const ascii = domainToASCII(name);
  const labels = name.split(LABEL_DOTS);
  const encoded = ascii.split(".");
  const bad = ascii === ""
    ? 0
    : encoded.findIndex((label) => label.length > MAX_LABEL);
  if (bad === -1) return ascii;
  const label = labels[bad] ?? name;
  throw new UnicodeEncodeError(
    "idna",
    label,
    0,
    [...label].length,
    ascii === "" ? "not a valid host name" : "label too long",
    label.codePointAt(0) ?? 0,
  );
}

/**
 * `host` (a name with an optional `:port`, as a `Host` header holds it)
 * with its name in IDNA's ASCII form; see {@linkcode idnaHostname}.
 */
export function idnaAuthority(host: string): string {
  if (!NON_ASCII.test(host)) return host;
  const colon = host.lastIndexOf(":");
  // A name beyond ASCII is never a bracketed IPv6 address.
  if (colon === -1) return idnaHostname(host);
  return idnaHostname(host.slice(0, colon)) + host.slice(colon);
}

/**
 * A request target in absolute form (`http://bücher.example/x`, as sent to
 * a proxy) with its host in IDNA's ASCII form; any other target as it is.
 * A path or query beyond ASCII is left for the URL checks to refuse.
 */
export function idnaTarget(target: string): string {
  const parts = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#]*)(.*)$/s.exec(target);
  if (parts === null || !NON_ASCII.test(parts[2]!)) return target;
  const [, scheme, authority, rest] = parts as unknown as [
    string,
    string,
    string,
    string,
  ];
  const at = authority.lastIndexOf("@");
  return scheme + authority.slice(0, at + 1) +
    idnaAuthority(authority.slice(at + 1)) + rest;
}
