/**
 * CPU time per request, by process, for the benchmark's second table: where a step's work goes
 * (worker, API, Temporal server, PostgreSQL, the benchmark's own client). Read from /proc, so
 * Linux only; elsewhere the table shows only the client.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { round } from './stats';

/** Clock ticks per second of /proc's times (`getconf CLK_TCK`; 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  ppid: number;
  /** utime + stime + cutime + cstime: the process's own CPU and that of children it has reaped. */
  ticks: number;
}

function readStats(): Map<number, ProcStat> {
  const stats = new Map<number, ProcStat>();
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return stats;
  }
  for (const entry of entries) {
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name is in parentheses and may hold spaces: the fields start after the last ')'.
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
      const [utime, stime, cutime, cstime] = [11, 12, 13, 14].map((i) => Number(fields[i]));
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: utime + stime + cutime + cstime });
    } catch {
      // The process ended while we read.
    }
  }
  return stats;
}

/** CPU seconds used so far by each root process and its live descendants (PostgreSQL's backends, say). */
function treeSeconds(roots: number[], stats: Map<number, ProcStat>): number {
  const children = new Map<number, number[]>();
  for (const [pid, s] of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  let ticks = 0;
  const seen = new Set<number>();
  const queue = [...roots];
  while (queue.length) {
    const pid = queue.pop()!;
    if (seen.has(pid)) continue;
    seen.add(pid);
    ticks += stats.get(pid)?.ticks ?? 0;
    queue.push(...(children.get(pid) ?? []));
  }
  return ticks / TICKS_PER_SECOND;
}

export type ProcessRoots = Record<string, number[]>;

export interface CpuMeter {
  begin(step: string): void;
  end(step: string, requests: number): void;
  /** Per step: CPU milliseconds per request by process, and their total. */
  perRequest(): Record<string, Record<string, number>>;
}

/** Samples the processes `roots()` names (read at each sample, so a restarted worker counts) and this process as `client`. */
export function cpuMeter(roots: () => ProcessRoots): CpuMeter {
  const sample = (): Record<string, number> => {
    const stats = readStats();
    const own = process.cpuUsage();
    const out: Record<string, number> = {};
    for (const [name, pids] of Object.entries(roots())) out[name] = treeSeconds(pids, stats);
    out.client = (own.user + own.system) / 1e6;
    return out;
  };
  const started = new Map<string, Record<string, number>>();
  const results: Record<string, Record<string, number>> = {};
  return {
    begin: (step) => void started.set(step, sample()),
    end: (step, requests) => {
      const before = started.get(step);
      if (!before || requests === 0) return;
      const after = sample();
      const row: Record<string, number> = {};
      let total = 0;
      for (const [name, seconds] of Object.entries(after)) {
        const ms = ((seconds - (before[name] ?? 0)) * 1000) / requests;
        row[name] = round(ms, 1);
        total += ms;
      }
      row.total = round(total, 1);
      results[step] = row;
    },
    perRequest: () => results,
  };
}

/** The per-request CPU table: one row per step, one column per process. */
export function cpuTable(perRequest: Record<string, Record<string, number>>): string {
  const names = [...new Set(Object.values(perRequest).flatMap((r) => Object.keys(r)))];
  const head = ['CPU ms per request', ...names];
  const body = Object.entries(perRequest).map(([step, row]) => [step, ...names.map((n) => String(row[n] ?? ''))]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
