/**
 * Parsing of `WWW-Authenticate` / `Proxy-Authenticate` challenges and of
 * RFC 2068 comma lists.
 *
 * Every function here is a single forward scan with no regular expressions,
 * so a hostile header costs time proportional to its length; CPython's
 * CVE-2020-8492 was a backtracking regex on this exact input.
 *
 * Follows CPython 3.13 `Lib/urllib/request.py`, `AbstractBasicAuthHandler.rx` /
 * `_parse_realm`, `parse_http_list` and `parse_keqv_list`.
 *
 * @module
 */
import { pyRepr } from "../../_util/py_repr.ts";
import { pySplit, pyStrip } from "../../_util/py_str.ts";

/** One challenge found by {@linkcode parseBasicChallenges}. */
export interface Challenge {
  /** The auth scheme as written (`Basic`, `Digest`, …). */
  readonly scheme: string;
  /** The realm, or `null` when the header held no `scheme realm=…` pair. */
  readonly realm: string | null;
  /** Whether the realm was written in quotes (Python warns when it is not). */
  readonly quoted: boolean;
}

const COMMA = 0x2c;
const SPACE = 0x20;
const TAB = 0x09;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const BACKSLASH = 0x5c;

function isBlank(code: number): boolean {
  return code === SPACE || code === TAB;
}

function isQuote(code: number): boolean {
  return code === DQUOTE || code === SQUOTE;
}

function skipBlanks(s: string, i: number): number {
  while (i < s.length && isBlank(s.charCodeAt(i))) i++;
  return i;
}

function hasRealmAt(s: string, i: number): boolean {
  return s.slice(i, i + 6).toLowerCase() === "realm=";
}

interface Match {
  readonly challenge: Challenge;
  readonly end: number;
}

/**
 * Tries to read `[ \t]*scheme[ \t]+realm=(q?)value\q` starting at `i`, which
 * is either 0 or just past a comma. The scan for `scheme` never crosses a
 * comma, and once `realm=` is seen the attempt always succeeds, so failed
 * attempts cost at most the distance to the next comma.
 */
function matchChallengeAt(s: string, i: number): Match | null {
  const schemeStart = skipBlanks(s, i);
  let j = schemeStart;
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (isBlank(c) || c === COMMA) break;
    j++;
  }
  if (j === schemeStart) return null;
  const scheme = s.slice(schemeStart, j);
  const afterBlanks = skipBlanks(s, j);
  if (afterBlanks === j || !hasRealmAt(s, afterBlanks)) return null;
  const valueStart = afterBlanks + 6;
  const quote = s.charCodeAt(valueStart);
  if (isQuote(quote)) {
    let k = valueStart + 1;
    while (k < s.length && !isQuote(s.charCodeAt(k))) k++;
    if (s.charCodeAt(k) === quote) {
      return {
        challenge: { scheme, realm: s.slice(valueStart + 1, k), quoted: true },
        end: k + 1,
      };
    }
    // An unterminated or mismatched quote leaves an empty unquoted realm,
    // which is what Python's pattern falls back to.
    return { challenge: { scheme, realm: "", quoted: false }, end: valueStart };
  }
  let k = valueStart;
  while (k < s.length && !isQuote(s.charCodeAt(k))) k++;
  return {
    challenge: { scheme, realm: s.slice(valueStart, k), quoted: false },
    end: k,
  };
}

/**
 * Lists the `scheme realm=…` challenges of one header value, in order, with
 * Python's rules: a challenge starts at the beginning or after a comma, and
 * the realm may be double-quoted, single-quoted or bare. When nothing
 * matches, one challenge is returned with the header's first word as scheme
 * and a `null` realm.
 */
export function parseBasicChallenges(header: string): Challenge[] {
  const found: Challenge[] = [];
  let pos = 0;
  while (pos <= header.length) {
    let match = pos === 0 ? matchChallengeAt(header, 0) : null;
    if (!match && header.charCodeAt(pos) === COMMA) {
      match = matchChallengeAt(header, pos + 1);
    }
    if (match) {
      found.push(match.challenge);
      pos = match.end;
      continue;
    }
    const nextComma = header.indexOf(",", pos + 1);
    if (nextComma < 0) break;
    pos = nextComma;
  }
  if (found.length === 0) {
    found.push({
      scheme: pySplit(header)[0] ?? "",
      realm: null,
      quoted: false,
    });
  }
  return found;
}

/**
 * Splits a comma-separated list whose items may contain double-quoted
 * strings (RFC 2068 section 2): commas inside quotes do not split, and a
 * backslash inside quotes escapes the next character (and is dropped).
 * Items are stripped of surrounding whitespace; a trailing empty item is
 * dropped.
 */
export function parseHttpList(s: string): string[] {
  const items: string[] = [];
  // The current item is `done` plus s[start, i); escapes flush into `done`.
  let done = "";
  let start = 0;
  let inQuote = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inQuote) {
      if (c === BACKSLASH) {
        done += s.slice(start, i);
        start = i + 1;
        i++; // the escaped character is kept as it is
      } else if (c === DQUOTE) {
        inQuote = false;
      }
    } else if (c === COMMA) {
      items.push(done + s.slice(start, i));
      done = "";
      start = i + 1;
    } else if (c === DQUOTE) {
      inQuote = true;
    }
  }
  const last = done + s.slice(start);
  if (last) items.push(last);
  return items.map((item) => pyStrip(item));
}

/**
 * Turns `key=value` items into a record; a value wrapped in double quotes
 * loses them. Later keys replace earlier ones.
 *
 * @throws {TypeError} When an item has no `=`.
 */
export function parseKeqvList(items: Iterable<string>): Record<string, string> {
  const parsed: Record<string, string> = Object.create(null);
  for (const item of items) {
    const eq = item.indexOf("=");
    if (eq < 0) {
      throw new TypeError(
        `parse_keqv_list(): item ${pyRepr(item)} has no '='`,
      );
    }
    let value = item.slice(eq + 1);
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
      value = value.slice(1, -1);
    } else if (value === '"') {
      // Python checks the first and last character, which are the same one.
      value = "";
    }
    parsed[item.slice(0, eq)] = value;
  }
  return parsed;
}
