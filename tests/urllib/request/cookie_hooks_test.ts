/**
 * CookieJar's overridable hooks reached through `self` in CPython 3.13's
 * http.cookiejar: `extract_cookies` is `make_cookies` then `set_cookie`;
 * `make_cookies` deletes what an expired cookie names with `clear`;
 * `clear_session_cookies` and `clear_expired_cookies` remove each cookie
 * with `clear`; `add_cookie_header` ends with `clear_expired_cookies`;
 * `FileCookieJar.revert` reads with `load` and neither clears nor sets
 * cookies through the hooks. The expected values are CPython 3.13's.
 */
import { deepEqual, equal, rejects } from "node:assert/strict";
import {
  Cookie,
  CookieJar,
  type CookieRequest,
  type CookieResponse,
} from "../../../urllib/request/cookiejar.ts";
import {
  LoadError,
  MozillaCookieJar,
} from "../../../urllib/request/file_cookiejar.ts";
import { HTTPCookieProcessor } from "../../../urllib/request/cookie_processor.ts";
import { build_opener } from "../../../urllib/request/opener.ts";
import { Request } from "../../../urllib/request/request.ts";
import { withServer } from "./_site.ts";
import { response } from "./_cookie_response.ts";

/** A jar that records the arguments of every `clear` call. */
class ClearLogged extends CookieJar {
  readonly cleared: unknown[][] = [];
  override clear(...args: unknown[]): void {
    this.cleared.push(args);
    (super.clear as (...a: unknown[]) => void)(...args);
  }
}

const names = (jar: CookieJar) => [...jar].map((c) => c.name);

Deno.test("HTTPCookieProcessor stores a response's cookies through the jar's set_cookie and make_cookies overrides", async () => {
  await withServer(
    () =>
      new Response("ok", {
        headers: [
          ["Set-Cookie", "sid=1; Path=/"],
          ["Set-Cookie", "tracker=x; Path=/"],
          ["Set-Cookie", "theme=dark; Path=/"],
        ],
      }),
    async (base) => {
      const visit = async (jar: CookieJar) => {
        await using resp = await build_opener(new HTTPCookieProcessor(jar))
          .open(`${base}/`, { timeout: 5 });
        await resp.read();
      };
      const offered: string[] = [];
      class NoTrackers extends CookieJar {
        override set_cookie(cookie: Cookie): void {
          offered.push(cookie.name);
          if (cookie.name !== "tracker") super.set_cookie(cookie);
        }
      }
      const picky = new NoTrackers();
      await visit(picky);
      deepEqual(offered, ["sid", "tracker", "theme"]);
      deepEqual(names(picky), ["sid", "theme"]);

      class NoTheme extends CookieJar {
        override make_cookies(
          response: CookieResponse,
          request: CookieRequest,
        ): Cookie[] {
          return super.make_cookies(response, request)
            .filter((c) => c.name !== "theme");
        }
      }
      const fewer = new NoTheme();
      await visit(fewer);
      deepEqual(names(fewer), ["sid", "tracker"]);
    },
  );
});

Deno.test("CookieJar: cookies set through set_cookie are stored as extract_cookies stores them", () => {
  const req = new Request("http://www.h.test/a/b");
  const headers = [
    "a=1; HttpOnly; SameSite=Lax",
    "c=3; Domain=h.test; Max-Age=100",
    "d",
    "e=5; Path=/a/",
  ];
  const plain = new CookieJar();
  plain.extract_cookies(response(...headers), req);
  class Hooked extends CookieJar {
    override set_cookie(cookie: Cookie): void {
      super.set_cookie(cookie);
    }
  }
  const hooked = new Hooked();
  hooked.extract_cookies(response(...headers), req);
  const view = (jar: CookieJar) =>
    [...jar].map((c) => [c.name, c.value, c.domain, c.path, c.rest]);
  deepEqual(view(hooked), view(plain));
  const sent = (jar: CookieJar) => {
    const r = new Request("http://www.h.test/a/b");
    jar.add_cookie_header(r);
    return r.get_header("Cookie");
  };
  equal(sent(hooked), sent(plain));
});

