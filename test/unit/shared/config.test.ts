import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as config from '../../../shared/config';

describe('config', () => {
  it('takes the documented defaults when nothing is set, and blank counts as unset', () => {
    // Prepare
    const env = { KARBOR_QUOTA_PLANS: '  ' };
    // Assess
    expect(config.tableName(env)).toBe('karbor');
    expect(config.authMode(env)).toBe('noauth');
    expect(config.jobDeadlineSeconds(env)).toBe(21600);
    expect(config.quotaPlans(env)).toBe(50);
    expect(config.discovery(env)).toEqual(['ec2', 'dynamodb']);
    expect(config.projectTagKey(env)).toBe('karbor:project');
    expect(config.tenantScoping(env)).toBe('tags');
    expect(config.port(env)).toBe(8799);
    expect(config.dynamoLocalPort(env)).toBeUndefined();
    expect(config.bankObjectLock(env)).toBe(false);
  });

  it('reads typed values', () => {
    // Prepare
    const env = {
      KARBOR_JOB_DEADLINE_SECONDS: '60',
      KARBOR_DISCOVERY: 'dynamodb',
      KARBOR_IN_MEMORY: '1',
      KARBOR_PUBLIC_URL: 'https://api.example.com/',
      KARBOR_BANK_OBJECT_LOCK: '1',
    };
    // Assess
    expect(config.jobDeadlineSeconds(env)).toBe(60);
    expect(config.discovery(env)).toEqual(['dynamodb']);
    expect(config.inMemory(env)).toBe(true);
    expect(config.publicUrl(env)).toBe('https://api.example.com');
    expect(config.bankObjectLock(env)).toBe(true);
  });

  it("points EC2 clients at an emulator by the SDK's variables, the EC2 one first, in AWS_REGION; on AWS at nothing", () => {
    const emulator = { AWS_ENDPOINT_URL: 'http://127.0.0.1:4566', AWS_REGION: 'eu-west-1' };
    expect(config.ec2ClientConfig({})).toEqual({});
    expect(config.ec2ClientConfig(emulator)).toEqual({ endpoint: 'http://127.0.0.1:4566', region: 'eu-west-1' });
    expect(config.ec2ClientConfig({ ...emulator, AWS_ENDPOINT_URL_EC2: 'http://127.0.0.1:5000' })).toEqual({
      endpoint: 'http://127.0.0.1:5000',
      region: 'eu-west-1',
    });
    expect(() => config.ec2Endpoint({ AWS_ENDPOINT_URL_EC2: 'localhost:5000' })).toThrow('AWS_ENDPOINT_URL_EC2');
  });

  it.each([
    ['KARBOR_JOB_DEADLINE_SECONDS', 'abc'],
    ['KARBOR_JOB_DEADLINE_SECONDS', '1e3'],
    ['KARBOR_AUTH_MODE', 'keystone'],
    ['KARBOR_SCHEDULER', 'cron'],
    ['KARBOR_DISCOVERY', 'ec2,s3'],
    ['KARBOR_PROJECT_TAG_KEY', 'aws:project'],
    ['KARBOR_PROJECT_TAG_KEY', 'tenant*'],
    ['KARBOR_TENANT_SCOPING', 'off'],
    ['KARBOR_QUOTA_PLANS', '-2'],
    ['KARBOR_AUTH_CACHE_SECONDS', '3601'],
    ['PORT', '70000'],
    ['KARBOR_IN_MEMORY', 'yes'],
    ['KARBOR_BANK_OBJECT_LOCK', 'true'],
    ['DYNAMODB_ENDPOINT', 'localhost:8000'],
  ])('refuses %s=%s at start-up, naming the variable', (name, value) => {
    // Act / Assess
    expect(() => config.checkConfig({ [name]: value })).toThrow(config.ConfigError);
    expect(() => config.checkConfig({ [name]: value })).toThrow(new RegExp(`^${name} must be`));
  });

  it('reads the environment when asked, so a value set after loading applies', () => {
    // Prepare
    const env: Record<string, string | undefined> = {};
    const before = config.tableName(env);
    // Act
    env.TABLE_NAME = 'later';
    // Assess
    expect([before, config.tableName(env)]).toEqual(['karbor', 'later']);
  });

  it('documents every variable it reads in the settings table of docs/operations.md', () => {
    // Prepare
    const root = path.resolve(__dirname, '..', '..', '..');
    const source = readFileSync(path.join(root, 'shared', 'config.ts'), 'utf8');
    const guide = readFileSync(path.join(root, 'docs', 'operations.md'), 'utf8');
    const names = [...new Set([...source.matchAll(/\(env, '([A-Z0-9_]+)'/g)].map((m) => m[1]))];
    // Assess
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !guide.includes(`| \`${n}\` |`))).toEqual([]);
  });

  it('reads a variable for every name of SETTING_NAMES, and none without one', () => {
    // Prepare: the list the stack writes from and the names config reads must be the same set.
    const source = readFileSync(path.resolve(__dirname, '..', '..', '..', 'shared', 'config.ts'), 'utf8');
    const read = new Set([...source.matchAll(/\(env, '([A-Z0-9_]+)'/g)].map((m) => m[1]));
    // Assess
    expect([...read].sort()).toEqual([...config.SETTING_NAMES].sort());
  });
});
