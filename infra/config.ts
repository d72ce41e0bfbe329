import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';

/** Deploy-time settings, read from CDK context (`cdk.json` or `-c key=value`). */
export interface KarborConfig {
  /** `karbor:deletionProtection` (default true): table deletion protection and RETAIN on the table and bank. */
  deletionProtection: boolean;
  /** `karbor:logRetentionDays` (default 30): retention of every function's log group. */
  logRetention: RetentionDays;
  /**
   * `karbor:authMode` (default `noauth`): `noauth` trusts `X-Auth-Token: <user>:<project>`
   * and is for development accounts only; `authorizer` reads an API Gateway
   * Lambda authorizer's context (attach the authorizer before using it).
   */
  authMode: 'noauth' | 'authorizer';
  /** `karbor:scheduler` (default `rules`): EventBridge rules per trigger, or EventBridge Scheduler schedules. */
  scheduler: 'rules' | 'scheduler';
}

export const DEFAULT_CONFIG: KarborConfig = {
  deletionProtection: true,
  logRetention: RetentionDays.ONE_MONTH,
  authMode: 'noauth',
  scheduler: 'rules',
};

const RETENTION_VALUES = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number' && v !== RetentionDays.INFINITE),
);

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
  throw new Error(`context ${key} must be a CloudWatch Logs retention in days (${[...RETENTION_VALUES].sort((a, b) => a - b).join(', ')}), got ${JSON.stringify(value)}`);
};

/** Reads and checks the `karbor:*` context values; a bad value fails synth with a message naming it. */
export const configFromContext = (node: Node): KarborConfig => ({
  deletionProtection: bool('karbor:deletionProtection', node.tryGetContext('karbor:deletionProtection'), DEFAULT_CONFIG.deletionProtection),
  logRetention: retention('karbor:logRetentionDays', node.tryGetContext('karbor:logRetentionDays'), DEFAULT_CONFIG.logRetention),
  authMode: oneOf('karbor:authMode', node.tryGetContext('karbor:authMode'), ['noauth', 'authorizer'] as const, DEFAULT_CONFIG.authMode),
  scheduler: oneOf('karbor:scheduler', node.tryGetContext('karbor:scheduler'), ['rules', 'scheduler'] as const, DEFAULT_CONFIG.scheduler),
});
