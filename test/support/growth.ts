/**
 * How much slower work gets on four times the input: about 4 for linear work, 16 for quadratic
 * (a backtracking regular expression). A ratio of two timings taken in the same run, each the best
 * of five, so a loaded machine slows both sides alike — unlike a fixed time budget.
 */
export function growthRatio(inputs: (n: number) => readonly string[], run: (input: string) => void, n: number): number {
  const best = (size: number) => {
    const batch = inputs(size);
    let fastest = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      for (const s of batch) run(s);
      fastest = Math.min(fastest, performance.now() - start);
    }
    return fastest;
  };
  best(n); // warm-up: the first timing would include compilation
  return best(4 * n) / Math.max(best(n), 0.01);
}
