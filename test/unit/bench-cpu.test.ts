/** The benchmark's CPU accounting (scripts/bench/cpu.ts), read from /proc on this Linux machine. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cpuMeter, cpuTable } from '../../scripts/bench/cpu';

const burn = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('bench CPU meter', () => {
  it('divides a step\'s CPU by its requests, per process, and adds a total', () => {
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

  it('counts a process\'s children with it (PostgreSQL\'s backends under its postmaster)', async () => {
    // A parent that idles while its child burns ~400 ms of CPU, then both wait to be measured.
    const parent = spawn(process.execPath, [
      '-e',
      "const c = require('node:child_process').spawn(process.execPath, ['-e', 'const t = Date.now() + 400; while (Date.now() < t); setTimeout(() => {}, 5000)'], { stdio: 'ignore' }); setTimeout(() => {}, 5000);",
    ]);
    try {
      const meter = cpuMeter(() => ({ tree: [parent.pid!] }));
      meter.begin('child');
      await new Promise((r) => setTimeout(r, 1500));
      meter.end('child', 1);
      expect(meter.perRequest().child!.tree).toBeGreaterThan(250);
    } finally {
      parent.kill('SIGKILL');
    }
  });

  it('counts a process that replaced another during the step from zero, not against the first one\'s CPU', async () => {
    const burner = (ms: number) => spawn(process.execPath, ['-e', `const t = Date.now() + ${ms}; while (Date.now() < t); setTimeout(() => {}, 5000)`]);
    const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
    // The first process has used ~500 ms of CPU when the step begins; it is killed and a second one uses ~300 ms.
    let current = burner(500);
    await settle(900);
    const meter = cpuMeter(() => ({ restarted: [current.pid!] }));
    meter.begin('restart');
    current.kill('SIGKILL');
    current = burner(300);
    await settle(900);
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
