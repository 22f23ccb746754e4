/**
 * What every codec shares: the byte and text sinks, the generic encoder
 * that groups unencodable code points into runs, and Python's error
 * handlers (`strict`, `replace`, `ignore`, `surrogateescape`,
 * `surrogatepass`, `xmlcharrefreplace`, `backslashreplace`) with Python's
 * results and messages.
 *
 * Follows CPython 3.13 `Python/codecs.c`, the standard error handlers.
 *
 * @module
 */
import { escapeCodePoint } from "../py_repr.ts";
import {
  hex2,
  UnicodeDecodeError,
  UnicodeEncodeError,
} from "./unicode_errors.ts";

/** One codec: text to bytes and back under a named error handler. */
export interface Codec {
  encode(text: string, errors: string): Uint8Array;
  decode(bytes: Uint8Array, errors: string): string;
}

const KNOWN_HANDLERS = new Set([
  "strict",
  "ignore",
  "replace",
  "surrogateescape",
  "surrogatepass",
  "xmlcharrefreplace",
  "backslashreplace",
  "namereplace",
]);

function unknownHandler(errors: string): TypeError {
  return new TypeError(`unknown error handler name '${errors}'`);
}

/** Growable byte buffer for the slow paths. */
export class ByteSink {
  buf: Uint8Array;
  len = 0;
  constructor(capacity: number) {
    this.buf = new Uint8Array(Math.max(16, capacity));
  }
  push(byte: number): void {
    if (this.len === this.buf.length) this.grow(1);
    this.buf[this.len++] = byte;
  }
  pushAll(bytes: ArrayLike<number>): void {
    if (this.len + bytes.length > this.buf.length) this.grow(bytes.length);
    for (let i = 0; i < bytes.length; i++) {
      this.buf[this.len++] = bytes[i] as number;
    }
  }
  pushAscii(text: string): void {
    for (let i = 0; i < text.length; i++) this.push(text.charCodeAt(i));
  }
  private grow(extra: number): void {
    const next = new Uint8Array(
      Math.max(this.buf.length * 2, this.len + extra),
    );
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
  result(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

/** Code points of a JS string, lone surrogates kept as themselves. */
function codePoints(text: string): number[] {
  const out: number[] = [];
  for (const ch of text) out.push(ch.codePointAt(0) as number);
  return out;
}

/**
 * Describes how one codec encodes single code points; the generic encoder
 * groups unencodable code points into runs as Python's built-in encoders do
 * (CJK encoders report one character at a time).
 */
export interface CharEncoder {
  readonly errName: string;
  readonly reason: string;
  readonly groupRuns: boolean;
  /** Whether `surrogateescape` may escape part of a run (CPython's fast encoders). */
  readonly escapesPrefix?: boolean;
  /** Bytes per code unit: replacement text is encoded, not copied as ASCII. */
  readonly unitSize?: number;
  /** Writes a surrogate as `surrogatepass` wants; absent: not allowed. */
  passSurrogate?(cp: number, sink: ByteSink): void;
  /** Appends the encoding of `cp` to `sink`; false when it has none. */
  encodeCp(cp: number, sink: ByteSink): boolean;
}

/** Writes handler output (always ASCII) through the codec itself. */
function pushReplacement(enc: CharEncoder, text: string, sink: ByteSink): void {
  if (!enc.unitSize) {
    sink.pushAscii(text);
    return;
  }
  for (let i = 0; i < text.length; i++) enc.encodeCp(text.charCodeAt(i), sink);
}

export function encodeSlow(
  text: string,
  errors: string,
  enc: CharEncoder,
): Uint8Array {
  const cps = codePoints(text);
  const sink = new ByteSink(text.length + 8);
  let i = 0;
  while (i < cps.length) {
    const cp = cps[i] as number;
    if (enc.encodeCp(cp, sink)) {
      i++;
      continue;
    }
    let end = i + 1;
    if (enc.groupRuns) {
      while (end < cps.length) {
        // Probe into a scratch sink: only unencodable code points extend the run.
        if (enc.encodeCp(cps[end] as number, scratch())) break;
        end++;
      }
    }
    handleEncodeError(text, cps, i, end, errors, enc, sink);
    i = end;
  }
  return sink.result();
}

let scratchSink: ByteSink | undefined;
function scratch(): ByteSink {
  scratchSink ??= new ByteSink(16);
  scratchSink.len = 0;
  return scratchSink;
}

function handleEncodeError(
  text: string,
  cps: number[],
  start: number,
  end: number,
  errors: string,
  enc: CharEncoder,
  sink: ByteSink,
): void {
  const fail = (from = start) =>
    new UnicodeEncodeError(
      enc.errName,
      text,
      from,
      end,
      enc.reason,
      cps[from] as number,
    );
  switch (errors) {
    case "strict":
      throw fail();
    case "ignore":
      return;
    case "replace":
      for (let k = start; k < end; k++) pushReplacement(enc, "?", sink);
      return;
    case "xmlcharrefreplace":
      for (let k = start; k < end; k++) {
        pushReplacement(enc, `&#${cps[k]};`, sink);
      }
      return;
    case "backslashreplace":
      for (let k = start; k < end; k++) {
        pushReplacement(enc, escapeCodePoint(cps[k] as number), sink);
      }
      return;
    case "surrogateescape": {
      const isEscape = (k: number) => {
        const cp = cps[k] as number;
        return cp >= 0xdc80 && cp <= 0xdcff;
      };
      // Single escaped bytes cannot stand in a UTF-16/32 stream.
      if (enc.unitSize) throw fail();
      if (!enc.escapesPrefix) {
        for (let k = start; k < end; k++) if (!isEscape(k)) throw fail();
      }
      // CPython's UTF-8, ASCII and Latin-1 encoders write the escaped
      // prefix of the run and report only the rest.
      let k = start;
      for (; k < end && isEscape(k); k++) {
        sink.push((cps[k] as number) - 0xdc00);
      }
      if (k < end) throw fail(k);
      return;
    }
    case "surrogatepass": {
      if (!enc.passSurrogate) throw fail();
      for (let k = start; k < end; k++) {
        const cp = cps[k] as number;
        if (cp < 0xd800 || cp > 0xdfff) throw fail();
      }
      for (let k = start; k < end; k++) {
        enc.passSurrogate(cps[k] as number, sink);
      }
      return;
    }
    case "namereplace":
      // The Unicode character-name database is not available in Deno.
      throw new TypeError(
        "the 'namereplace' error handler is not supported by this port",
      );
    default:
      throw unknownHandler(errors);
  }
}

/** Collects decoded text from code points and string pieces. */
export class TextSink {
  private parts: string[] = [];
  private units: number[] = [];
  pushCp(cp: number): void {
    if (cp < 0x10000) {
      this.units.push(cp);
    } else {
      const v = cp - 0x10000;
      this.units.push(0xd800 | (v >> 10), 0xdc00 | (v & 0x3ff));
    }
    if (this.units.length >= 4096) this.flush();
  }
  pushStr(s: string): void {
    this.flush();
    this.parts.push(s);
  }
  private flush(): void {
    if (this.units.length) {
      this.parts.push(String.fromCharCode(...this.units));
      this.units = [];
    }
  }
  result(): string {
    this.flush();
    return this.parts.join("");
  }
}

export function handleDecodeError(
  bytes: Uint8Array,
  start: number,
  end: number,
  reason: string,
  errors: string,
  errName: string,
  sink: TextSink,
): number {
  const fail = () => new UnicodeDecodeError(errName, bytes, start, end, reason);
  switch (errors) {
    case "strict":
      throw fail();
    case "ignore":
      return end;
    case "replace":
      sink.pushCp(0xfffd);
      return end;
    case "backslashreplace":
      for (let k = start; k < end; k++) {
        sink.pushStr("\\x" + hex2(bytes[k] as number));
      }
      return end;
    case "surrogateescape": {
      // Python escapes at most four bytes, stopping at the first ASCII one,
      // and resumes decoding there.
      let k = start;
      while (k < end && k - start < 4 && (bytes[k] as number) >= 0x80) {
        sink.pushCp(0xdc00 + (bytes[k] as number));
        k++;
      }
      if (k === start) throw fail();
      return k;
    }
    case "surrogatepass":
      throw fail();
    default:
      if (KNOWN_HANDLERS.has(errors)) {
        throw new TypeError(
          "don't know how to handle UnicodeDecodeError in error callback",
        );
      }
      throw unknownHandler(errors);
  }
}
