import { readFileSync } from 'node:fs';
import path from 'node:path';
import { synthStack } from '../support/synth';
import { diffIds, templateIds, templatesOf } from './template-ids';

const root = path.join(__dirname, '..', '..');
const recommended = JSON.parse(readFileSync(require.resolve('aws-cdk-lib/recommended-feature-flags.json'), 'utf8')) as Record<string, unknown>;
const context = (JSON.parse(readFileSync(path.join(root, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context;
const flags = Object.fromEntries(Object.entries(context).filter(([k]) => k.startsWith('@aws-cdk')));

/** The recommended flags cdk.json leaves off, each with its reason in docs/operations.md. */
const LEFT_OFF = ['@aws-cdk/aws-iam:minimizePolicies', '@aws-cdk/aws-lambda:recognizeLayerVersion', '@aws-cdk/core:enableAdditionalMetadataCollection'];

/** Every resource whose definition differs between two synths, by template. */
const changedResources = (a: Record<string, unknown>, b: Record<string, unknown>): string[] =>
  Object.keys({ ...a, ...b }).flatMap((t) => {
    const ra = ((a[t] as { Resources?: Record<string, unknown> })?.Resources ?? {}) as Record<string, unknown>;
    const rb = ((b[t] as { Resources?: Record<string, unknown> })?.Resources ?? {}) as Record<string, unknown>;
    return Object.keys({ ...ra, ...rb }).filter((id) => JSON.stringify(ra[id]) !== JSON.stringify(rb[id]));
  });

describe("cdk.json's feature flags (those a new CDK app gets)", () => {
  it('holds every recommended flag at its recommended value but the ones left off, which docs/operations.md names', () => {
    // Act
    const missing = Object.keys(recommended).filter((k) => !(k in flags) && !LEFT_OFF.includes(k));
    const off = Object.entries(flags).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(recommended[k]));
    const docs = readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8');
    // Assess: a new aws-cdk-lib's new flag fails here until it is reviewed.
    expect(missing).toEqual([]);
    expect(off).toEqual([]);
    for (const flag of LEFT_OFF) {
      expect(flags[flag]).toBeUndefined();
      expect(docs).toContain(`\`${flag}\``);
    }
  });

  it.each([
    ['trigger rules', {}],
    ['EventBridge Scheduler', { 'karbor:scheduler': 'scheduler' }],
  ])('%s: replaces nothing on an existing stack; only the access-log bucket moves from an ACL to its bucket policy', (_mode, ctx) => {
    // Act
    const before = synthStack(ctx, {}, 'Karbor');
    const after = synthStack({ ...ctx, ...flags }, {}, 'Karbor');
    // Assess: no logical id gone, new or of another type (a replacement), and the changes are the ones reviewed.
    expect(diffIds(templateIds(before), templateIds(after))).toEqual([]);
    expect(changedResources(templatesOf(before), templatesOf(after)).sort()).toEqual(['AccessLogs8B620ECA', 'AccessLogsPolicyABDC4D2D']);
    const bucket = after.resources.AccessLogs8B620ECA.Properties;
    expect(bucket.AccessControl).toBeUndefined();
    expect(JSON.stringify(after.resources.AccessLogsPolicyABDC4D2D.Properties.PolicyDocument)).toContain('logging.s3.amazonaws.com');
  });
});
