import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { routes } from '../../shared/http/routes';
import { workers } from '../../shared/workers';

const root = path.resolve(__dirname, '..', '..');

describe('infra/app.js (the cdk.json app)', () => {
  let outdir: string;
  beforeEach(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'karbor-cdk-'));
  });
  afterEach(() => {
    fs.rmSync(outdir, { recursive: true, force: true });
  });

  it('bundles the app, builds the console and synthesizes KarborStack with no AWS environment', () => {
    // Prepare: what the cdk CLI hands the app, minus bundling (one real synth runs in CI).
    const env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      CDK_OUTDIR: outdir,
      CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [] }),
    };

    // Act
    execFileSync(process.execPath, [path.join(root, 'infra', 'app.js')], { cwd: root, env, stdio: 'pipe' });
    // The routes are in nested stacks, each in its own template file.
    const templates = fs
      .readdirSync(outdir)
      .filter((f) => f.startsWith('KarborStack') && f.endsWith('.template.json'))
      .map((f) => JSON.parse(fs.readFileSync(path.join(outdir, f), 'utf8')));
    const manifest = JSON.parse(fs.readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));

    // Assess
    const functions = templates
      .flatMap((t) => Object.values(t.Resources as Record<string, { Type: string }>))
      .filter((r) => r.Type === 'AWS::Lambda::Function');
    // One per route, the fallback, one per worker, the trigger rules' clean-up on stack delete,
    // the durable worker's heartbeat, and the console deployment's handler (the app builds the console first).
    expect(functions).toHaveLength(routes.length + 1 + workers.length + 3);
    expect(templates.some((t) => t.Outputs?.ConsoleUrl !== undefined)).toBe(true);
    expect(manifest.artifacts.KarborStack.environment).toBe('aws://unknown-account/unknown-region');
  });
});
