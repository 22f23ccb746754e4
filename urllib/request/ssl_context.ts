/**
 * The part of Python's `ssl.SSLContext` that `urlopen(url, {context})` and
 * `HTTPSHandler` use here: which certificate authorities to trust, and
 * whether the server's name is checked.
 *
 * Follows CPython 3.13 `Lib/ssl.py`, `SSLContext` and `create_default_context`
 * (the client's trust settings).
 *
 * @module
 */

import { X509Certificate } from "node:crypto";
import { latin1Decode } from "../../_util/latin1.ts";
import { asPythonOSError } from "../../_util/os_error.ts";
import { type MixedArgs, pyArgs } from "../../_util/py_args.ts";
import { pyRepr } from "../../_util/py_repr.ts";
import { typeName } from "../../_util/py_type_name.ts";
import { SSLError } from "./ssl_error.ts";

/**
 * A TLS client context: Python's `ssl.SSLContext` reduced to the trust
 * store and `check_hostname`. Deno's own roots (Mozilla's, or the system's
 * with `DENO_TLS_CA_STORE=system`) are always trusted, and the authorities
 * loaded here are trusted as well: Deno 2.9 has no way to trust them
 * instead, so a context cannot narrow trust to one private CA as Python's
 * can.
 *
 * `new SSLContext()` is Python's `SSLContext(PROTOCOL_TLS_CLIENT)`: a
 * client's context, `check_hostname` on. The certificate chain is always
 * verified: `verify_mode` is always `CERT_REQUIRED` (2), as Deno has no
 * per-connection switch for it (`deno run
 * --unsafely-ignore-certificate-errors=HOST` is the way to skip it).
 *
 * @example Loading authorities: text that holds no certificate is refused
 * ```ts
 * import { ok as assert, throws } from "node:assert/strict";
 * import { SSLContext, SSLError } from "@pyport/web/urllib/request";
 * const ctx = new SSLContext();
 * assert(ctx.caCerts.length === 0 && ctx.check_hostname);
 * throws(() => ctx.load_verify_locations({ cadata: "not a certificate" }), SSLError);
 * // With a real CA: ctx.load_verify_locations({ cafile: "ca.pem" }).
 * ```
 */
export class SSLContext {
  /** PEM certificates of the authorities to trust besides Deno's roots. */
  readonly caCerts: string[] = [];

  /**
   * A client's context. Python's `protocol` may be given only as `null`:
   * there are no `PROTOCOL_*` constants, and a context here is always
   * Python's `PROTOCOL_TLS_CLIENT` one.
   */
  constructor(protocol?: null);
  /** Python's keyword: `new SSLContext({ protocol: null })`. */
  constructor(options: { protocol?: null });
  constructor(...args: unknown[]) {
    const { protocol } = pyArgs({
      fn: "SSLContext",
      names: ["protocol"] as const,
      defaults: { protocol: null as unknown },
    }, args);
    requireNull("SSLContext", "protocol", protocol, "PROTOCOL_TLS_CLIENT");
  }

  /**
   * Python's `verify_mode`: always `CERT_REQUIRED` (2), the chain being
   * verified on every connection. Setting it to 2 is accepted; `CERT_NONE`
   * (0) and `CERT_OPTIONAL` (1) are a `RangeError`, so a script that
   * means to skip verification learns at once that it cannot (Deno has no
   * per-connection switch: `deno run
   * --unsafely-ignore-certificate-errors=HOST` skips it for a host).
   *
   * @example
   * ```ts
   * import { equal, throws } from "node:assert/strict";
   * import { create_default_context } from "@pyport/web/urllib/request";
   * const ctx = create_default_context();
   * equal(ctx.verify_mode, 2); // ssl.CERT_REQUIRED
   * ctx.check_hostname = false;
   * throws(() => { ctx.verify_mode = 0; }, RangeError); // ssl.CERT_NONE
   * ```
   */
  get verify_mode(): number {
    return CERT_REQUIRED;
  }
  set verify_mode(value: number) {
    if (!Number.isInteger(value)) {
      // Python's own message for a non-integer (`ctx.verify_mode = "x"`).
      throw new TypeError(
        `'${typeName(value)}' object cannot be interpreted as an integer`,
      );
    }
    if (value < 0 || value > CERT_REQUIRED) {
      throw new RangeError("invalid value for verify_mode");
    }
    if (value !== CERT_REQUIRED) {
      throw new RangeError(
        `verify_mode can only be CERT_REQUIRED (2): Deno verifies every certificate chain (run deno with --unsafely-ignore-certificate-errors=HOST to skip it), not ${value}`,
      );
    }
  }

