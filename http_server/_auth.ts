/**
 * HTTP Basic authentication (RFC 7617) for the file server: credentials
 * from `USER:PASS` or a file of `user:password` / `user:sha256:HEX` lines,
 * checked in constant time.
 *
 * @module
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { pyStrip } from "../_util/py_str.ts";
import type { BasicAuthUser } from "./hosting_handler.ts";

const SHA256_HEX = /^[0-9a-fA-F]{64}$/;
// Credentials that are not UTF-8 match nobody: decoded leniently, every bad
// byte became U+FFFD, so any one of them matched any other.
// A credential that starts with U+FEFF keeps it (a byte order mark dropped
// would let "\uFEFFpass" stand for "pass").
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A user as checked: SHA-256 digests of the name and of the password. */
export interface StoredUser {
  readonly user: Uint8Array;
  readonly password: Uint8Array;
}

// RFC 7617 section 2.1: with charset="UTF-8" the server expects names and
// passwords in Unicode Normalization Form C, so both sides are put in it:
// "jo\u0308se" given to --auth would otherwise refuse a client's "jos\u00e9".
function sha256(text: string): Uint8Array {
  return createHash("sha256").update(text.normalize("NFC"), "utf8").digest();
}

function hexBytes(hex: string): Uint8Array {
  return Uint8Array.from(
    hex.match(/../g) ?? [],
    (pair) => parseInt(pair, 16),
  );
}

/**
 * Digests `entry` for {@linkcode authorized}.
 *
 * @throws {TypeError} When the name is empty or holds a colon (Basic
 * credentials cannot carry one), or `sha256` is not 64 hex digits.
 */
export function storeUser(entry: BasicAuthUser): StoredUser {
  if (entry.user === "" || entry.user.includes(":")) {
    throw new TypeError(
      `user name ${JSON.stringify(entry.user)} must be non-empty, without ':'`,
    );
  }
  if ("sha256" in entry) {
    if (!SHA256_HEX.test(entry.sha256)) {
      throw new TypeError(
        `the sha256 of user ${JSON.stringify(entry.user)} is not 64 hex digits`,
      );
    }
    return { user: sha256(entry.user), password: hexBytes(entry.sha256) };
  }
  return { user: sha256(entry.user), password: sha256(entry.password) };
}

/**
 * Reads `USER:PASS` (the `--auth` form).
 *
 * @throws {TypeError} When there is no colon, or the name or password is
 * empty.
 */
export function parseUserPass(
  text: string,
): { user: string; password: string } {
  const colon = text.indexOf(":");
  if (colon <= 0 || colon === text.length - 1) {
    throw new TypeError("expected USER:PASS, both non-empty");
  }
  return { user: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Reads an `--auth-file`: one `user:password` or `user:sha256:HEX` per
 * line; blank lines and lines starting with `#` are skipped, and spaces
 * and tabs around a line. A password starting with `sha256:` is a digest,
 * so it must be followed by 64 hex digits. A user may be named once.
 *
 * @throws {TypeError} Naming the first bad line, or when no user is given.
 */
export function parseAuthFile(text: string): BasicAuthUser[] {
  const users: BasicAuthUser[] = [];
  const named = new Set<string>();
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    // Only ASCII blanks are cut: trim() would also cut a password's
    // trailing U+00A0 or U+3000, so that "pw\u00a0" stood for "pw".
    const line = pyStrip(raw, " \t\r");
    if (line === "" || line.startsWith("#")) continue;
    let entry: BasicAuthUser;
    try {
      const pair = parseUserPass(line);
      // A digest that is not 64 hex digits (cut short, or pasted with
      // sha256sum's "  -") is refused: taken as a password, the text of
      // the file would itself let one in.
      entry = pair.password.startsWith("sha256:")
        ? { user: pair.user, sha256: pair.password.slice("sha256:".length) }
        : pair;
      storeUser(entry);
    } catch {
      throw new TypeError(
        `line ${index + 1} is not user:password or user:sha256:HEX`,
      );
    }
    // A line added to change a password would leave the old one working.
    if (named.has(entry.user)) {
      throw new TypeError(`line ${index + 1} names user ${entry.user} again`);
    }
    named.add(entry.user);
    users.push(entry);
  }
  if (users.length === 0) throw new TypeError("no user:password line in it");
  return users;
}

/** The name and password an `Authorization: Basic` header carries. */
function basicCredentials(header: string): [string, string] | null {
  const match = /^basic[ \t]+([A-Za-z0-9+/]+={0,2})[ \t]*$/i.exec(header);
  if (!match) return null;
  let binary: string;
  try {
    binary = atob(match[1] as string);
  } catch {
    return null;
  }
  let text: string;
  try {
    text = decoder.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = text.indexOf(":");
  return colon === -1 ? null : [text.slice(0, colon), text.slice(colon + 1)];
}

/**
 * Whether `header` (the request's `Authorization`) names one of `users`.
 * Digests are compared with `timingSafeEqual`, against every user, so the
 * time taken does not tell how much of a name or password was right.
 */
export function authorized(
  header: string | null,
  users: readonly StoredUser[],
): boolean {
  const credentials = header === null ? null : basicCredentials(header);
  if (credentials === null) return false;
  const user = sha256(credentials[0]);
  const password = sha256(credentials[1]);
  let found = false;
  for (const stored of users) {
    const sameUser = timingSafeEqual(user, stored.user);
    const samePassword = timingSafeEqual(password, stored.password);
    found = (sameUser && samePassword) || found;
  }
  return found;
}

/** The `WWW-Authenticate` value of a 401 for `realm`. */
export function basicChallenge(realm: string): string {
  return `Basic realm="${realm.replace(/["\\]/g, "\\$&")}", charset="UTF-8"`;
}
