/** How many times larger the bigger input is. */
export const GROWTH_FACTOR = 16;

/**
 * How much slower work gets on sixteen times the input: about 16 for linear work, 256 for
 * quadratic (a backtracking regular expression). Each ratio compares the best of three timings of
 * each size, taken alternately; the median of five such ratios is returned, so a burst of load on a
 * shared machine, which can skew one ratio several-fold, does not decide the answer. Callers allow
 * four times linear (64); a quadratic cost still exceeds that fourfold.
 */
export function growthRatio(inputs: (n: number) => readonly string[], run: (input: string) => void, n: number): number {
  const small = inputs(n);
  const large = inputs(GROWTH_FACTOR * n);
  const time = (batch: readonly string[]) => {
    const start = performance.now();
    for (const s of batch) run(s);
    return performance.now() - start;
  };
  time(small); // warm-up: the first timing would include compilation
  time(large);
  const ratios: number[] = [];
  for (let r = 0; r < 5; r++) {
    let fastestSmall = Number.POSITIVE_INFINITY;
    let fastestLarge = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 3; i++) {
      fastestSmall = Math.min(fastestSmall, time(small));
      fastestLarge = Math.min(fastestLarge, time(large));
    }
    ratios.push(fastestLarge / Math.max(fastestSmall, 0.01));
  }
  return ratios.sort((a, b) => a - b)[2]!;
}
