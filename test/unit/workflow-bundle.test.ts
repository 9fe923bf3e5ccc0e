import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bundleWorkflows, SHARED_DOMAIN_MODULES } from '../../worker/bundle';

// Every module a workflow imports is loaded into each cached workflow's sandbox; zod alone made
// a cached workflow cost ~0.7 MiB more (docs/benchmarks.md), so schemas stay out of that graph.
// `import type` is erased by the compiler and is not followed.
const root = fileURLToPath(new URL('../../', import.meta.url));

function valueImports(file: string): string[] {
  const source = readFileSync(file, 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of source.matchAll(/^import\s+(type\s+)?[\s\S]*?from\s+['"]([^'"]+)['"]/gm)) {
    if (!m[1]) out.push(m[2]);
  }
  for (const m of source.matchAll(/^export\s+(?:\*|\{[^}]*\})\s+from\s+['"]([^'"]+)['"]/gm)) out.push(m[1]);
  return out;
}

/** A relative import names a module file, or a folder with an index (a workflow split into parts). */
function moduleFile(path: string): string {
  return existsSync(`${path}.ts`) ? `${path}.ts` : resolve(path, 'index.ts');
}

function reachable(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (modules.has(file)) continue;
    modules.add(file);
    for (const spec of valueImports(file)) {
      if (spec.startsWith('.')) queue.push(moduleFile(resolve(dirname(file), spec)));
      else packages.add(spec);
    }
  }
  return { modules, packages };
}

describe('workflow bundle', () => {
  const { modules, packages } = reachable(resolve(root, 'workflows/index.ts'));

  it('reaches the domain modules it needs (the walk itself works)', () => {
    expect([...modules].map((m) => m.slice(root.length))).toEqual(
      expect.arrayContaining(['workflows/cycle/index.ts', 'domain/scoring.ts', 'domain/calendar.ts']),
    );
  });

  it('imports only the Temporal workflow packages, never zod', () => {
    expect(packages.has('zod')).toBe(false);
    for (const p of packages) expect(p).toMatch(/^@temporalio\/(workflow|common)$/);
  });

  it('shares exactly the domain modules the workflows import, and those import no package', () => {
    const domain = [...modules]
      .filter((m) => m.startsWith(resolve(root, 'domain')))
      .map((m) => m.slice(root.length + 'domain/'.length, -'.ts'.length));
    expect(domain.sort()).toEqual([...SHARED_DOMAIN_MODULES].sort());
    // A package (the SDK above all) holds per-workflow state; a shared module must not load one.
    for (const name of SHARED_DOMAIN_MODULES) {
      expect(
        valueImports(resolve(root, 'domain', `${name}.ts`)).filter((spec) => !spec.startsWith('.')),
        name,
      ).toEqual([]);
    }
  });

  it('is built to load the shared modules once, before any workflow', async () => {
    const { code } = await bundleWorkflows();
    const preload = /exports\.preloadModules = function preloadModules\(\) \{([^}]*)\}/.exec(code)?.[1] ?? '';
    const required = [...preload.matchAll(/require__\(.*"\.\/domain\/([^"]+)\.ts"\)/g)].map((m) => m[1]);
    expect(required.sort()).toEqual([...SHARED_DOMAIN_MODULES].sort());
    const { code: unshared } = await bundleWorkflows({ preload: false });
    expect(/exports\.preloadModules = function preloadModules\(\) \{\s*\}/.test(unshared)).toBe(true);
  }, 60_000);
});
