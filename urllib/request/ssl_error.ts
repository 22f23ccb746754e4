/**
 * Python's `ssl.SSLError` and `ssl.SSLCertVerificationError`: what a failed
 * TLS handshake is, as the `reason` of the `URLError` that `urlopen` throws.
 * Deno reports rustls' failures in rustls' words; they are translated to
 * the OpenSSL verification codes and messages Python's users test for.
 *
 * Follows CPython 3.13 `Lib/ssl.py` and `Modules/_ssl.c`, the handshake's errors.
 *
 * @module
 */

import { isIPv4, isIPv6 } from "../parse/_netloc.ts";

/**
 * `[LIBRARY: REASON] text`, as `_ssl.c` words its errors; `[LIBRARY] text`
 * without a reason, and `text` alone without either.
 */
function sslMessage(
  library: string | null,
  reason: string | null,
  text: string,
): string {
  if (reason !== null) return `[${library ?? "SSL"}: ${reason}] ${text}`;
  return library === null ? text : `[${library}] ${text}`;
}

/**
 * Python's `ssl.SSLError`: the TLS handshake failed. `library` is `"SSL"`
 * and `reason` OpenSSL's name for the failure (`"CERTIFICATE_VERIFY_FAILED"`,
 * `"UNEXPECTED_EOF_WHILE_READING"` …); `cause` holds Deno's own error.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SSLError } from "@pyport/web/urllib/request";
 * const error = new SSLError("UNEXPECTED_EOF_WHILE_READING", "EOF occurred in violation of protocol");
 * equal(String(error), "SSLError: [SSL: UNEXPECTED_EOF_WHILE_READING] EOF occurred in violation of protocol");
 * ```
 */
export class SSLError extends Error {
  /** The library that failed: `"SSL"` for the handshake. */
  library: string | null;
  /** OpenSSL's name for the failure; `null` for a plain message. */
  reason: string | null;

  /**
   * An error for `reason` (OpenSSL's name) with its `text`; `library` is
   * OpenSSL's library name (`"X509"` for a certificate file; unless given,
   * `"SSL"` with a reason and none without).
   */
  constructor(
    reason: string | null,
    text: string,
    options?: ErrorOptions & { library?: string | null },
  ) {
    const library = options?.library ?? (reason === null ? null : "SSL");
    super(sslMessage(library, reason, text), options);
    this.name = "SSLError";
    this.library = library;
    this.reason = reason;
  }
}

/**
 * Python's `ssl.SSLCertVerificationError`: the server's certificate was not
 * accepted. `verify_code` and `verify_message` are OpenSSL's (20, "unable
 * to get local issuer certificate"; 10, "certificate has expired"; 62,
 * "Hostname mismatch, certificate is not valid for 'host'." …).
 *
 * @example Telling an untrusted certificate from other failures
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { SSLCertVerificationError } from "@pyport/web/urllib/request";
 * import { URLError } from "@pyport/web/urllib/error";
 * const error = new URLError(
 *   new SSLCertVerificationError(20, "unable to get local issuer certificate"),
 * );
 * equal(error.reason instanceof SSLCertVerificationError, true);
 * equal(
 *   String(error),
 *   "URLError: <urlopen error [SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate>",
 * );
 * ```
 */
export class SSLCertVerificationError extends SSLError {
  /** OpenSSL's `X509_V_ERR_*` code. */
  verify_code: number;
  /** OpenSSL's words for that code. */
  verify_message: string;

  /** An error for OpenSSL's verification `code` and its `message`. */
  constructor(code: number, message: string, options?: ErrorOptions) {
    super(
      "CERTIFICATE_VERIFY_FAILED",
      `certificate verify failed: ${message}`,
      options,
    );
    this.name = "SSLCertVerificationError";
    this.verify_code = code;
    this.verify_message = message;
  }
}

/** rustls' certificate errors, as OpenSSL's verification results. */
const VERIFY_RESULTS: readonly [RegExp, number, string][] = [
  [/UnknownIssuer/, 20, "unable to get local issuer certificate"],
  [/NotValidYet|not valid yet/, 9, "certificate is not yet valid"],
  [/Expired|expired/, 10, "certificate has expired"],
  [/Revoked/, 23, "certificate revoked"],
  [/CaUsedAsEndEntity|InvalidPurpose/, 26, "unsuitable certificate purpose"],
  [/BadSignature|InvalidSignature/, 7, "certificate signature failure"],
];

/** Whether `host` is an IP address (IPv6 with or without its brackets). */
function isAddress(host: string): boolean {
  const bare = host.startsWith("[") && host.endsWith("]")
    ? host.slice(1, -1)
    : host;
  return isIPv4(bare) || isIPv6(bare);
}

/**
 * Deno's error from a TLS handshake with `host` as Python's: an
 * `SSLCertVerificationError` for a certificate refused, an `SSLError` for a
 * broken handshake, or `error` itself (a reset, a timeout).
 */
export function sslErrorOf(error: unknown, host: string): unknown {
  const options = { cause: error };
  if (error instanceof Deno.errors.UnexpectedEof) {
    return new SSLError(
      "UNEXPECTED_EOF_WHILE_READING",
      "EOF occurred in violation of protocol",
      options,
    );
  }
  if (!(error instanceof Deno.errors.InvalidData)) return error;
  const text = error.message;
  if (/not valid for name|NotValidForName/.test(text)) {
    return isAddress(host)
      ? new SSLCertVerificationError(
        64,
        `IP address mismatch, certificate is not valid for '${host}'.`,
        options,
      )
      : new SSLCertVerificationError(
        62,
        `Hostname mismatch, certificate is not valid for '${host}'.`,
        options,
      );
  }
  if (/invalid peer certificate/.test(text)) {
    const [, code, message] = VERIFY_RESULTS.find(([pattern]) =>
      pattern.test(text)
    ) ?? [null, 1, "unspecified certificate verification error"];
    return new SSLCertVerificationError(code, message, options);
  }
  if (/corrupt message|InvalidContentType/.test(text)) {
    // Not TLS at all: most often https:// sent to a plain HTTP port.
    return new SSLError(
      "WRONG_VERSION_NUMBER",
      "wrong version number",
      options,
    );
  }
  return new SSLError("HANDSHAKE_FAILURE", text, options);
}
