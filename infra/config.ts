import { type Destination, DestinationConfigError, parseDestinations } from '../shared/features/destinations/model';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { DEFAULT_FIRE_TRIGGER_CONCURRENCY, DEFAULT_PROJECT_TAG_KEY, projectTagKey } from '../shared/config';
import { LEGACY_PLAN_INDEXES } from '../shared/dynamo/table';

/** Deploy-time settings, read from CDK context (`cdk.json` or `-c key=value`). */
export interface KarborConfig {
  /** `karbor:deletionProtection` (default true): table deletion protection and RETAIN on the table and bank. */
  deletionProtection: boolean;
  /** `karbor:logRetentionDays` (default 30): retention of every function's log group (CDK's console deployment function too). */
  logRetention: RetentionDays;
  /**
   * `karbor:authMode` (default `cognito`): `cognito` makes a user pool and
   * puts API Gateway's JWT authorizer in front of the API; `jwt` does the same
   * for any OIDC issuer; `keystone` puts a Lambda authorizer that validates the
   * token with Keystone; `noauth` trusts `X-Auth-Token: <user>:<project>`,
   * only when asked for by name, and the synth says the API is open.
   */
  authMode: AuthMode;
  /** `karbor:keystoneUrl`: Keystone's base URL; required in keystone mode. */
  keystoneUrl?: string;
  /** `karbor:jwtIssuer`, `karbor:jwtAudience` (comma-separated): the OIDC issuer and accepted audiences; required in jwt mode. */
  jwtIssuer?: string;
  jwtAudience?: string[];
  /** `karbor:jwtProjectClaim` (default `project_id`), `karbor:jwtRolesClaim` (default `roles`): in jwt mode, the claims naming the project and the roles. */
  jwtProjectClaim: string;
  jwtRolesClaim: string;
  /** `karbor:authCacheSeconds` (default 300): how long the authorizer trusts a validated token (never past its expiry). */
  authCacheSeconds: number;
  /**
   * `karbor:scheduler` (default `scheduler`): EventBridge Scheduler schedules, EventBridge rules per trigger
   * (stacks deployed before the default changed), or `migrating`, the one deploy between the two that has both
   * (docs/operations.md "From rules to Scheduler").
   */
  scheduler: SchedulerMode;
  /** `karbor:alarmEmail` (comma-separated, default none): addresses subscribed to the alarm topic. */
  alarmEmails: string[];
  /** `karbor:throttleRate` (default 50 requests/s), `karbor:throttleBurst` (default 100): the API's default route throttling. */
  throttleRate: number;
  throttleBurst: number;
  /** `karbor:corsOrigins` (comma-separated, default none): browser origins allowed by CORS; none means no CORS at all. */
  corsOrigins: string[];
  /** `karbor:sourceMaps` (default false): `.map` files in every function's asset and `--enable-source-maps` at run time. */
  sourceMaps: boolean;
  /**
   * `karbor:traceAwsCalls` (default false): an X-Ray subsegment per AWS SDK
   * call, with the Powertools Tracer bundled into every function (about
   * 100 KB at init; docs/decisions.md §30). Without it X-Ray still records
   * each invocation and its init (Lambda's active tracing).
   */
  traceAwsCalls: boolean;
  /**
   * `karbor:projectTagKey` (default `karbor:project`): the tag whose value is
   * the project a resource belongs to; the functions' KARBOR_PROJECT_TAG_KEY
   * and the worker's IAM tag conditions.
   */
  projectTagKey: string;
  /**
   * `karbor:legacyPlanIndexes` (0 to 6, default 0): how many of the plan-only
   * indexes GSI5..GSI10 of the earlier table design to keep. A stack made
   * before plans had one index (docs/decisions.md §16) counts down from 6, one
   * deploy each, as CloudFormation deletes one index per update.
   */
  legacyPlanIndexes: number;
  /**
   * `karbor:workerConcurrency` (default none): reserved concurrency of the
   * protection worker, so a burst of jobs never throttles the other
   * functions, and the AWS APIs it calls see at most this many workers at
   * once (each bounds its own calls per service: KARBOR_PLUGIN_CONCURRENCY).
   * Only when asked for: Lambda refuses a reservation that leaves the account
   * fewer than 100 unreserved, so on a new account (a limit of 10) the deploy
   * would fail and roll back.
   */
  workerConcurrency?: number;
  /**
   * `karbor:fireTriggerConcurrency` (default 10, 2 to 1000): Scheduler mode's schedules send each firing to
   * a queue whose event source mapping runs at most this many fire-trigger invocations at once
   * (`ScalingConfig.MaximumConcurrency`), so a minute of many firings queues instead of taking the
   * account's concurrency from the API. Needs no reservation (docs/operations.md "What bounds a burst of jobs").
   */
  fireTriggerConcurrency: number;
  /**
   * `karbor:drillConcurrency` (default 5, 1 to 25): at most this many drills (`verify` scheduled
   * operations) run at once in the account and Region, set on fire-trigger as KARBOR_DRILL_CONCURRENCY
   * (docs/decisions.md §24): the rest of DynamoDB's 50 concurrent restores stays for real restores.
   */
  drillConcurrency: number;
  /**
   * `karbor:dailyReports` (default true): a schedule at 00:15 UTC makes each project's report of the
   * 24 hours before (docs/decisions.md §22); false leaves reports on demand only.
   */
  dailyReports: boolean;
  /**
   * `karbor:bankObjectLock` (default `none`): S3 Object Lock on the bank
   * bucket, `governance` or `compliance` for its default retention
   * (docs/operations.md, Checkpoint locks on AWS). Only on a new bucket:
   * S3 enables Object Lock at creation, and compliance cannot be undone.
   */
  bankObjectLock: 'none' | 'governance' | 'compliance';
  /**
   * `karbor:bankKey` (default `create`): how the bank bucket is encrypted.
   * `create`: a customer managed KMS key the stack makes (rotated yearly;
   * $1 a month plus requests, which the bucket key keeps few); an existing
   * key's ARN: that key (its key policy must let this account's IAM grant
   * it); `s3`: SSE-S3, S3's own keys (no KMS key, as before §27). docs/decisions.md §27.
   */
  bankKey: BankKey;
  /** `karbor:bankLockDays` (default 7): the default retention of every new bank object under `karbor:bankObjectLock`. */
  bankLockDays: number;
  /** `karbor:bankNoncurrentDays` (default 30): days a replaced or deleted bank version is kept before lifecycle expires it (a lock keeps it longer). */
  bankNoncurrentDays: number;
  /** `karbor:reportRetentionDays` (default 90): days a report's files stay in the bank before lifecycle expires them (docs/decisions.md §22). */
  reportRetentionDays: number;
  /**
   * `karbor:destinations` (default none): the checkpoint copy destinations, a
   * JSON object by name as KARBOR_DESTINATIONS takes it (docs/operations.md,
   * Copy destinations; docs/decisions.md §25).
   */
  destinations: Destination[];
}

