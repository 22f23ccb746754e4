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
  const whole = Math.floor(seconds);
  // The same file's Last-Modified, request after request.
  if (whole !== lastGivenSecond) {
    lastGivenSecond = whole;
    lastGivenDate = new Date(whole * 1000).toUTCString();
  }
  return lastGivenDate;
}

function two(n: number): string {
  return n < 10 ? "0" + n : String(n);
}

/** Local time as Python's log lines show it: `24/Nov/2026 05:40:00`. */
export function logDate(): string {
  const now = Math.floor(Date.now() / 1000);
  if (now !== cachedLogSecond) {
    const d = new Date(now * 1000);
    cachedLogSecond = now;
    cachedLogDate = `${two(d.getDate())}/${MONTH_NAMES[d.getMonth() + 1]}/${
      String(d.getFullYear()).padStart(4, "0")
    } ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
  }
  return cachedLogDate;
}

const MONTHS: Readonly<Record<string, number>> = {
  jan: 0,
  feb: 1,
  mar: 2,
  apr: 3,
  may: 4,
  jun: 5,
  jul: 6,
  aug: 7,
  sep: 8,
  oct: 9,
  nov: 10,
  dec: 11,
};

const IMF_DATE =
  /^(?:[A-Za-z]+,?\s*)?(\d{1,2})[\s-]+([A-Za-z]{3})[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([A-Za-z]+|[+-]\d{4})?$/;
const ASCTIME_DATE =
  /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})$/;

function fullYear(year: number, digits: number): number {
  if (digits > 2) return year;
  return year > 68 ? 1900 + year : 2000 + year;
}

function isUtcZone(zone: string | undefined): boolean {
  if (zone === undefined) return true;
  return /^(?:GMT|UTC?|Z|[+-]0000)$/i.test(zone);
}

/**
 * Parses an HTTP date (RFC 7231, RFC 850 or asctime form) to whole seconds
 * since the epoch. `null` when it is not a date, or names a time zone other
 * than UTC (Python's file server ignores such `If-Modified-Since` values).
 */
export function parseHttpDateUtc(value: string): number | null {
  const text = value.trim();
  let year: number, month: number | undefined, day: number;
  let hour: number, minute: number, second: number;
  const imf = IMF_DATE.exec(text);
  if (imf) {
    const [, d = "", mon = "", y = "", h = "", mi = "", s, zone] = imf;
    if (!isUtcZone(zone)) return null;
    day = Number(d);
    month = MONTHS[mon.toLowerCase()];
    year = fullYear(Number(y), y.length);
    hour = Number(h);
    minute = Number(mi);
    second = Number(s ?? "0");
  } else {
    const asc = ASCTIME_DATE.exec(text);
    if (!asc) return null;
    const [, mon = "", d = "", h = "", mi = "", s = "", y = ""] = asc;
    month = MONTHS[mon.toLowerCase()];
    day = Number(d);
    year = Number(y);
    hour = Number(h);
    minute = Number(mi);
    second = Number(s);
  }
  if (
    month === undefined || day < 1 || day > 31 || hour > 23 || minute > 59 ||
    second > 61
  ) {
    return null;
  }
  return Date.UTC(year, month, day, hour, minute, second) / 1000;
}
