/**
 * Date strings for headers and log lines, cached per second because every
 * response needs one.
 *
 * Follows CPython 3.13 `Lib/http/server.py`,
 * `BaseHTTPRequestHandler.date_time_string` and `log_date_time_string`, and the
 * `If-Modified-Since` parsing of `SimpleHTTPRequestHandler.send_head`.
 *
 * @module
 */
import { isValidDate, parsedateTz, utcSeconds } from "../_util/parsedate.ts";
import { pyStr } from "../_util/py_repr.ts";

/** English month abbreviations, index 1 to 12 (index 0 unused, as Python). */
export const MONTH_NAMES: readonly (string | null)[] = [
  null,
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
];

/** English weekday abbreviations, Monday first (as Python). */
export const WEEKDAY_NAMES: readonly string[] = [
  "Mon",
  "Tue",
  "Wed",
  "Thu",
  "Fri",
  "Sat",
  "Sun",
];

let cachedHttpSecond = NaN;
let cachedHttpDate = "";
let cachedLogSecond = NaN;
let lastGivenSecond = NaN;
let lastGivenDate = "";
let cachedLogDate = "";
let cachedLogMonth = 1;
let cachedLogDay = "";
let cachedLogRest = "";
/** The month name `cachedLogDate` was built with (none yet: a symbol no name equals). */
const UNBUILT: unique symbol = Symbol("unbuilt");
let cachedLogName: unknown = UNBUILT;

/** RFC 7231 date (`Tue, 24 Nov 2026 05:40:00 GMT`) for seconds since the epoch. */
export function httpDate(seconds?: number | null): string {
  if (seconds === undefined || seconds === null) {
    const now = Math.floor(Date.now() / 1000);
    if (now !== cachedHttpSecond) {
      cachedHttpSecond = now;
      cachedHttpDate = new Date(now * 1000).toUTCString();
    }
    return cachedHttpDate;
  }
  const whole = pySecond(seconds);
  // The same file's Last-Modified, request after request.
  if (whole !== lastGivenSecond) {
    if (!(whole >= FIRST_SECOND && whole < PAST_LAST_SECOND)) {
      throw new RangeError(`year ${yearOf(whole)} is out of range`);
    }
    lastGivenSecond = whole;
    lastGivenDate = new Date(whole * 1000).toUTCString();
  }
  return lastGivenDate;
}

/**
 * The second `datetime.fromtimestamp` puts a time in: CPython splits off the
 * fraction (`modf`), scales it to microseconds and rounds that half to even
 * (0.9999999 is second 1; 0.9999995 and -0.0000005 are not rounded across,
 * though `seconds * 1e6` would round them up).
 */
function pySecond(seconds: number): number {
  const whole = Math.trunc(seconds);
  const scaled = (seconds - whole) * 1e6;
  let micros = Math.sign(scaled) * Math.round(Math.abs(scaled));
  if (Math.abs(scaled - micros) === 0.5) {
    micros = 2 * Math.sign(scaled) * Math.round(Math.abs(scaled) / 2);
  }
  if (micros >= 1e6) return whole + 1;
  if (micros < 0) return whole - 1;
  return whole;
}

/** 0001-01-01 and 10000-01-01 UTC: Python's dates have years 1 to 9999. */
const FIRST_SECOND = -62135596800;
const PAST_LAST_SECOND = 253402300800;

/** The (proleptic Gregorian) year of a time, for Python's message. */
function yearOf(seconds: number): number | string {
  if (Number.isNaN(seconds)) return "NaN";
  const date = new Date(seconds * 1000);
  if (!Number.isNaN(date.getTime())) return date.getUTCFullYear();
  // Beyond what Date holds: the mean Gregorian year is 31,556,952 s.
  return Math.floor(1970 + seconds / 31_556_952);
}

function two(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/**
 * Local time as Python's log lines show it: `24/Nov/2026 05:40:00`, the
 * month named by `monthNames` (a handler's `monthname`, index 1 to 12).
 */
export function logDate(
  monthNames: readonly (string | null)[] = MONTH_NAMES,
): string {
  const now = Math.floor(Date.now() / 1000);
  if (now !== cachedLogSecond) {
    const d = new Date(now * 1000);
    cachedLogSecond = now;
    cachedLogMonth = d.getMonth() + 1;
    cachedLogDay = two(d.getDate());
    cachedLogRest = `${String(d.getFullYear()).padStart(4, "0")} ${
      two(d.getHours())
    }:${two(d.getMinutes())}:${two(d.getSeconds())}`;
    cachedLogName = UNBUILT;
  }
  // The names can change at any time (Python reads them on every call).
  const name = monthNames[cachedLogMonth];
  if (name !== cachedLogName) {
    cachedLogName = name;
    cachedLogDate = `${cachedLogDay}/${
      pyStr(name).padStart(3)
    }/${cachedLogRest}`;
  }
  return cachedLogDate;
}

/**
 * `If-Modified-Since` (or a date in `If-Range`) as Python's file server
 * reads it: whole seconds since the epoch; `null` when it is not a date
 * `email.utils.parsedate_to_datetime` takes, or names a zone other than UTC
 * (no zone counts as UTC).
 */
export function parseHttpDateUtc(value: string): number | null {
  const parts = parsedateTz(value);
  if (parts === null || !isValidDate(parts)) return null;
  const offset = parts[6];
  return offset === null || offset === 0 ? utcSeconds(parts) : null;
}

/**
 * Whether `If-Modified-Since` (`since`) shows a copy of something last
 * modified at `lastModified` (seconds since the epoch) still current.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { unmodifiedSince } from "./_dates.ts";
 * equal(unmodifiedSince("Thu, 01 Jan 1970 00:00:10 GMT", 10), true);
 * equal(unmodifiedSince("Thu, 01 Jan 1970 00:00:09 GMT", 10), false);
 * equal(unmodifiedSince("not a date", 10), false);
 * ```
 */
export function unmodifiedSince(since: string, lastModified: number): boolean {
  const sinceTime = parseHttpDateUtc(since);
  return sinceTime !== null && lastModified <= sinceTime;
}
