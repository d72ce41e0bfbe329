import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Settings are built once per runtime and handed in (shared/runtime-host.ts):
 * no code outside the tests assigns the process environment, but for the
 * library knobs set once as the process starts, listed here with their reason.
 */
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const LIBRARY_KNOBS: Record<string, string> = {
  // The AWS SDK's notice about the Node version is noise for the local runtime (the lock file pins the SDK).
  'infra/local/build.js': 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
  // Powertools' Logger names the service from the environment, once, as the process starts.
  'infra/local/main.ts': 'POWERTOOLS_SERVICE_NAME',
  'scripts/demo-table.js': 'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
};
/** `process.env.X =`, `??=`, `||=`, `delete process.env.X`, `Object.assign(process.env, ...)`, `process.env[k] =`. */
const ENV_WRITE = /process\.env(?:\.(\w+)|\[[^\]]+\])\s*(?:\?\?|\|\|)?=(?!=)|delete\s+process\.env|Object\.assign\(\s*process\.env/g;

const sources = (dir: string): string[] =>
  readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|js)$/.test(f))
    .map((f) => path.join(dir, f));

const writes = (file: string): string[] => [...readFileSync(path.join(ROOT, file), 'utf8').matchAll(ENV_WRITE)].map((m) => m[1] ?? m[0]);

describe('no process.env writes', () => {
  const files = ['shared', 'functions', 'infra', 'bench', 'scripts'].flatMap(sources);

  it('finds the files it checks, and the pattern finds a planted write', () => {
    expect(files.length).toBeGreaterThan(150);
    expect(
      ['process.env.TABLE_NAME = t;', 'process.env.X ??= "1"', 'delete process.env.Y', 'Object.assign(process.env, {})'].map(
        (l) => [...l.matchAll(ENV_WRITE)].length,
      ),
    ).toEqual([1, 1, 1, 1]);
    expect([...'if (process.env.X === "1")'.matchAll(ENV_WRITE)]).toEqual([]);
  });

  it.each(['shared', 'functions', 'infra', 'bench', 'scripts'])('nothing under %s/ writes process.env but a listed library knob', (dir) => {
    const found = files
      .filter((f) => f.startsWith(`${dir}/`))
      .flatMap((f) => writes(f).map((w) => `${f}: ${w}`))
      .filter((w) => {
        const [file, name] = w.split(': ');
        return LIBRARY_KNOBS[file] !== name;
      });
    expect(found).toEqual([]);
  });
});
