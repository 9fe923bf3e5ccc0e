/** Latency and throughput figures for the benchmark's table. */

export interface StepFigures {
  step: string;
  count: number;
  failed: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function figures(step: string, latenciesMs: number[], failed: number, seconds: number): StepFigures {
  const sorted = [...latenciesMs].sort((a, b) => a - b);
  return {
    step,
    count: latenciesMs.length,
    failed,
    seconds: round(seconds, 2),
    perSecond: round(seconds > 0 ? latenciesMs.length / seconds : 0, 1),
    p50Ms: round(percentile(sorted, 50), 1),
    p99Ms: round(percentile(sorted, 99), 1),
  };
}

export const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;

export function table(rows: StepFigures[]): string {
  const head = ['step', 'count', 'failed', 'seconds', 'per second', 'p50 ms', 'p99 ms'];
  return textTable(
    head,
    rows.map((r) => [r.step, r.count, r.failed, r.seconds, r.perSecond, r.p50Ms, r.p99Ms].map(String)),
  );
}

/** A plain-text table: the first column left-aligned, the others right-aligned. */
export function textTable(head: string[], body: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
