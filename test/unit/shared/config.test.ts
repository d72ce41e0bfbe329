import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkConfig, ConfigError, readConfig } from '../../../shared/config';

describe('config', () => {
  it('takes the documented defaults when nothing is set, and blank counts as unset', () => {
    // Act
    const cfg = readConfig({ KARBOR_QUOTA_PLANS: '  ' });
    // Assess
    expect(cfg.tableName).toBe('karbor');
    expect(cfg.authMode).toBe('noauth');
    expect(cfg.jobDeadlineSeconds).toBe(21600);
    expect(cfg.quotaPlans).toBe(50);
    expect(cfg.discovery).toEqual(['ec2', 'dynamodb']);
    expect(cfg.port).toBe(8799);
    expect(cfg.dynamoLocalPort).toBeUndefined();
  });

  it('reads typed values', () => {
    // Act
    const cfg = readConfig({ KARBOR_JOB_DEADLINE_SECONDS: '60', KARBOR_DISCOVERY: 'dynamodb', KARBOR_IN_MEMORY: '1', KARBOR_PUBLIC_URL: 'https://api.example.com/' });
    // Assess
    expect(cfg.jobDeadlineSeconds).toBe(60);
    expect(cfg.discovery).toEqual(['dynamodb']);
    expect(cfg.inMemory).toBe(true);
    expect(cfg.publicUrl).toBe('https://api.example.com');
  });

  it.each([
    ['KARBOR_JOB_DEADLINE_SECONDS', 'abc'],
    ['KARBOR_JOB_DEADLINE_SECONDS', '1e3'],
    ['KARBOR_AUTH_MODE', 'keystone'],
    ['KARBOR_SCHEDULER', 'cron'],
    ['KARBOR_DISCOVERY', 'ec2,s3'],
    ['KARBOR_QUOTA_PLANS', '-2'],
    ['KARBOR_AUTH_CACHE_SECONDS', '3601'],
    ['PORT', '70000'],
    ['KARBOR_IN_MEMORY', 'yes'],
    ['DYNAMODB_ENDPOINT', 'localhost:8000'],
  ])('refuses %s=%s at start-up, naming the variable', (name, value) => {
    // Act / Assess
    expect(() => checkConfig(readConfig({ [name]: value }))).toThrow(ConfigError);
    expect(() => checkConfig(readConfig({ [name]: value }))).toThrow(new RegExp(`^${name} must be`));
  });

  it('reads the environment when asked, so a value set after loading applies', () => {
    // Prepare
    const env: Record<string, string | undefined> = {};
    const cfg = readConfig(env);
    // Act
    env.TABLE_NAME = 'later';
    // Assess
    expect(cfg.tableName).toBe('later');
  });

  it('documents every variable it reads in the README', () => {
    // Prepare
    const root = path.resolve(__dirname, '..', '..', '..');
    const source = readFileSync(path.join(root, 'shared', 'config.ts'), 'utf8');
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const names = [...new Set([...source.matchAll(/\(env, '([A-Z_]+)'/g)].map((m) => m[1]))];
    // Assess
    expect(names.length).toBeGreaterThan(30);
    expect(names.filter((n) => !readme.includes(`| \`${n}\` |`))).toEqual([]);
  });
});