/** `create`, `s3`, or a KMS key ARN (`arn:<partition>:kms:<region>:<account>:key/<id>`). */
export type BankKey = 'create' | 's3' | `arn:${string}`;

export const BANK_LOCK_MODES = ['none', 'governance', 'compliance'] as const;

export const AUTH_MODES = ['cognito', 'jwt', 'keystone', 'noauth'] as const;

export const SCHEDULER_MODES = ['scheduler', 'rules', 'migrating'] as const;
export type SchedulerMode = (typeof SCHEDULER_MODES)[number];
export type AuthMode = (typeof AUTH_MODES)[number];

export const DEFAULT_CONFIG: KarborConfig = {
  deletionProtection: true,
  logRetention: RetentionDays.ONE_MONTH,
  authMode: 'cognito',
  jwtProjectClaim: 'project_id',
  jwtRolesClaim: 'roles',
  authCacheSeconds: 300,
  scheduler: 'scheduler',
  fireTriggerConcurrency: DEFAULT_FIRE_TRIGGER_CONCURRENCY,
  drillConcurrency: 5,
  dailyReports: true,
  alarmEmails: [],
  throttleRate: 50,
  throttleBurst: 100,
  corsOrigins: [],
  sourceMaps: false,
  traceAwsCalls: false,
  projectTagKey: DEFAULT_PROJECT_TAG_KEY,
  legacyPlanIndexes: 0,
  bankObjectLock: 'none',
  bankKey: 'create',
  bankLockDays: 7,
  bankNoncurrentDays: 30,
  reportRetentionDays: 90,
  destinations: [],
};

