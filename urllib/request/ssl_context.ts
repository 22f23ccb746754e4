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

/**
 * A TLS client context: Python's `ssl.SSLContext` reduced to the trust
 * store and `check_hostname`. With no CA loaded the system / Mozilla roots
 * Deno ships are used.
 *
 * The certificate chain is always verified: there is no `verify_mode`, as
 * Deno has no per-connection switch for it (`deno run
 * --unsafely-ignore-certificate-errors=HOST` is the way to skip it).
 *
 * @example Trusting a test CA
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { SSLContext } from "@pyport/web/urllib/request";
 * const ctx = new SSLContext();
 * ctx.load_verify_locations({ cadata: "-----BEGIN CERTIFICATE-----\n...\n-----END CERTIFICATE-----\n" });
 * assert(ctx.caCerts.length === 1 && ctx.check_hostname);
 * ```
 */
export class SSLContext {
  /** PEM certificates of the authorities to trust (empty: the default roots). */
  readonly caCerts: string[] = [];

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
   * adds PEM authorities from a file, every `.pem`/`.crt` file of a folder,
   * or a string.
   */
  load_verify_locations(
    cafile?: string | null | {
      cafile?: string | null;
      capath?: string | null;
      cadata?: string | null;
    },
    capath?: string | null,
    cadata?: string | null,
  ): void {
    let file = cafile;
    if (file !== null && typeof file === "object") {
      ({ cafile: file = null, capath = null, cadata = null } = file);
    }
    if (file) this.caCerts.push(Deno.readTextFileSync(file));
    if (capath) {
      for (const entry of Deno.readDirSync(capath)) {
        if (entry.isFile && /\.(pem|crt)$/i.test(entry.name)) {
          this.caCerts.push(Deno.readTextFileSync(`${capath}/${entry.name}`));
        }
      }
    }
    if (cadata) this.caCerts.push(cadata);
    if (!file && !capath && !cadata) {
      throw new TypeError("cafile, capath and cadata cannot be all omitted");
    }
  }
}

/**
 * Python's `ssl.create_default_context(cafile=None, capath=None,
 * cadata=None)` for client use.
 *
 * @example
 * ```ts
 * import { ok as assert } from "node:assert/strict";
 * import { create_default_context } from "@pyport/web/urllib/request";
 * assert(create_default_context().caCerts.length === 0);
 * ```
 */
export function create_default_context(
  options: {
    cafile?: string | null;
    capath?: string | null;
    cadata?: string | null;
  } = {},
): SSLContext {
  const ctx = new SSLContext();
  if (options.cafile || options.capath || options.cadata) {
    ctx.load_verify_locations(options);
  }
  return ctx;
}
