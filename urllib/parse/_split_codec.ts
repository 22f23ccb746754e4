/**
 * Byte/text bridging used by the split, join and result modules.
 *
 * Follows CPython 3.13 `Lib/urllib/parse.py`, `_coerce_args` and the str/bytes codec helpers.
 *
 * @module
 */

import { UnicodeDecodeError } from "../../_util/codec/mod.ts";
import { latin1Decode } from "../../_util/latin1.ts";

/** Decodes bytes as strict ASCII, raising Python's UnicodeDecodeError text. */
export function asciiDecode(bytes: Uint8Array): string {
  const len = bytes.length;
  for (let i = 0; i < len; i++) {
    const b = bytes[i] as number;
    if (b > 0x7f) {
      throw new UnicodeDecodeError(
        "ascii",
        bytes,
        i,
        i + 1,
        "ordinal not in range(128)",
      );
    }
  }
  return latin1Decode(bytes);
}
