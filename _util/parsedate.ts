/**
 * Dates in the many shapes mail and HTTP headers carry them (`Sun, 06 Nov
 * 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT`, `Sun Nov  6
 * 08:49:37 1994`, and looser ones), read exactly as Python's
 * `email.utils.parsedate_tz` reads them, so that a server answers
 * `If-Modified-Since` as Python's does. Pure.
 *
 * Follows CPython 3.13 `Lib/email/_parseaddr.py`, `_parsedate_tz`, and
 * `Lib/email/utils.py`, `parsedate_to_datetime` (its range checks).
 *
 * @module
 */

import { pyInt } from "./py_int.ts";
import { pySplit } from "./py_str.ts";

const DAY_NAMES = new Set(["mon", "tue", "wed", "thu", "fri", "sat", "sun"]);

const MONTH_NAMES = [
  "jan",
  "feb",
  "mar",
  "apr",
  "may",
  "jun",
  "jul",
  "aug",
  "sep",
  "oct",
  "nov",
  "dec",
  "january",
  "february",
  "march",
  "april",
  "may",
  "june",
  "july",
  "august",
  "september",
  "october",
  "november",
  "december",
];

/** The zone names Python knows, as `±hhmm`. */
const ZONES: Readonly<Record<string, number>> = {
  UT: 0,
  UTC: 0,
  GMT: 0,
  Z: 0,
  AST: -400,
  ADT: -300,
  EST: -500,
  EDT: -400,
  CST: -600,
  CDT: -500,
  MST: -700,
  MDT: -600,
  PST: -800,
  PDT: -700,
};

/**
 * A date's parts: year, month (1–12), day, hour, minute, second, and the
 * zone's offset in seconds (`null` when no zone is known, `-0000` included).
 */
export type DateParts = [
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  offset: number | null,
];

/** The time `h:m[:s]` (or `h.m[.s]`), or `null`. */
function timeParts(text: string): [string, string, string] | null {
  let parts = text.split(":");
  if (parts.length === 1 && text.includes(".")) parts = text.split(".");
  if (parts.length === 2) return [parts[0]!, parts[1]!, "0"];
  if (parts.length === 3) return [parts[0]!, parts[1]!, parts[2]!];
  return null;
}

/**
 * A zone's offset in seconds, from a name or `±hhmm`; `null` when there is
 * none, it is unknown, or it is `-0000` (all of which Python reads as "no
 * zone given").
 */
function zoneOffset(zone: string): number | null {
  const name = zone.toUpperCase();
  const offset = Object.hasOwn(ZONES, name) ? ZONES[name]! : pyInt(name);
  if (offset === null || (offset === 0 && name.startsWith("-"))) return null;
  const hhmm = Math.abs(offset);
  return Math.sign(offset) *
    (Math.floor(hhmm / 100) * 3600 + (hhmm % 100) * 60);
}

/** Python's `email.utils.parsedate_tz`: the parts of `text`, or `null`. */
export function parsedateTz(text: string): DateParts | null {
  let data = pySplit(text);
  if (data.length === 0) return null;
  // A day name, with or without its comma, goes.
  if (data[0]!.endsWith(",") || DAY_NAMES.has(data[0]!.toLowerCase())) {
    data.shift();
  } else {
    const comma = data[0]!.lastIndexOf(",");
    if (comma >= 0) data[0] = data[0]!.slice(comma + 1);
  }
  if (data.length === 3) { // RFC 850: 06-Nov-94
    const pieces = data[0]!.split("-");
    if (pieces.length === 3) data = [...pieces, ...data.slice(1)];
  }
  if (data.length === 4) { // a zone stuck to the time: 08:49:37+0000
    const last = data[3]!;
    let at = last.indexOf("+");
    if (at === -1) at = last.indexOf("-");
    if (at > 0) data.splice(3, 1, last.slice(0, at), last.slice(at));
    else data.push("");
  }
  if (data.length < 5) return null;
  let [dd, mm, yy, tm, tz] = data.slice(0, 5) as [
    string,
    string,
    string,
    string,
    string,
  ];
  if (!dd || !mm || !yy) return null;
  mm = mm.toLowerCase();
  if (!MONTH_NAMES.includes(mm)) {
    [dd, mm] = [mm, dd.toLowerCase()];
    if (!MONTH_NAMES.includes(mm)) return null;
  }
  const month = MONTH_NAMES.indexOf(mm) % 12 + 1;
  if (dd.endsWith(",")) dd = dd.slice(0, -1);
  if (yy.indexOf(":") > 0) [yy, tm] = [tm, yy];
  if (yy.endsWith(",")) {
    yy = yy.slice(0, -1);
    if (!yy) return null;
  }
  // Python's isdigit(): decimal digits, and the superscripts ¹²³ (its other
  // digits lie beyond Latin-1, which headers are read as).
  if (!/^[\p{Nd}\xb2\xb3\xb9]/u.test(yy)) [yy, tz] = [tz, yy];
  if (tm.endsWith(",")) tm = tm.slice(0, -1);
  const time = timeParts(tm);
  if (time === null) return null;
  const numbers = [yy, dd, ...time].map(pyInt);
  if (numbers.some((n) => n === null)) return null;
  let [year, day, hour, minute, second] = numbers as number[] as [
    number,
    number,
    number,
    number,
    number,
  ];
  // Two-digit years, as POSIX reads them: 69–99 are 1900s, 0–68 2000s.
  if (year < 100) year += year > 68 ? 1900 : 2000;
  return [year, month, day, hour, minute, second, zoneOffset(tz)];
}

/** Days in each month of a common year. */
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : MONTH_DAYS[month - 1]!;
}

/**
 * Whether Python's `datetime` takes these parts (year 1–9999, a real day
 * of that month, hours 0–23, minutes and seconds 0–59).
 */
export function isValidDate(parts: DateParts): boolean {
  const [year, month, day, hour, minute, second] = parts;
  return year >= 1 && year <= 9999 && day >= 1 &&
    day <= daysIn(year, month) && hour >= 0 && hour <= 23 && minute >= 0 &&
    minute <= 59 && second >= 0 && second <= 59;
}

/** Seconds since the epoch for parts read as UTC (any year 1–9999). */
export function utcSeconds(parts: DateParts): number {
  const [year, month, day, hour, minute, second] = parts;
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second);
  return date.getTime() / 1000;
}
