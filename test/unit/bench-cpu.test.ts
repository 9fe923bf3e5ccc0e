/** The benchmark's CPU accounting (scripts/bench/cpu.ts), read from /proc on this Linux machine. */
import { spawn, type ChildProcess } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuMeter, cpuTable } from '../../scripts/bench/cpu';

// Each burns CPU time, not wall time: on a shared machine (or beside the rest of the suite) a
// wall-clock burn gets only part of a core, and the figures below would fall short.
const cpuMsUsed = (since: NodeJS.CpuUsage) => ((u) => (u.user + u.system) / 1000)(process.cpuUsage(since));
const burn = (ms: number) => {
  const since = process.cpuUsage();
  while (cpuMsUsed(since) < ms);
};
/** A script that burns `ms` of its own CPU, prints `done`, then idles. */
const burnScript = (ms: number) =>
  `const s = process.cpuUsage(); while (((u) => u.user + u.system)(process.cpuUsage(s)) < ${ms * 1000}); console.log('done'); setTimeout(() => {}, 5000)`;
/** Resolves when a burner (or a parent passing its child's output on) has printed `done`. */
const done = (p: ChildProcess) =>
  new Promise<void>((resolve) => {
    p.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('done')) resolve();
    });
  });

describe('bench CPU meter', () => {
  it("divides a step's CPU by its requests, per process, and adds a total", () => {
    const meter = cpuMeter(() => ({ self: [process.pid] }));
    meter.begin('busy');
    burn(300);
    meter.end('busy', 3);
    const row = meter.perRequest().busy!;
    // 300 ms of CPU over 3 requests is ~100 ms each, for this process read from /proc and as the client.
    expect(row.self).toBeGreaterThan(60);
    expect(row.client).toBeGreaterThan(60);
    expect(row.total).toBeCloseTo(row.self + row.client, 0);
  });

  it("counts a process's children with it (PostgreSQL's backends under its postmaster)", async () => {
    // A parent that idles while its child burns 400 ms of CPU, then both wait to be measured.
    const parent = spawn(process.execPath, [
      '-e',
      `require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(burnScript(400))}], { stdio: 'inherit' }); setTimeout(() => {}, 5000);`,
    ]);
    try {
      const meter = cpuMeter(() => ({ tree: [parent.pid!] }));
      meter.begin('child');
      await done(parent);
      meter.end('child', 1);
      expect(meter.perRequest().child!.tree).toBeGreaterThan(250);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it("counts a process that replaced another during the step from zero, not against the first one's CPU", async () => {
    const burner = (ms: number) => spawn(process.execPath, ['-e', burnScript(ms)]);
    // The first process has used 500 ms of CPU when the step begins; it is killed and a second one uses 250 ms (and its start-up).
    let current = burner(500);
    await done(current);
    const meter = cpuMeter(() => ({ restarted: [current.pid!] }));
    meter.begin('restart');
    current.kill('SIGKILL');
    current = burner(250);
    await done(current);
    meter.end('restart', 1);
    current.kill('SIGKILL');
    const ms = meter.perRequest().restart!.restarted!;
    expect(ms).toBeGreaterThan(150);
    expect(ms).toBeLessThan(450);
  });

  it('prints one row per step and one column per process', () => {
    const text = cpuTable({ plan: { worker: 12.5, api: 5.5, total: 18 }, floor: { worker: 6.7, total: 6.7 } });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^CPU ms per request\s+worker\s+api\s+total$/);
    expect(lines[2]).toMatch(/^plan\s+12\.5\s+5\.5\s+18$/);
    expect(lines[3]).toMatch(/^floor\s+6\.7\s+6\.7$/);
  });
});
