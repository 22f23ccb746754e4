/**
 * A port or worker count that is no number is a bad command line for
 * examples/workers_server.ts: a usage line and exit 2, as hello_server.ts
 * does for its port, not a stack trace.
 */
import { equal, ok } from "node:assert/strict";
import { runExample } from "./_run.ts";

for (const args of [["abc"], ["0", "zero"], ["70000"]]) {
  Deno.test(`workers_server.ts ${args.join(" ")}: a usage error, not a stack trace`, async () => {
    const result = await runExample("workers_server.ts", args);
    equal(result.code, 2, result.stderr);
    ok(
      result.stderr.startsWith("usage: workers_server.ts [port] [workers]"),
      result.stderr,
    );
    ok(!result.stderr.includes("    at "), result.stderr);
  });
}