/** `karbor:destinations`: a JSON object (cdk.json) or its text (`-c`), checked by the runtime's own parser. */
const destinations = (value: unknown): Destination[] => {
  if (value === undefined) return [];
  try {
    return parseDestinations(typeof value === 'string' ? value : JSON.stringify(value));
  } catch (error) {
    if (error instanceof DestinationConfigError) throw new Error(`context karbor:destinations: ${error.message}`);
    throw error;
  }
};

/** A key ARN, not an alias: IAM grants the use of a key on its key ARN only. */
const KMS_KEY_ARN = /^arn:aws[\w-]*:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/(mrk-)?[0-9a-f-]{32,36}$/;

const bankKey = (value: unknown): BankKey => {
  if (value === undefined) return DEFAULT_CONFIG.bankKey;
  if (value === 'create' || value === 's3') return value;
  if (typeof value === 'string' && KMS_KEY_ARN.test(value)) return value as BankKey;
  throw new Error(`context karbor:bankKey must be create, s3 or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>), got ${JSON.stringify(value)}`);
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

/** An OIDC issuer: API Gateway's JWT authorizer accepts only https. */
const jwtIssuer = (authMode: AuthMode, value: unknown): string | undefined => {
  if (authMode !== 'jwt') return undefined;
  if (typeof value === 'string' && /^https:\/\/[^\s/]+/.test(value)) return value;
  throw new Error(`context karbor:jwtIssuer must be the token issuer's https URL when karbor:authMode is jwt, got ${JSON.stringify(value)}`);
};

const jwtAudience = (authMode: AuthMode, value: unknown): string[] | undefined => {
  if (authMode !== 'jwt') return undefined;
  const audiences = items('karbor:jwtAudience', value, /^.+$/, 'audiences');
  if (audiences.length > 0) return audiences;
  throw new Error(`context karbor:jwtAudience must name one or more audiences when karbor:authMode is jwt, got ${JSON.stringify(value)}`);
};

/** A claim name: what API Gateway can pass on. */
const claimName = (key: string, value: unknown, fallback: string): string => {
  if (value === undefined) return fallback;
  if (typeof value === 'string' && /^[\w:.\-/]{1,128}$/.test(value)) return value;
  throw new Error(`context ${key} must be a claim name, got ${JSON.stringify(value)}`);
};

const count = (key: string, value: unknown, fallback: number, max: number, min = 1): number => {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max) return n;
  throw new Error(`context ${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
};

/** Unset stays unset (no default): a setting only made when asked for. */
const optionalCount = (key: string, value: unknown, max: number): number | undefined => (value === undefined ? undefined : count(key, value, 1, max));

/** A comma-separated string or a JSON array, each item checked. */
const items = (key: string, value: unknown, valid: RegExp, what: string): string[] => {
  if (value === undefined) return [];
  const list = (Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value]).map((v) => (typeof v === 'string' ? v.trim() : v));
  const good = list.filter((v) => v !== '');
  for (const v of good) if (typeof v !== 'string' || !valid.test(v)) throw new Error(`context ${key} must be ${what}, got ${JSON.stringify(value)}`);
  return good as string[];
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
  const authMode = oneOf('karbor:authMode', node.tryGetContext('karbor:authMode'), AUTH_MODES, DEFAULT_CONFIG.authMode);
  return {
    deletionProtection: bool('karbor:deletionProtection', node.tryGetContext('karbor:deletionProtection'), DEFAULT_CONFIG.deletionProtection),
    logRetention: retention('karbor:logRetentionDays', node.tryGetContext('karbor:logRetentionDays'), DEFAULT_CONFIG.logRetention),
    authMode,
    keystoneUrl: keystoneUrl(authMode, node.tryGetContext('karbor:keystoneUrl')),
    jwtIssuer: jwtIssuer(authMode, node.tryGetContext('karbor:jwtIssuer')),
    jwtAudience: jwtAudience(authMode, node.tryGetContext('karbor:jwtAudience')),
    jwtProjectClaim: claimName('karbor:jwtProjectClaim', node.tryGetContext('karbor:jwtProjectClaim'), DEFAULT_CONFIG.jwtProjectClaim),
    jwtRolesClaim: claimName('karbor:jwtRolesClaim', node.tryGetContext('karbor:jwtRolesClaim'), DEFAULT_CONFIG.jwtRolesClaim),
    authCacheSeconds: seconds('karbor:authCacheSeconds', node.tryGetContext('karbor:authCacheSeconds'), DEFAULT_CONFIG.authCacheSeconds),
    scheduler: oneOf('karbor:scheduler', node.tryGetContext('karbor:scheduler'), SCHEDULER_MODES, DEFAULT_CONFIG.scheduler),
    alarmEmails: items('karbor:alarmEmail', node.tryGetContext('karbor:alarmEmail'), /^[^\s@,]+@[^\s@,]+\.[^\s@,]+$/, 'e-mail addresses'),
    // API Gateway's account quota is 10,000 requests/s and a burst of 5,000.
    throttleRate: count('karbor:throttleRate', node.tryGetContext('karbor:throttleRate'), DEFAULT_CONFIG.throttleRate, 10000),
    throttleBurst: count('karbor:throttleBurst', node.tryGetContext('karbor:throttleBurst'), DEFAULT_CONFIG.throttleBurst, 5000),
    corsOrigins: items(
      'karbor:corsOrigins',
      node.tryGetContext('karbor:corsOrigins'),
      /^(https?:\/\/[^\s/,*]+|\*)$/,
      'origins like https://console.example.com',
    ),
    sourceMaps: bool('karbor:sourceMaps', node.tryGetContext('karbor:sourceMaps'), DEFAULT_CONFIG.sourceMaps),
    traceAwsCalls: bool('karbor:traceAwsCalls', node.tryGetContext('karbor:traceAwsCalls'), DEFAULT_CONFIG.traceAwsCalls),
    projectTagKey: tagKey(node.tryGetContext('karbor:projectTagKey')),
    legacyPlanIndexes: count(
      'karbor:legacyPlanIndexes',
      node.tryGetContext('karbor:legacyPlanIndexes'),
      DEFAULT_CONFIG.legacyPlanIndexes,
      LEGACY_PLAN_INDEXES.length,
      0,
    ),
    // SQS event source mappings take a MaximumConcurrency from 2 to 1000.
    fireTriggerConcurrency: count(
      'karbor:fireTriggerConcurrency',
      node.tryGetContext('karbor:fireTriggerConcurrency'),
      DEFAULT_CONFIG.fireTriggerConcurrency,
      1000,
      2,
    ),
    drillConcurrency: count('karbor:drillConcurrency', node.tryGetContext('karbor:drillConcurrency'), DEFAULT_CONFIG.drillConcurrency, 25, 1),
    dailyReports: bool('karbor:dailyReports', node.tryGetContext('karbor:dailyReports'), DEFAULT_CONFIG.dailyReports),
    workerConcurrency: optionalCount('karbor:workerConcurrency', node.tryGetContext('karbor:workerConcurrency'), 1000),
    bankObjectLock: oneOf('karbor:bankObjectLock', node.tryGetContext('karbor:bankObjectLock'), BANK_LOCK_MODES, DEFAULT_CONFIG.bankObjectLock),
    bankKey: bankKey(node.tryGetContext('karbor:bankKey')),
    // S3 takes a default retention of up to 100 years (36500 days).
    bankLockDays: count('karbor:bankLockDays', node.tryGetContext('karbor:bankLockDays'), DEFAULT_CONFIG.bankLockDays, 36500),
    bankNoncurrentDays: count('karbor:bankNoncurrentDays', node.tryGetContext('karbor:bankNoncurrentDays'), DEFAULT_CONFIG.bankNoncurrentDays, 36500),
    reportRetentionDays: count('karbor:reportRetentionDays', node.tryGetContext('karbor:reportRetentionDays'), DEFAULT_CONFIG.reportRetentionDays, 36500),
    destinations: destinations(node.tryGetContext('karbor:destinations')),
  };
};
