/** Small statistics for benchmarks: every figure in BENCHMARKS.md comes from these. */

export const median = (xs: number[]): number => percentile(xs, 50);

export const percentile = (xs: number[], p: number): number => {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
};

/** Milliseconds an async call takes, by the monotonic clock. */
export const timed = async (fn: () => Promise<unknown>): Promise<number> => {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
};

export const fmt = (ms: number, digits = 2): string => (Number.isFinite(ms) ? ms.toFixed(digits) : 'n/a');

/** A markdown table from a header and rows. */
export const table = (header: string[], rows: Array<Array<string | number>>): string =>
  [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');

/** `ok` or how far off a target is. */
export const verdict = (value: number, target: number, unit = ''): string =>
  value <= target ? `met (${fmt(value)}${unit} <= ${target}${unit})` : `MISSED by ${fmt(value - target)}${unit} (${fmt(value)}${unit} > ${target}${unit})`;
