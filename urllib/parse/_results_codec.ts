/**
 * Text codecs for the result classes' `encode()` / `decode()`. Only the
 * codecs a URL realistically needs are here; unknown names raise the way
 * Python's codec lookup does.
 *
 * @module
 */

import {
  asciiDecode,
  asciiEncode,
  latin1Decode,
  latin1Encode,
} from "./_split_codec.ts";

function normalizeName(encoding: string): string {
  return encoding.toLowerCase().replace(/[-_ ]/g, "");
}

function unsupportedErrors(errors: string): never {
  throw new TypeError(
    `unsupported errors handler '${errors}' (only 'strict' is available here)`,
  );
}

function unknownEncoding(encoding: string): never {
  throw new TypeError(`unknown encoding: ${encoding}`);
}

/** Encodes `text` as Python's `str.encode(encoding, errors)`. */
export function encodeField(
  text: string,
  encoding: string,
  errors: string,
): Uint8Array {
  if (text === "") return new Uint8Array(0);
  if (errors !== "strict") unsupportedErrors(errors);
  switch (normalizeName(encoding)) {
    case "ascii":
    case "usascii":
      return asciiEncode(text);
    case "utf8":
      return new TextEncoder().encode(text);
    case "latin1":
    case "iso88591":
    case "l1": {
      for (let i = 0; i < text.length; i++) {
        if (text.charCodeAt(i) > 0xff) {
          throw new TypeError(
            `'latin-1' codec can't encode character in position ${i}: ordinal not in range(256)`,
          );
        }
      }
      return latin1Encode(text);
    }
    default:
      return unknownEncoding(encoding);
  }
}

/** Decodes `bytes` as Python's `bytes.decode(encoding, errors)`. */
export function decodeField(
  bytes: Uint8Array,
  encoding: string,
  errors: string,
): string {
  if (bytes.length === 0) return "";
  if (errors !== "strict") unsupportedErrors(errors);
  switch (normalizeName(encoding)) {
    case "ascii":
    case "usascii":
      return asciiDecode(bytes);
    case "utf8":
      try {
        return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true })
          .decode(bytes);
      } catch {
        throw new TypeError("'utf-8' codec can't decode the given bytes");
      }
    case "latin1":
    case "iso88591":
    case "l1":
      return latin1Decode(bytes);
    default:
      return unknownEncoding(encoding);
  }
}