  /**
   * Python's `load_default_certs(purpose=Purpose.SERVER_AUTH)`: nothing to
   * do, Deno's roots being always trusted. `purpose` may be given only as
   * `null` (a client's context).
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { SSLContext } from "@pyport/web/urllib/request";
   * const ctx = new SSLContext();
   * ctx.load_default_certs();
   * equal(ctx.caCerts.length, 0); // Deno's roots, trusted all along
   * ```
   */
  load_default_certs(purpose?: null): void;
  /** Python's keyword: `load_default_certs({ purpose: null })`. */
  load_default_certs(options: { purpose?: null }): void;
  load_default_certs(...args: unknown[]): void {
    const { purpose } = pyArgs({
      fn: "load_default_certs",
      names: ["purpose"] as const,
      defaults: { purpose: null as unknown },
    }, args);
    requireNull("load_default_certs", "purpose", purpose, PURPOSE);
  }

  /**
   * Python's `set_default_verify_paths()`: nothing to do, Deno's roots
   * (Mozilla's, or the system's with `DENO_TLS_CA_STORE=system`) being
   * always trusted.
   *
   * @example
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { SSLContext } from "@pyport/web/urllib/request";
   * const ctx = new SSLContext();
   * ctx.set_default_verify_paths();
   * equal(ctx.caCerts.length, 0);
   * ```
   */
  set_default_verify_paths(): void {}

  /**
   * Whether the server's certificate must name the host connected to
   * (default `true`, as in `create_default_context()`). Set it to `false`,
   * as Python scripts do, to accept a certificate for another name; the
   * chain is still verified against the trusted authorities.
   *
   * @example Accepting a certificate issued for another name
   * ```ts
   * import { equal } from "node:assert/strict";
   * import { create_default_context } from "@pyport/web/urllib/request";
   * const ctx = create_default_context();
   * equal(ctx.check_hostname, true);
   * ctx.check_hostname = false;
   * equal(ctx.check_hostname, false);
   * ```
   */
  check_hostname = true;

  /**
   * Python's `load_verify_locations(cafile=None, capath=None, cadata=None)`:
   * adds PEM authorities from a file, a folder, or a string. A folder's
   * certificates are those OpenSSL would look up there (files named by
   * subject hash, `1a2b3c4d.0`, as `c_rehash` and `/etc/ssl/certs` have
   * them) and, beyond Python, any `.pem` or `.crt` file; links are followed.
   */
  load_verify_locations(
    cafile?: string | null,
    capath?: string | null,
    cadata?: string | Uint8Array | null,
  ): void;
  /** Python's keywords: `load_verify_locations({ cadata })`. */
  load_verify_locations(options: VerifyLocations): void;
  /** Some by position, the rest as keywords: `load_verify_locations(null, { capath })`. */
  load_verify_locations(
    ...args: MixedArgs<
      [
        cafile?: string | null,
        capath?: string | null,
        cadata?: string | Uint8Array | null,
      ],
      VerifyLocations,
      ["cafile", "capath", "cadata"]
    >
  ): void;
  load_verify_locations(...args: unknown[]): void {
    const { cafile: file, capath, cadata } = pyArgs({
      fn: "load_verify_locations",
      names: ["cafile", "capath", "cadata"] as const,
      defaults: {
        cafile: null as string | null,
        capath: null as string | null,
        cadata: null as string | Uint8Array | null,
      },
    }, args);
    for (const [name, value] of [["cafile", file], ["capath", capath]]) {
      if (value !== null && typeof value !== "string") {
        throw new TypeError(`${name} should be a valid filesystem path`);
      }
    }
    if (
      cadata !== null && typeof cadata !== "string" &&
      !(cadata instanceof Uint8Array)
    ) {
      throw new TypeError(
        "cadata should be an ASCII string or a bytes-like object",
      );
    }
    if (file === "") {
      throw asPythonOSError(
        new Deno.errors.NotFound("No such file or directory (os error 2)"),
        null,
      );
    }
    if (cadata !== null && cadata.length === 0) {
      throw new TypeError("Empty certificate data");
    }
    if (!file && !capath && !cadata) {
      throw new TypeError("cafile, capath and cadata cannot be all omitted");
    }
    if (file) {
      const text = readCafile(file);
      if (!hasCertificate(text)) {
        throw new SSLError(
          "NO_CERTIFICATE_OR_CRL_FOUND",
          "no certificate or crl found",
          { library: "X509" },
        );
      }
      // Loaded at once, as OpenSSL loads them: a garbled block fails here,
      // not at the first request (where it failed every request).
      if (!allCertificatesParse(text)) throw pemLibError();
      this.caCerts.push(text);
    }
    if (capath) this.caCerts.push(...folderCertificates(capath));
    if (cadata instanceof Uint8Array) {
      const pem = derCertificatesAsPem(cadata);
      if (pem === null || !allCertificatesParse(pem)) {
        throw new SSLError(
          null,
          "not enough data: cadata does not contain a certificate",
        );
      }
      this.caCerts.push(pem);
    } else if (cadata) {
      if (/[\u0080-\uffff]/.test(cadata)) {
        throw new TypeError(
          "cadata should be an ASCII string or a bytes-like object",
        );
      }
      if (!hasCertificate(cadata)) {
        throw new SSLError(
          null,
          "no start line: cadata does not contain a certificate",
        );
      }
      if (!allCertificatesParse(cadata)) throw cadataError(cadata);
      this.caCerts.push(cadata);
    }
  }
}

