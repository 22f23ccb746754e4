import { urlopen } from "/tmp/review8c/urllib/request/mod.ts";
const d = (b: Uint8Array) => JSON.stringify(new TextDecoder().decode(b));
for (const i of [0, 4, 5]) {
  let r = await urlopen(`http://127.0.0.1:63141/${i}`);
  const out: string[] = [];
  try {
    while (true) {
      const b = await r.read(3);
      if (!b.length) break;
      out.push(d(b));
    }
    console.log(i, out.join(","));
  } catch (e: any) {
    console.log(i, out.join(","), e.constructor.name, d(e.partial));
  }
  r = await urlopen(`http://127.0.0.1:63141/${i}`);
  const ls: string[] = [];
  try {
    for await (const l of r) ls.push(d(l));
    console.log(i, ls.join(","));
  } catch (e: any) {
    console.log(i, ls.join(","), e.constructor.name, d(e.partial));
  }
}
