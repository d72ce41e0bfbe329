import { rmSync } from 'node:fs';
import { consoleBuild, type Resource, synthStack } from '../support/synth';

/** Every function's log group, by function logical id: the group's retention, or why there is none. */
const retentionByFunction = (templates: Iterable<{ toJSON(): Record<string, unknown> }>): Record<string, unknown> => {
  const found: Record<string, unknown> = {};
  for (const t of templates) {
    const resources = t.toJSON().Resources as Record<string, Resource>;
    for (const [id, r] of Object.entries(resources)) {
      if (r.Type !== 'AWS::Lambda::Function') continue;
      const ref = r.Properties.LoggingConfig?.LogGroup?.Ref as string | undefined;
      const group = ref === undefined ? undefined : resources[ref];
      found[id] = group?.Type === 'AWS::Logs::LogGroup' ? (group.Properties.RetentionInDays ?? 'no RetentionInDays') : 'no log group of its own';
    }
  }
  return found;
};

describe('log retention', () => {
  let dist: string;
  beforeAll(() => {
    // A stand-in console build: its BucketDeployment brings a function of CDK's.
    dist = consoleBuild();
  });
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  // The console (CDK's deployment function), rules mode (the clean-up custom resource), keystone mode (the authorizer), scheduler mode.
  const modes: [string, Record<string, unknown>, boolean][] = [
    ['cognito, rules, console', {}, true],
    ['keystone', { 'karbor:authMode': 'keystone', 'karbor:keystoneUrl': 'https://keystone.example.com:5000' }, false],
    [
      'jwt, scheduler',
      { 'karbor:authMode': 'jwt', 'karbor:jwtIssuer': 'https://login.example.com', 'karbor:jwtAudience': 'karbor', 'karbor:scheduler': 'scheduler' },
      false,
    ],
  ];

  it.each(modes)('gives every function of the template (CDK-made ones too) a log group with the context retention: %s', (name, context, withConsole) => {
    // Act
    const s = synthStack({ ...context, 'karbor:logRetentionDays': '7' }, withConsole ? { consoleDir: dist } : {}, `Retention${name.replace(/\W/g, '')}`);
    // Assess
    const found = retentionByFunction(s.templates.values());
    expect(Object.keys(found).length).toBeGreaterThan(10);
    expect(Object.entries(found).filter(([, days]) => days !== 7)).toEqual([]);
    // No LogRetention custom resource (another function), and no group kept forever.
    const all = Object.values(s.resources);
    expect(all.filter((r) => r.Type === 'Custom::LogRetention')).toEqual([]);
    expect(all.filter((r) => r.Type === 'AWS::Logs::LogGroup' && r.Properties.RetentionInDays === undefined)).toEqual([]);
    if (withConsole) expect(all.some((r) => r.Type === 'Custom::CDKBucketDeployment')).toBe(true);
  });
});