/** Python's `ssl.Purpose.SERVER_AUTH`: the one purpose a client's context has. */
const PURPOSE = "Purpose.SERVER_AUTH";

/**
 * Refuses a `protocol` or `purpose` other than `null`: contexts here are
 * always clients', which in Python is the constant named `meaning`.
 */
function requireNull(
  fn: string,
  name: string,
  value: unknown,
  meaning: string,
): void {
  if (value === null) return;
  throw new TypeError(
    `${fn}(): ${name} must be null: contexts here are clients' (Python's ${meaning}), not ${
      pyRepr(value)
    }`,
  );
}

/** Python's `ssl.CERT_REQUIRED`: the only `verify_mode` there is here. */
const CERT_REQUIRED = 2;

/** The authorities to trust, by Python's keywords. */
export interface VerifyLocations {
  /** A PEM file of certificates. */
  cafile?: string | null;
  /** A folder of certificates (OpenSSL's hash-named files, `.pem`, `.crt`). */
  capath?: string | null;
  /** PEM text, or DER bytes back to back. */
  cadata?: string | Uint8Array | null;
}

/** A PEM certificate block whose body is base64 (what OpenSSL can load). */
const PEM_CERTIFICATE =
  /-----BEGIN CERTIFICATE-----\s*([A-Za-z0-9+/=\s]+?)\s*-----END CERTIFICATE-----/g;

/** Whether `text` holds at least one certificate OpenSSL would load. */
function hasCertificate(text: string): boolean {
  for (const [, body] of text.matchAll(PEM_CERTIFICATE)) {
    try {
      // A DER certificate is a SEQUENCE: its first byte is 0x30.
      if (atob(body!.replace(/\s+/g, "")).charCodeAt(0) === 0x30) return true;
    } catch {
      // Not base64: not a certificate.
    }
  }
  return false;
}

/** Any certificate block, whatever is between its lines. */
const ANY_CERTIFICATE_BLOCK =
  /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Whether every certificate block of `text` is a certificate. */
function allCertificatesParse(text: string): boolean {
  for (const [block] of text.matchAll(ANY_CERTIFICATE_BLOCK)) {
    try {
      new X509Certificate(block);
    } catch {
      return false;
    }
  }
  return true;
}

/** OpenSSL's error for a certificate block in a file it cannot read. */
function pemLibError(): SSLError {
  return new SSLError(null, "PEM lib", { library: "X509" });
}

/**
 * OpenSSL's error for a garbled certificate in `cadata` text: the base64
 * itself, or what it decodes to.
 */
function cadataError(text: string): SSLError {
  for (const [block] of text.matchAll(ANY_CERTIFICATE_BLOCK)) {
    const body = block.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");
    try {
      atob(body);
    } catch {
      return new SSLError("BAD_BASE64_DECODE", "bad base64 decode", {
        library: "PEM",
      });
    }
  }
  return new SSLError(null, "ASN1 lib", { library: "PEM" });
}

/** OpenSSL's subject-hash names (`.rN` files are revocation lists). */
const HASHED_NAME = /^[0-9a-f]{8}\.\d+$/;
const PEM_NAME = /\.(pem|crt)$/i;

/**
 * A `cafile`'s text. A file that cannot be read is Python's `OSError`
 * (`[Errno 2] No such file or directory`, no file name: OpenSSL opens it).
 */
function readCafile(path: string): string {
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    throw asPythonOSError(error, null);
  }
}

