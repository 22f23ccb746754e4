/**
 * The cookie jars kept in files: `FileCookieJar`, with no format of its
 * own, and `MozillaCookieJar`, the Netscape `cookies.txt` format that curl,
 * wget and Python's own jar read and write; `LoadError` for a file that is
 * not in it. File access is async.
 *
 * Follows CPython 3.13 `Lib/http/cookiejar.py`, `FileCookieJar`,
 * `MozillaCookieJar` and `LoadError`.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { decodeBytes } from "../../_util/codec/mod.ts";
import { type MixedArgs, pyArgs } from "../../_util/py_args.ts";
import { pyFloat } from "../../_util/py_int.ts";
import { pyRepr } from "../../_util/py_repr.ts";
import { pyStrip } from "../../_util/py_str.ts";
import { typeName } from "../../_util/py_type_name.ts";
import { writeAll } from "../../_util/write_all.ts";
import {
  Cookie,
  CookieJar,
  isHttpOnly,
  refusePolicy,
  swapCookies,
} from "./cookiejar.ts";

/**
 * A cookies file could not be read: it is not in the expected format
 * (Python's `http.cookiejar.LoadError`).
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { LoadError } from "@pyport/web/urllib/request";
 * equal(new LoadError("bad file").name, "LoadError");
 * ```
 */
export class LoadError extends Error {
  /** Creates the error with a message naming the file. */
  constructor(message: string) {
    super(message);
    this.name = "LoadError";
  }
}

/** Keyword options of the `FileCookieJar` and `MozillaCookieJar` constructors. */
export interface FileCookieJarOptions {
  /** The file: a path, or a `file:` URL (kept as its path). */
  filename?: string | URL | null;
  /** Python's flag to load lazily; kept, and nothing is read until `load()`. */
  delayload?: boolean;
  /** Only `null` (Python's default policy), as for {@linkcode CookieJar}. */
  policy?: null;
}

/** Options of `save`, `load` and `revert`, as Python's keywords. */
export interface CookieFileOptions {
  /** The file; defaults to the jar's `filename`. */
  filename?: string | null;
  /** Also save or load session cookies. */
  ignore_discard?: boolean;
  /** Also save or load expired cookies. */
  ignore_expires?: boolean;
}

/**
 * The arguments of `save`, `load` and `revert` given partly by position,
 * the rest by keyword: `load(path, { ignore_discard: true })`.
 */
export type CookieFileArgs = MixedArgs<
  [
    filename?: string | null,
    ignore_discard?: boolean,
    ignore_expires?: boolean,
  ],
  CookieFileOptions,
  ["filename", "ignore_discard", "ignore_expires"]
>;

/**
 * A cookies file's name as Python's `os.fspath` gives it: a string as it
 * is, a `file:` URL (Deno's path-like) as its path, `null` for none;
 * anything else is the TypeError Python raises at once (a number kept
 * instead opened a file named "").
 */
function cookieFileName(fn: string, value: unknown): string | null {
  if (value === null || typeof value === "string") return value;
  if (value instanceof URL && value.protocol === "file:") {
    return fileURLToPath(value);
  }
  throw new TypeError(
    `${fn}(): filename must be a str or a file: URL, not ${typeName(value)}`,
  );
}

const MISSING_FILENAME =
  "a filename was not supplied (nor was the CookieJar instance initialised with one)";

/**
 * A {@linkcode CookieJar} that can be saved to and loaded from a file
 * (Python's `http.cookiejar.FileCookieJar`). This base class has no file
 * format: use {@linkcode MozillaCookieJar}. File access is async.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { FileCookieJar } from "@pyport/web/urllib/request";
 * const jar = new FileCookieJar("cookies.txt");
 * equal(jar.filename, "cookies.txt");
 * equal(jar.delayload, false);
 * ```
 */
export class FileCookieJar extends CookieJar {
  /** The default file for `save`, `load` and `revert`. */
  filename: string | null;
  /** Kept for Python compatibility; loading is never delayed. */
  delayload: boolean;

  /**
   * `new FileCookieJar(filename?, delayload?)`: `filename` a path or a
   * `file:` URL (kept as its path). Nothing is read until `load()`.
   *
   * @throws {TypeError} When `filename` is neither (Python's TypeError).
   */
  constructor(
    filename?: string | URL | null,
    delayload?: boolean,
    policy?: null,
  );
  /** Keyword form (`policy` only `null`, as for {@linkcode CookieJar}). */
  constructor(options: FileCookieJarOptions);
  /** Some arguments by position, the rest by keyword: `new MozillaCookieJar(path, { delayload: true })`. */
  constructor(
    ...args: MixedArgs<
      [filename?: string | URL | null, delayload?: boolean, policy?: null],
      FileCookieJarOptions,
      ["filename", "delayload", "policy"]
    >
  );
  constructor(...args: unknown[]) {
    super();
    const { filename, delayload, policy } = pyArgs({
      fn: new.target.name,
      names: ["filename", "delayload", "policy"],
      defaults: {
        filename: null as unknown,
        delayload: false,
        policy: null as unknown,
      },
    }, args);
    refusePolicy(new.target.name, policy);
    this.filename = cookieFileName(new.target.name, filename);
    this.delayload = Boolean(delayload);
  }

