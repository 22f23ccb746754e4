/**
 * Python's `urllib.robotparser` for Deno: `RobotFileParser` reads a site's
 * `robots.txt` and answers whether a crawler may fetch a URL, with CPython
 * 3.13's rules.
 *
 * @example
 * ```ts
 * import { equal } from "node:assert/strict";
 * import { RobotFileParser } from "@pyport/web/urllib/robotparser";
 * const rp = new RobotFileParser("https://example.com/robots.txt");
 * rp.parse(["User-agent: *", "Disallow: /tmp/"]);
 * equal(rp.can_fetch("*", "https://example.com/tmp/a"), false);
 * equal(rp.can_fetch("*", "https://example.com/index.html"), true);
 * ```
 *
 * @module
 */
export {
  Entry,
  RequestRate,
  RobotFileParser,
  RuleLine,
} from "./robotparser.ts";