Deno.test("CookieJar.make_cookies deletes the stored cookie an expired one names, with clear (as CPython 3.13)", () => {
  const req = new Request("http://h.test/p/");
  const jar = new ClearLogged();
  const cleared = jar.cleared;
  jar.extract_cookies(response("a=1; Path=/", "b=2; Path=/"), req);
  const made = jar.make_cookies(response("a=; Path=/; Max-Age=0"), req);
  deepEqual(made, []);
  deepEqual(names(jar), ["b"]);
  deepEqual(cleared, [["h.test", "/", "a"]]);
  // A set_cookie override alone: the expired cookie still deletes.
  class Hooked extends CookieJar {
    override set_cookie(cookie: Cookie): void {
      super.set_cookie(cookie);
    }
  }
  const hooked = new Hooked();
  hooked.extract_cookies(response("a=1; Path=/"), req);
  hooked.extract_cookies(response("a=; Path=/; Max-Age=0"), req);
  equal(hooked.length, 0);
});

Deno.test("CookieJar.clear_session_cookies and clear_expired_cookies remove each cookie with clear (as CPython 3.13)", () => {
  const req = new Request("http://h.test/p/");
  const jar = new ClearLogged();
  const cleared = jar.cleared;
  jar.extract_cookies(
    response("a=1; Path=/", "s=1; Path=/", "e=1; Path=/; Max-Age=100"),
    req,
  );
  jar.clear_session_cookies();
  deepEqual(cleared, [["h.test", "/", "a"], ["h.test", "/", "s"]]);
  deepEqual(names(jar), ["e"]);

  cleared.length = 0;
  jar.set_cookie(
    new Cookie({
      name: "old",
      value: "v",
      domain: "h.test",
      path: "/",
      expires: Math.floor(Date.now() / 1000) - 10,
    }),
  );
  jar.clear_expired_cookies();
  deepEqual(cleared, [["h.test", "/", "old"]]);
  deepEqual(names(jar), ["e"]);
});

Deno.test("CookieJar.add_cookie_header never sends an expired cookie, and leaves removing it to clear_expired_cookies (as CPython 3.13)", () => {
  class Keeping extends CookieJar {
    override clear_expired_cookies(): void {}
  }
  const jar = new Keeping();
  const expires = Math.floor(Date.now() / 1000) - 10;
  jar.set_cookie(
    new Cookie({ name: "old", value: "v", domain: "h.test", expires }),
  );
  jar.set_cookie(new Cookie({ name: "new", value: "w", domain: "h.test" }));
  const req = new Request("http://h.test/");
  jar.add_cookie_header(req);
  equal(req.get_header("Cookie"), "new=w");
  deepEqual(names(jar), ["old", "new"]);

  const plain = new CookieJar();
  plain.set_cookie(
    new Cookie({ name: "old", value: "v", domain: "h.test", expires }),
  );
  plain.add_cookie_header(new Request("http://h.test/"));
  equal(plain.length, 0);
});

Deno.test("FileCookieJar.revert reads with load, and neither clears nor restores through clear and set_cookie (as CPython 3.13)", async () => {
  const path = await Deno.makeTempFile({ prefix: "revert_hooks_" });
  try {
    const expires = Math.floor(Date.now() / 1000) + 3600;
    await Deno.writeTextFile(
      path,
      `# Netscape HTTP Cookie File\nh.test\tFALSE\t/\tFALSE\t${expires}\tfile\t1\n`,
    );
    const calls: unknown[][] = [];
    class Logged extends MozillaCookieJar {
      override async load(...args: unknown[]): Promise<void> {
        calls.push(["load", ...args]);
        await (super.load as (...a: unknown[]) => Promise<void>)(...args);
      }
      override clear(...args: unknown[]): void {
        calls.push(["clear", ...args]);
        (super.clear as (...a: unknown[]) => void)(...args);
      }
      override set_cookie(cookie: Cookie): void {
        calls.push(["set_cookie", cookie.name]);
        super.set_cookie(cookie);
      }
    }
    const jar = new Logged(path);
    jar.set_cookie(
      new Cookie({ name: "mem", value: "v", domain: "h.test", discard: true }),
    );
    calls.length = 0;
    await jar.revert();
    deepEqual(calls, [["load", path, false, false], ["set_cookie", "file"]]);
    deepEqual(names(jar), ["file"]);

    await Deno.writeTextFile(path, "not a cookie file\n");
    calls.length = 0;
    await rejects(jar.revert({ ignore_discard: true }), LoadError);
    deepEqual(calls, [["load", path, true, false]]);
    deepEqual(names(jar), ["file"]);
  } finally {
    await Deno.remove(path);
  }
});