  /** Resolves the arguments of `save`, `load` and `revert`. */
  protected fileArgs(
    fn: string,
    args: readonly unknown[],
  ): Required<CookieFileOptions> & { filename: string } {
    const resolved = pyArgs({
      fn,
      names: ["filename", "ignore_discard", "ignore_expires"],
      defaults: {
        filename: null as string | null,
        ignore_discard: false,
        ignore_expires: false,
      },
    }, args);
    const filename = resolved.filename ?? this.filename;
    if (filename === null) throw new TypeError(`${fn}(): ${MISSING_FILENAME}`);
    return { ...resolved, filename };
  }

  /**
   * Writes the cookies to a file. The base class has no format.
   *
   * @throws {Error} Always, here (Python's `NotImplementedError`).
   */
  save(
    filename?: string | null,
    ignore_discard?: boolean,
    ignore_expires?: boolean,
  ): Promise<void>;
  /** Some arguments by position, the rest by keyword: `save(path, { ignore_discard: true })`. */
  save(
    ...args: CookieFileArgs
  ): Promise<void>;
  /** Keyword form. */
  save(options: CookieFileOptions): Promise<void>;
  save(...args: unknown[]): Promise<void> {
    try {
      pyArgs({
        fn: "save",
        names: ["filename", "ignore_discard", "ignore_expires"],
        defaults: {
          filename: null,
          ignore_discard: false,
          ignore_expires: false,
        },
      }, args);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.reject(
      new Error(
        `${this.constructor.name}.save() is not implemented; use MozillaCookieJar`,
      ),
    );
  }

  /**
   * Adds the cookies of a file to the jar; session and expired cookies are
   * skipped unless `ignore_discard` / `ignore_expires`.
   *
   * @throws {LoadError} When the file is not in the jar's format.
   */
  load(
    filename?: string | null,
    ignore_discard?: boolean,
    ignore_expires?: boolean,
  ): Promise<void>;
  /** Some arguments by position, the rest by keyword: `load(path, { ignore_discard: true })`. */
  load(
    ...args: CookieFileArgs
  ): Promise<void>;
  /** Keyword form. */
  load(options: CookieFileOptions): Promise<void>;
  async load(...args: unknown[]): Promise<void> {
    const options = this.fileArgs("load", args);
    this.loadText(await readUtf8(options.filename), options);
  }

  /** Parses file contents into the jar; subclasses implement their format. */
  protected loadText(
    _text: string,
    options: Required<CookieFileOptions>,
  ): void {
    throw new LoadError(
      `${
        pyRepr(options.filename)
      }: ${this.constructor.name} has no file format`,
    );
  }

  /**
   * Replaces the jar's cookies with those of the file. When reading fails
   * the jar is left as it was.
   */
  revert(
    filename?: string | null,
    ignore_discard?: boolean,
    ignore_expires?: boolean,
  ): Promise<void>;
  /** Some arguments by position, the rest by keyword: `revert(path, { ignore_discard: true })`. */
  revert(
    ...args: CookieFileArgs
  ): Promise<void>;
  /** Keyword form. */
  revert(options: CookieFileOptions): Promise<void>;
  async revert(...args: unknown[]): Promise<void> {
    const { filename, ignore_discard, ignore_expires } = this.fileArgs(
      "revert",
      args,
    );
    // As Python's: the cookies are set aside (not cleared with clear()),
    // the file read with load() (a subclass's own), and the cookies put
    // back as they were (not through set_cookie()) if it fails.
    const before = swapCookies(this, null);
    try {
      await this.load(filename, ignore_discard, ignore_expires);
    } catch (error) {
      swapCookies(this, before);
      throw error;
    }
  }
}

const NETSCAPE_MAGIC = /^#( Netscape)? HTTP Cookie File/;
const HTTPONLY_PREFIX = "#HttpOnly_";

/**
 * A {@linkcode FileCookieJar} using the Netscape `cookies.txt` format that
 * curl, wget and browsers' exporters read and write (Python's
 * `http.cookiejar.MozillaCookieJar`). `HttpOnly` cookies are written with
 * the `#HttpOnly_` prefix.
 *
 * @example Save a jar and load it into another
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { Cookie, MozillaCookieJar } from "@pyport/web/urllib/request";
 * const path = await Deno.makeTempFile();
 * const jar = new MozillaCookieJar(path);
 * jar.set_cookie(new Cookie({ name: "sid", value: "42", domain: ".example.com", expires: 4102444800 }));
 * await jar.save();
 * const again = new MozillaCookieJar();
 * await again.load(path);
 * equal(String(again), "<MozillaCookieJar[<Cookie sid=42 for .example.com/>]>");
 * await Deno.remove(path);
 * ```
 */
export class MozillaCookieJar extends FileCookieJar {
  /**
   * Writes the cookies in Netscape format (file mode 0600 when created).
   * Session and expired cookies are left out unless `ignore_discard` /
   * `ignore_expires`.
   */
  override save(
    filename?: string | null,
    ignore_discard?: boolean,
    ignore_expires?: boolean,
  ): Promise<void>;
  /** Some arguments by position, the rest by keyword: `save(path, { ignore_discard: true })`. */
  override save(
    ...args: CookieFileArgs
  ): Promise<void>;
  /** Keyword form. */
  override save(options: CookieFileOptions): Promise<void>;
  override async save(...args: unknown[]): Promise<void> {
    const { filename, ignore_discard, ignore_expires } = this.fileArgs(
      "save",
      args,
    );
    const now = Date.now() / 1000;
    const lines = [
      "# Netscape HTTP Cookie File",
      "# Written by @pyport/web (urllib.request.MozillaCookieJar).",
      "",
    ];
    for (const cookie of this) {
      if (!ignore_discard && cookie.discard) continue;
      if (!ignore_expires && cookie.is_expired(now)) continue;
      // The format writes a bare `Set-Cookie: foo` as a nameless cookie.
      const [name, value] = cookie.value === null
        ? ["", cookie.name]
        : [cookie.name, cookie.value];
      const domain = (isHttpOnly(cookie) ? HTTPONLY_PREFIX : "") +
        cookie.domain;
      lines.push([
        domain,
        cookie.domain.startsWith(".") ? "TRUE" : "FALSE",
        cookie.path,
        cookie.secure ? "TRUE" : "FALSE",
        // Python's int prints every digit, where a number past 1e21 would
        // print as 1e+21.
        cookie.expires === null
          ? ""
          : Number.isInteger(cookie.expires)
          ? BigInt(cookie.expires).toString()
          : String(cookie.expires),
        name,
        value,
      ].join("\t"));
    }
    // 0600 for a file made here; an existing file keeps its mode, as
    // Python's os.open(O_CREAT) leaves it.
    await using file = await Deno.open(filename, {
      write: true,
      create: true,
      truncate: true,
      mode: 0o600,
    });
    await writeAll(file, new TextEncoder().encode(lines.join("\n") + "\n"));
  }