/** A folder's entry names; none when it is missing or not a folder. */
function folderNames(folder: string): string[] {
  try {
    return [...Deno.readDirSync(folder)].map((entry) => entry.name);
  } catch (error) {
    // OpenSSL looks in a capath only when a chain asks: Python accepts a
    // folder that is not there, and its certificates are simply not found.
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotADirectory
    ) return [];
    throw error;
  }
}

/** The certificates a `capath` folder offers, read in name order. */
function folderCertificates(folder: string): string[] {
  const names = folderNames(folder)
    .filter((name) => HASHED_NAME.test(name) || PEM_NAME.test(name))
    .sort();
  const files = new Set<string>();
  for (const name of names) {
    // Links are followed (/etc/ssl/certs is links, a file often under two
    // names): each file is read once.
    const real = realFileOrNull(`${folder}/${name}`);
    if (real !== null) files.add(real);
  }
  // A file that is not all certificates is skipped: OpenSSL looks only at
  // the certificates a chain asks for, so one broken file breaks nothing.
  return [...files].map((path) => Deno.readTextFileSync(path))
    .filter((text) => hasCertificate(text) && allCertificatesParse(text));
}

/** The real path of a regular file, `null` for anything else or a dangling link. */
function realFileOrNull(path: string): string | null {
  try {
    return Deno.statSync(path).isFile ? Deno.realPathSync(path) : null;
  } catch {
    return null;
  }
}

/**
 * Python's `ssl.create_default_context(purpose=Purpose.SERVER_AUTH, *,
 * cafile=None, capath=None, cadata=None)` for client use: the authorities
 * by keyword. A context here is always a client's (Python's
 * `Purpose.SERVER_AUTH`), so `purpose` may be given only as `null`.
 *
 * @example
 * ```ts
 * import { ok as assert, throws } from "node:assert/strict";
 * import { create_default_context } from "@pyport/web/urllib/request";
 * assert(create_default_context().caCerts.length === 0);
 * // A misspelt keyword is refused, not ignored (the CA would be missing).
 * throws(() => create_default_context({ ca_file: "ca.pem" } as never), TypeError);
 * ```
 */
export function create_default_context(
  purpose?: null,
  options?: VerifyLocations,
): SSLContext;
/** Python's keywords: `create_default_context({ cafile })`. */
export function create_default_context(options: VerifyLocations): SSLContext;
export function create_default_context(...args: unknown[]): SSLContext {
  const options = pyArgs({
    fn: "create_default_context",
    names: ["purpose"] as const,
    keywordOnly: ["cafile", "capath", "cadata"] as const,
    defaults: {
      purpose: null as unknown,
      cafile: null as string | null,
      capath: null as string | null,
      cadata: null as string | Uint8Array | null,
    },
  }, args);
  requireNull("create_default_context", "purpose", options.purpose, PURPOSE);
  const ctx = new SSLContext();
  const { cafile, capath, cadata } = options;
  const given = cadata instanceof Uint8Array ? cadata.length > 0 : cadata;
  if (cafile || capath || given) {
    ctx.load_verify_locations({ cafile, capath, cadata });
  }
  return ctx;
}

/**
 * DER certificates back to back (`cadata` as bytes) as PEM text, or `null`
 * when the bytes are not whole DER sequences.
 */
function derCertificatesAsPem(der: Uint8Array): string | null {
  const pems: string[] = [];
  let at = 0;
  while (at < der.length) {
    const sequence = derSequenceEnd(der, at);
    if (sequence === null) return null;
    const base64 = btoa(latin1Decode(der.subarray(at, sequence)));
    const lines = base64.match(/.{1,64}/g) ?? [];
    pems.push(
      `-----BEGIN CERTIFICATE-----\n${
        lines.join("\n")
      }\n-----END CERTIFICATE-----\n`,
    );
    at = sequence;
  }
  return pems.length > 0 ? pems.join("") : null;
}

/** Where the DER SEQUENCE starting at `at` ends, or `null`. */
function derSequenceEnd(der: Uint8Array, at: number): number | null {
  if (der[at] !== 0x30 || at + 1 >= der.length) return null;
  let length = der[at + 1] as number;
  let header = 2;
  if (length & 0x80) {
    const digits = length & 0x7f;
    if (digits === 0 || digits > 4 || at + 2 + digits > der.length) return null;
    length = 0;
    for (let i = 0; i < digits; i++) length = length * 256 + der[at + 2 + i]!;
    header += digits;
  }
  const end = at + header + length;
  return end <= der.length ? end : null;
}
