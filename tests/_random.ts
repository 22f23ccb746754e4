/**
 * A small, fast, seeded random source for the random differential tests:
 * the same seed gives the same cases on every machine and every run.
 *
 * @module
 */

/** A function picking one of `choices`, driven by xorshift32 from `seed`. */
export type Pick = <T>(choices: readonly T[]) => T;

/** A {@linkcode Pick} seeded with `seed` (any number; 0 counts as 1). */
export function randomSource(seed: number): Pick {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 2 ** 32;
  };
  return (choices) => choices[Math.floor(next() * choices.length)]!;
}

/**
 * The seed a random test runs with: `fallback`, fixed so that every run
 * checks the same cases, unless `DIFF_SEED=n` asks for another.
 */
export function testSeed(fallback: number): number {
  return Number(Deno.env.get("DIFF_SEED") ?? fallback);
}