  /** Parses Netscape `cookies.txt` contents. */
  protected override loadText(
    text: string,
    options: Required<CookieFileOptions>,
  ): void {
    const now = Date.now() / 1000;
    const lines = text.split(/\r\n|\r|\n/);
    if (!NETSCAPE_MAGIC.test(lines[0] ?? "")) {
      throw new LoadError(
        `${
          pyRepr(options.filename)
        } does not look like a Netscape format cookies file`,
      );
    }
    for (let line of lines.slice(1)) {
      const rest: Record<string, string | null> = {};
      if (line.startsWith(HTTPONLY_PREFIX)) {
        // Python's loader records the flag under this spelling.
        rest["HTTPOnly"] = "";
        line = line.slice(HTTPONLY_PREFIX.length);
      }
      // Python's line.strip(): \x1c..\x1f and \x85 go, \ufeff stays.
      const trimmed = pyStrip(line);
      if (
        trimmed === "" || trimmed.startsWith("#") || trimmed.startsWith("$")
      ) continue;
      const fields = line.split("\t");
      const expiresText = fields[4] ?? "";
      // Python's Cookie takes int(float(expires)): "1791464381.742", "-1".
      const expires = expiresText === "" ? null : pyFloat(expiresText) ?? NaN;
      const domain = fields[0] ?? "";
      if (
        fields.length !== 7 ||
        (expires !== null && !Number.isFinite(expires)) ||
        // The flag column says whether the domain has its leading dot.
        (fields[1] === "TRUE") !== domain.startsWith(".")
      ) {
        throw new LoadError(
          `invalid Netscape format cookies file ${pyRepr(options.filename)}: ${
            pyRepr(line)
          }`,
        );
      }
      const [, , path, secure, , rawName, rawValue] = fields as [
        string,
        string,
        string,
        string,
        string,
        string,
        string,
      ];
      const cookie = new Cookie({
        name: rawName === "" ? rawValue : rawName,
        value: rawName === "" ? null : rawValue,
        domain,
        domain_specified: domain.startsWith("."),
        domain_initial_dot: domain.startsWith("."),
        path,
        secure: secure === "TRUE",
        expires: expires === null ? null : Math.trunc(expires),
        rest,
      });
      if (!options.ignore_discard && cookie.discard) continue;
      if (!options.ignore_expires && cookie.is_expired(now)) continue;
      this.set_cookie(cookie);
    }
  }
}

/**
 * A cookies file's text, as Python's `open(filename)` reads it (UTF-8):
 * bytes that are not UTF-8 are its UnicodeDecodeError, not U+FFFD.
 */
async function readUtf8(filename: string): Promise<string> {
  return decodeBytes(await Deno.readFile(filename), "utf-8", "strict");
}
