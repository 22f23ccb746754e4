/**
 * examples/udp_time_server.ts and examples/udp_time_client.ts, run as
 * their headers say: each line typed comes back stamped with the time; an
 * empty line quits; the server logs each exchange as tsUserv.py does.
 */
import { equal, match } from "node:assert/strict";
import { runExample, startExample } from "./_run.ts";

const STAMP = String.raw`\[\w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\]`;

Deno.test("udp_time_client.ts: each line comes back stamped; an empty line quits", async () => {
  await using server = startExample("udp_time_server.ts", ["0"]);
  const [, port] = await server.waitFor(
    /^Listening on \('127\.0\.0\.1', (\d+)\)\nwaiting for message\.\.\.\n/,
  );
  const client = await runExample("udp_time_client.ts", [port!], {
    input: "hello\nworld\n\nnot sent\n",
  });
  equal(client.code, 0, client.stderr);
  match(
    client.stdout,
    new RegExp(`^> ${STAMP} hello\n> ${STAMP} world\n> $`),
  );
  const s = await server.stop();
  equal(s.code, 0, s.stderr);
  match(
    s.stdout,
    /^Listening on .*\nwaiting for message\.\.\.\n\.\.\.received from and returned to: \('127\.0\.0\.1', (\d+)\)\nwaiting for message\.\.\.\n\.\.\.received from and returned to: \('127\.0\.0\.1', \1\)\nwaiting for message\.\.\.\n\nKeyboard interrupt received, exiting\.\n$/,
  );
});

Deno.test("udp_time_client.ts: the end of input quits too", async () => {
  await using server = startExample("udp_time_server.ts", ["0"]);
  const [, port] = await server.waitFor(/\('127\.0\.0\.1', (\d+)\)/);
  const client = await runExample("udp_time_client.ts", [port!], {
    input: "last line without newline",
  });
  equal(client.code, 0, client.stderr);
  match(
    client.stdout,
    new RegExp(`^> ${STAMP} last line without newline\n$`),
  );
});
