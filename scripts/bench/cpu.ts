/**
 * CPU time per request, by process, for the benchmark's second table: where a step's work goes
 * (worker, API, Temporal server, PostgreSQL, the benchmark's own client). Read from /proc, so
 * Linux only; elsewhere every column but the client's reads 0.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { round, textTable } from './stats';

/** Clock ticks per second of /proc's times (`getconf CLK_TCK`; 100 on Linux). */
const TICKS_PER_SECOND = 100;

interface ProcStats {
  /** utime + stime + cutime + cstime by pid: each process's own CPU and that of children it has reaped. */
  ticks: Map<number, number>;
  children: Map<number, number[]>;
}

function readStats(): ProcStats {
  const stats: ProcStats = { ticks: new Map(), children: new Map() };
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
      const pid = Number(entry);
      const ppid = Number(fields[1]);
      stats.ticks.set(pid, utime + stime + cutime + cstime);
      stats.children.set(ppid, [...(stats.children.get(ppid) ?? []), pid]);
    } catch {
      // The process ended while we read.
    }
  }
  return stats;
}

/** CPU ticks used so far by each process of the trees under `roots` (PostgreSQL's backends, say), by pid. */
function treeTicks(roots: number[], stats: ProcStats): Map<number, number> {
  const ticks = new Map<number, number>();
  const queue = [...roots];
  while (queue.length) {
    const pid = queue.pop()!;
    const own = stats.ticks.get(pid);
    if (ticks.has(pid) || own === undefined) continue;
    ticks.set(pid, own);
    queue.push(...(stats.children.get(pid) ?? []));
  }
  return ticks;
}

/**
 * CPU seconds the processes alive at `after` used since `before`; one that started in between
 * counts from zero. One that ended in between is lost unless a process of the tree reaped it
 * (a backend's CPU shows in its postmaster's), so a restart undercounts its step, never goes below zero.
 */
function secondsBetween(before: Map<number, number> | undefined, after: Map<number, number>): number {
  let ticks = 0;
  for (const [pid, t] of after) ticks += t - (before?.get(pid) ?? 0);
  return ticks / TICKS_PER_SECOND;
}

export type ProcessRoots = Record<string, number[]>;

export interface CpuMeter {
  begin(step: string): void;
  end(step: string, requests: number): void;
  /** Per step: CPU milliseconds per request by process, and their total. */
  perRequest(): Record<string, Record<string, number>>;
}

interface Sample {
  trees: Record<string, Map<number, number>>;
  clientSeconds: number;
}

/** Samples the processes `roots()` names (read at each sample, so a restarted worker's new process counts) and this process as `client`. */
export function cpuMeter(roots: () => ProcessRoots): CpuMeter {
  const sample = (): Sample => {
    const stats = readStats();
    const own = process.cpuUsage();
    const trees: Record<string, Map<number, number>> = {};
    for (const [name, pids] of Object.entries(roots())) trees[name] = treeTicks(pids, stats);
    return { trees, clientSeconds: (own.user + own.system) / 1e6 };
  };
  const started = new Map<string, Sample>();
  const results: Record<string, Record<string, number>> = {};
  return {
    begin: (step) => void started.set(step, sample()),
    end: (step, requests) => {
      const before = started.get(step);
      if (!before || requests === 0) return;
      const after = sample();
      const seconds: Record<string, number> = {};
      for (const [name, tree] of Object.entries(after.trees)) seconds[name] = secondsBetween(before.trees[name], tree);
      seconds.client = after.clientSeconds - before.clientSeconds;
      const row: Record<string, number> = {};
      let total = 0;
      for (const [name, s] of Object.entries(seconds)) {
        const ms = (s * 1000) / requests;
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
  return textTable(
    head,
    Object.entries(perRequest).map(([step, row]) => [step, ...names.map((n) => String(row[n] ?? ''))]),
  );
}
