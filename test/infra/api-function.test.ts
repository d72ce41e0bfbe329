import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { ApiFunction } from '../../infra/constructs/api-function';
import { findRepoRoot } from '../../infra/repo-root';

// The one test that runs the real bundler of the stack (the others synth without bundling, test/support/synth.ts).
describe('ApiFunction bundling', () => {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'karbor-api-function-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('gives each handler module its own ESM asset, with the lazily imported EC2 client in a chunk of its own', () => {
    // Prepare: two functions of different modules in one stack, bundled for real.
    const app = new App({ outdir });
    const stack = new Stack(app, 'Bundled');
    const make = (id: string, module: string) =>
      new ApiFunction(stack, id, { repoRoot: findRepoRoot(), module, timeout: 10, logRetention: RetentionDays.ONE_DAY });
    const versions = make('Versions', 'functions/versions/list');
    const discovery = make('Discovery', 'functions/protectables/list-instances');

    // Act
    const assembly = app.synth();

    // Assert: distinct assets (CDK's asset cache does not see the module unless told), each with index.mjs for handler index.handler.
    const template = Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties: { Handler: string; Code: { S3Key: string } } }>;
    const fns = [versions, discovery].map((fn) => template[stack.getLogicalId(fn.node.defaultChild as never)].Properties);
    expect(fns.map((f) => f.Handler)).toEqual(['index.handler', 'index.handler']);
    expect(fns[0].Code.S3Key).not.toBe(fns[1].Code.S3Key);
    const assetDir = (key: string) => path.join(assembly.directory, `asset.${key.replace(/\.zip$/, '')}`);
    for (const f of fns) expect(existsSync(path.join(assetDir(f.Code.S3Key), 'index.mjs'))).toBe(true);
    // Discovery imports the EC2 client with import(): it is a chunk of the asset, not part of index.mjs.
    const discoveryDir = assetDir(fns[1].Code.S3Key);
    const withEc2 = readdirSync(path.join(discoveryDir, 'chunks')).filter((c) =>
      readFileSync(path.join(discoveryDir, 'chunks', c), 'utf8').includes('DescribeInstancesCommand'),
    );
    expect(withEc2.length).toBeGreaterThan(0);
    expect(readFileSync(path.join(discoveryDir, 'index.mjs'), 'utf8')).not.toContain('DescribeInstancesCommand');
  });
});
