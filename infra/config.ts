import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { DEFAULT_PROJECT_TAG_KEY, projectTagKey } from '../shared/config';

/** Deploy-time settings, read from CDK context (`cdk.json` or `-c key=value`). */
export interface KarborConfig {
  /** `karbor:deletionProtection` (default true): table deletion protection and RETAIN on the table and bank. */
  deletionProtection: boolean;
  /** `karbor:logRetentionDays` (default 30): retention of every function's log group. */
  logRetention: RetentionDays;
  /**
   * `karbor:authMode` (default `noauth`): `noauth` trusts `X-Auth-Token: <user>:<project>`
   * and is for development accounts only; `keystone` puts a Lambda authorizer
   * in front of the API that validates the token with Keystone.
   */
  authMode: 'noauth' | 'keystone';
  /** `karbor:keystoneUrl`: Keystone's base URL; required in keystone mode. */
  keystoneUrl?: string;
  /** `karbor:authCacheSeconds` (default 300): how long the authorizer trusts a validated token (never past its expiry). */
  authCacheSeconds: number;
  /** `karbor:scheduler` (default `rules`): EventBridge rules per trigger, or EventBridge Scheduler schedules. */
  scheduler: 'rules' | 'scheduler';
  /**
   * `karbor:projectTagKey` (default `karbor:project`): the tag whose value is
   * the project a resource belongs to; the functions' KARBOR_PROJECT_TAG_KEY
   * and the worker's IAM tag conditions.
   */
  projectTagKey: string;
}

export const DEFAULT_CONFIG: KarborConfig = {
  deletionProtection: true,
  logRetention: RetentionDays.ONE_MONTH,
  authMode: 'noauth',
  authCacheSeconds: 300,
  scheduler: 'rules',
  projectTagKey: DEFAULT_PROJECT_TAG_KEY,
};

const RETENTION_VALUES = new Set<number>(Object.values(RetentionDays).filter((v): v is number => typeof v === 'number' && v !== RetentionDays.INFINITE));

// `-c key=value` gives strings; cdk.json gives JSON values: accept both.
const bool = (key: string, value: unknown, fallback: boolean): boolean => {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new Error(`context ${key} must be true or false, got ${JSON.stringify(value)}`);
};

const oneOf = <T extends string>(key: string, value: unknown, allowed: readonly T[], fallback: T): T => {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`context ${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
};

const retention = (key: string, value: unknown, fallback: RetentionDays): RetentionDays => {
  if (value === undefined) return fallback;
  const days = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof days === 'number' && RETENTION_VALUES.has(days)) return days as RetentionDays;
  throw new Error(
    `context ${key} must be a CloudWatch Logs retention in days (${[...RETENTION_VALUES].sort((a, b) => a - b).join(', ')}), got ${JSON.stringify(value)}`,
  );
};

const seconds = (key: string, value: unknown, fallback: number): number => {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 3600) return n;
  throw new Error(`context ${key} must be a whole number of seconds from 0 to 3600, got ${JSON.stringify(value)}`);
};

/** Keystone's URL: http(s) only, so a typo fails synth rather than every request. */
const keystoneUrl = (authMode: KarborConfig['authMode'], value: unknown): string | undefined => {
  if (authMode !== 'keystone') return undefined;
  if (typeof value === 'string' && /^https?:\/\/[^\s/]+/.test(value)) return value;
  throw new Error(`context karbor:keystoneUrl must be Keystone's http(s) URL when karbor:authMode is keystone, got ${JSON.stringify(value)}`);
};

/** The same rule as the functions' KARBOR_PROJECT_TAG_KEY (shared/config.ts), so synth fails on a key they would refuse. */
const tagKey = (value: unknown): string => {
  if (value === undefined) return DEFAULT_CONFIG.projectTagKey;
  try {
    if (typeof value !== 'string') throw new Error('not a string');
    return projectTagKey({ KARBOR_PROJECT_TAG_KEY: value });
  } catch {
    throw new Error(`context karbor:projectTagKey must be an AWS tag key not starting with aws:, got ${JSON.stringify(value)}`);
  }
};

/** Reads and checks the `karbor:*` context values; a bad value fails synth with a message naming it. */
export const configFromContext = (node: Node): KarborConfig => {
  const authMode = oneOf('karbor:authMode', node.tryGetContext('karbor:authMode'), ['noauth', 'keystone'] as const, DEFAULT_CONFIG.authMode);
  return {
    deletionProtection: bool('karbor:deletionProtection', node.tryGetContext('karbor:deletionProtection'), DEFAULT_CONFIG.deletionProtection),
    logRetention: retention('karbor:logRetentionDays', node.tryGetContext('karbor:logRetentionDays'), DEFAULT_CONFIG.logRetention),
    authMode,
    keystoneUrl: keystoneUrl(authMode, node.tryGetContext('karbor:keystoneUrl')),
    authCacheSeconds: seconds('karbor:authCacheSeconds', node.tryGetContext('karbor:authCacheSeconds'), DEFAULT_CONFIG.authCacheSeconds),
    scheduler: oneOf('karbor:scheduler', node.tryGetContext('karbor:scheduler'), ['rules', 'scheduler'] as const, DEFAULT_CONFIG.scheduler),
    projectTagKey: tagKey(node.tryGetContext('karbor:projectTagKey')),
  };
};
