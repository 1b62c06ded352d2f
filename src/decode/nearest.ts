/** The names nearest a misspelt one, for "did you mean" in errors (as commander does for options). */

/** Edits (insert, delete, replace, swap two neighbours) from a to b. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** Up to `max` of `names` within a third of `name`'s length in edits (at least 2), nearest first. */
export function nearestNames(name: string, names: Iterable<string>, max = 3): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  return [...names]
    .map((n) => ({ n, d: distance(name, n) }))
    .filter((x) => x.d <= limit)
    .sort((x, y) => x.d - y.d || x.n.localeCompare(y.n))
    .slice(0, max)
    .map((x) => x.n);
}
