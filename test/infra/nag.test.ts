import { rmSync } from 'node:fs';
import { KarborNagChecks } from '../../infra/nag';
import { consoleBuild, synthStack } from '../support/synth';

/**
 * cdk-nag's AwsSolutions and Serverless packs find nothing unacknowledged in
 * any configuration: four synths cover every auth mode and both trigger
 * back ends (the default one with the console). Acknowledgements live in
 * infra/nag.ts, each with its reason.
 */
describe('cdk-nag (infra/nag.ts)', () => {
  let dist: string;
  beforeAll(() => {
    dist = consoleBuild();
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  const modes: [string, Record<string, unknown>, boolean][] = [
    ['cognito (default), EventBridge Scheduler, console', {}, true],
    [
      'jwt, migrating from rules to Scheduler',
      { 'karbor:authMode': 'jwt', 'karbor:jwtIssuer': 'https://login.example.com', 'karbor:jwtAudience': 'karbor', 'karbor:scheduler': 'migrating' },
      false,
    ],
    [
      'keystone, trigger rules',
      { 'karbor:authMode': 'keystone', 'karbor:keystoneUrl': 'https://keystone.example.com:5000', 'karbor:scheduler': 'rules' },
      false,
    ],
    [
      'noauth, EventBridge Scheduler, no deletion protection',
      { 'karbor:authMode': 'noauth', 'karbor:scheduler': 'scheduler', 'karbor:deletionProtection': 'false' },
      false,
    ],
  ];

  it.each(modes)('finds nothing unacknowledged: %s', (_name, context, withConsole) => {
    // Prepare
    const { stack } = synthStack(context, withConsole ? { consoleDir: dist } : {});
    // Act
    const report = new KarborNagChecks().validateScope(stack);
    // Assess: printed in full when it fails
    const findings = report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`));
    expect(findings).toEqual([]);
  });
});
