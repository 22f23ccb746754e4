/**
 * The stats shared by the requests of one event-loop turn
 * (`_stat_batch.ts`): one per path, taken after every request of the turn
 * asked, never reused by a later turn; on a real temporary tree.
 */
import { equal, notEqual, ok } from "node:assert/strict";
import { checkPath } from "../../http_server/_stat_batch.ts";
import { UNDECIDED } from "../../http_server/_inside.ts";

const POSIX = Deno.build.os !== "windows";

async function tree(): Promise<{ www: string } & AsyncDisposable> {
  const root = await Deno.makeTempDir();
  const www = `${root}/www`;
  await Deno.mkdir(www);
  await Deno.writeTextFile(`${www}/a.txt`, "a");
  await Deno.writeTextFile(`${www}/b.txt`, "bb");
  await Deno.writeTextFile(`${root}/secret.txt`, "secret");
  await Deno.symlink(`${root}/secret.txt`, `${www}/link.txt`);
  return {
    www,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

function sizeOf(info: Deno.FileInfo | null | typeof UNDECIDED): number {
  if (info === null || info === UNDECIDED) throw new Error("no metadata");
  return info.size;
}

Deno.test({
  name: "checkPath: the requests of one turn share one stat per path",
  ignore: !POSIX,
  async fn() {
    await using site = await tree();
    const { www } = site;
    const [first, second, other] = await Promise.all([
      checkPath(`${www}/a.txt`, www, false),
      checkPath(`${www}/a.txt`, www, false),
      checkPath(`${www}/b.txt`, www, false),
    ]);
    ok(first.info === second.info, "one stat for the same path");
    equal(sizeOf(first.info), 1);
    equal(sizeOf(other.info), 2);
    equal(first.checkedAt, other.checkedAt);
    // Another turn stats again.
    const later = await checkPath(`${www}/a.txt`, www, false);
    notEqual(later.info, first.info);
  },
});

Deno.test({
  name: "checkPath: the stat is taken after every request of the turn asked",
  ignore: !POSIX,
  async fn() {
    await using site = await tree();
    const { www } = site;
    const asked = checkPath(`${www}/a.txt`, www, false);
    // A change finished after the request was read, before the turn's
    // stats: a request sent after it may share them, so they must see it.
    Deno.writeTextFileSync(`${www}/a.txt`, "grown");
    const joined = checkPath(`${www}/a.txt`, www, false);
    equal(sizeOf((await asked).info), 5);
    equal(sizeOf((await joined).info), 5);
    Deno.removeSync(`${www}/a.txt`);
    equal((await checkPath(`${www}/a.txt`, www, false)).info, null);
  },
});

Deno.test({
  name: "checkPath: links are left to the general check unless followed",
  ignore: !POSIX,
  async fn() {
    await using site = await tree();
    const { www } = site;
    const [plain, followed] = await Promise.all([
      checkPath(`${www}/link.txt`, www, false),
      checkPath(`${www}/link.txt`, www, true),
    ]);
    equal(plain.info, UNDECIDED);
    equal(sizeOf(followed.info), 6);
    const missing = await checkPath(`${www}/none.txt`, www, true);
    equal(missing.info, null);
  },
});

Deno.test({
  name:
    "checkPath: the folder itself gets its stat while it is the one served; a folder replaced by a link leaves all undecided",
  ignore: !POSIX,
  async fn() {
    await using site = await tree();
    const { www } = site;
    const [bare, slashed] = await Promise.all([
      checkPath(www, www, false),
      checkPath(`${www}/`, www, false),
    ]);
    ok(bare.info !== UNDECIDED && bare.info?.isDirectory);
    ok(slashed.info !== UNDECIDED && slashed.info?.isDirectory);
    await Deno.rename(www, `${www}.old`);
    await Deno.mkdir(`${www}.other`);
    await Deno.writeTextFile(`${www}.other/a.txt`, "other");
    await Deno.symlink(`${www}.other`, www);
    const [folder, file] = await Promise.all([
      checkPath(`${www}/`, www, false),
      checkPath(`${www}/a.txt`, www, false),
    ]);
    equal(folder.info, UNDECIDED);
    equal(file.info, UNDECIDED);
  },
});
