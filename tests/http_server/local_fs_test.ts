import { equal } from "node:assert/strict";
import {
  deviceNumbers,
  parseMountInfo,
  trustsChangeTime,
} from "../../http_server/_local_fs.ts";

const SAMPLE = [
  "22 27 0:21 / /proc rw,relatime - proc proc rw",
  "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard",
  "36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 shared:7 - nfs4 srv:/export rw",
  "40 31 0:38 / /srv\\040data rw,relatime - tmpfs tmpfs rw",
  "",
].join("\n");

Deno.test("parseMountInfo: device to type, optional fields skipped", () => {
  const types = parseMountInfo(SAMPLE);
  equal(types.get("0:21"), "proc");
  equal(types.get("254:0"), "ext4");
  equal(types.get("98:0"), "nfs4");
  equal(types.get("0:38"), "tmpfs");
  equal(types.size, 4);
});

Deno.test("deviceNumbers: glibc's major/minor split", () => {
  equal(deviceNumbers(0xfe00), "254:0");
  equal(deviceNumbers(0x0803), "8:3");
  equal(deviceNumbers(0x2f), "0:47");
  // A minor above 255 spills into bits 20 and up.
  equal(deviceNumbers((0x1 << 8) | 0x34 | (0x12 << 20)), "1:4660");
  // A major above 4095 keeps its low 12 bits at bit 8, the rest above bit 32.
  equal(deviceNumbers(0x1000 * 2 ** 32 + (0x234 << 8)), "4660:0");
});

Deno.test({
  name: "trustsChangeTime: this machine's temp folder yes, /proc no",
  ignore: Deno.build.os !== "linux",
  fn() {
    const tmp = Deno.statSync(Deno.makeTempDirSync());
    const type = parseMountInfo(Deno.readTextFileSync("/proc/self/mountinfo"))
      .get(deviceNumbers(tmp.dev));
    const local = ["ext4", "xfs", "btrfs", "tmpfs", "overlay", "zfs"];
    equal(trustsChangeTime(tmp.dev), local.includes(type ?? ""), type);
    equal(trustsChangeTime(Deno.statSync("/proc/self").dev), false);
  },
});
