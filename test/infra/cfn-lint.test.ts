import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeWithTool } from '../support/moto';
import { synthStack } from '../support/synth';

/**
 * cfn-lint over every synth mode's templates (the root and each nested
 * stack), synthesized without bundling; .ci/run lints the one bundled synth.
 * Errors fail; which warnings are ignored, and why, is in .cfnlintrc.
 */
const MODES: Record<string, Record<string, unknown>> = {
  default: {},
  rules: { 'karbor:scheduler': 'rules' },
  migrating: { 'karbor:scheduler': 'migrating' },
  keystone: { 'karbor:authMode': 'keystone', 'karbor:keystoneUrl': 'https://keystone.example.com:5000' },
  jwt: { 'karbor:authMode': 'jwt', 'karbor:jwtIssuer': 'https://login.example.com', 'karbor:jwtAudience': 'karbor' },
  // The bank with Object Lock rides along with a mode here rather than adding one: each mode is a full lint.
  noauth: { 'karbor:authMode': 'noauth', 'karbor:bankObjectLock': 'compliance', 'karbor:bankLockDays': 30 },
};

const ROOT = path.join(__dirname, '..', '..');

/** cfn-lint with the repository's .cfnlintrc over `files`: its exit status and report. */
const cfnLint = (files: string[]) => {
  const out = spawnSync('cfn-lint', ['--format', 'parseable', '--', ...files], { cwd: ROOT, encoding: 'utf8', timeout: 300000 });
  return { status: out.status, report: `${out.stdout}${out.stderr}`.trim() };
};

describeWithTool('cfn-lint', 'cfn-lint over every synth mode', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'karbor-cfn-lint-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports nothing for any mode', () => {
    const files: string[] = [];
    for (const [mode, context] of Object.entries(MODES)) {
      const { templates } = synthStack(context, {}, 'Lint');
      mkdirSync(path.join(dir, mode));
      for (const [stack, template] of templates) {
        const file = path.join(dir, mode, `${stack.node.path.replace(/\W/g, '_')}.json`);
        writeFileSync(file, JSON.stringify(template.toJSON()));
        files.push(file);
      }
    }
    expect(files.length).toBeGreaterThan(Object.keys(MODES).length);
    expect(cfnLint(files)).toEqual({ status: 0, report: '' });
  }, 420000);

  it('fails on a planted bad template, so the lint level can fail', () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        AWSTemplateFormatVersion: '2010-09-09',
        Resources: { Table: { Type: 'AWS::DynamoDB::Table', Properties: { BillingMode: 'NOT_A_MODE', KeySchema: [] } } },
      }),
    );
    const { status, report } = cfnLint([bad]);
    expect(status).not.toBe(0);
    expect(report).toMatch(/bad\.json:\d+:\d+:\d+:\d+:E\d+:/);
  });
});
