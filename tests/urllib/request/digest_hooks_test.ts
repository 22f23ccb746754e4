/**
 * The hooks CPython 3.13's `AbstractDigestAuthHandler.get_authorization`
 * reaches through `self`: `get_entity_digest` (for a request with a body,
 * its value sent as `digest="..."`) and `get_algorithm_impls` (an `H` of
 * `None` leaves the challenge unanswered), against a real local server.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { HTTPError } from "../../../urllib/error.ts";
import {
  type DigestHash,
  HTTPDigestAuthHandler,
} from "../../../urllib/request/auth_handlers.ts";
import { build_opener } from "../../../urllib/request/opener.ts";
import { HTTPPasswordMgrWithDefaultRealm } from "../../../urllib/request/password_mgr.ts";
import { Request } from "../../../urllib/request/request.ts";
import { withServer } from "./_site.ts";

const CHALLENGE =
  'Digest realm="r", nonce="n0", qop="auth", opaque="op", algorithm=SHA-256';

/** Answers 401 with CHALLENGE until a request carries Authorization. */
function server(seen: (string | null)[]) {
  return (req: globalThis.Request) => {
    const auth = req.headers.get("authorization");
    seen.push(auth);
    return auth === null
      ? new Response("denied", {
        status: 401,
        headers: { "WWW-Authenticate": CHALLENGE },
      })
      : new Response("ok");
  };
}

function manager(base: string): HTTPPasswordMgrWithDefaultRealm {
  const mgr = new HTTPPasswordMgrWithDefaultRealm();
  mgr.add_password(null, base, "alice", "s3cret");
  return mgr;
}

Deno.test("HTTPDigestAuthHandler sends a get_entity_digest override's value for a request with a body, as Python does", async () => {
  const seen: (string | null)[] = [];
  await withServer(server(seen), async (base) => {
    const asked: unknown[] = [];
    class Entity extends HTTPDigestAuthHandler {
      override get_entity_digest(
        data: unknown,
        chal: Record<string, string>,
      ): string | null {
        asked.push([
          new TextDecoder().decode(data as Uint8Array),
          chal["realm"],
        ]);
        return "e1d2";
      }
    }
    const opener = build_opener(new Entity(manager(base)));
    const post = new Request(`${base}/form`, new TextEncoder().encode("x=1"));
    const resp = await opener.open(post, { timeout: 5 });
    await resp.read();
    resp.close();
    deepEqual(asked, [["x=1", "r"]]);
    const auth = seen[1] ?? "";
    ok(
      auth.includes(', opaque="op", digest="e1d2", algorithm="SHA-256", qop='),
      auth,
    );

    // Without a body it is not asked, and no digest is sent.
    seen.length = 0;
    const get = await opener.open(`${base}/page`, { timeout: 5 });
    await get.read();
    get.close();
    equal(asked.length, 1);
    ok(!(seen[1] ?? "").includes("digest="), seen[1] ?? "");
  });
});

Deno.test("HTTPDigestAuthHandler: a get_algorithm_impls override that gives no hash leaves the challenge unanswered, as Python does", async () => {
  const seen: (string | null)[] = [];
  await withServer(server(seen), async (base) => {
    class NoSha256 extends HTTPDigestAuthHandler {
      override get_algorithm_impls(
        algorithm: string,
      ): [H: DigestHash, KD: (secret: string, data: string) => string] {
        if (algorithm === "SHA-256") {
          // Python's spelling of "not this one": (None, None).
          return [null, null] as unknown as [
            DigestHash,
            (secret: string, data: string) => string,
          ];
        }
        return super.get_algorithm_impls(algorithm);
      }
    }
    const opener = build_opener(new NoSha256(manager(base)));
    let error: unknown = null;
    try {
      (await opener.open(base, { timeout: 5 })).close();
    } catch (e) {
      error = e;
    }
    ok(error instanceof HTTPError, String(error));
    await error.fp?.close();
    equal(error.code, 401);
    deepEqual(seen, [null]);
  });
});
