/**
 * Every setting of the functions and the local runtime, and the only reader of
 * `process.env` under shared/ and functions/. Each setting is typed, defaulted
 * and validated here, once; a bad value throws a `ConfigError` naming the
 * variable. Deployed functions get their values from the stack (infra/),
 * `npm start` from the user's environment and the local runtime.
 *
 * Each setting is its own function, read when called, not copied at load:
 * the local runtime sets some (TABLE_NAME, DYNAMODB_ENDPOINT, ...) after the
 * handler modules are loaded, and a bundle keeps only the settings its
 * function reads. Each function's composition (features/<feature>/deps.ts)
 * reads its settings when the function starts, and `npm start` runs
 * `checkConfig()`, so a bad value stops them at start-up rather than on the
 * first request that needs it. Tests pass their own environment.
 */

export type Env = Record<string, string | undefined>;

/** The table's name when TABLE_NAME is unset (the local runtime and tests). */
export const DEFAULT_TABLE_NAME = 'karbor';

/** A setting whose value is unusable; the message names the variable. */
export class ConfigError extends Error {
  constructor(variable: string, expected: string, raw: string) {
    super(`${variable} must be ${expected}, got ${JSON.stringify(raw)}`);
    this.name = 'ConfigError';
  }
}

/** An unset or blank variable takes the default. */
const raw = (env: Env, name: string): string | undefined => {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
};

const text = (env: Env, name: string, fallback: string): string => raw(env, name) ?? fallback;

const optionalText = (env: Env, name: string): string | undefined => raw(env, name);

const integer = (env: Env, name: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(name, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`, value);
  }
  return n;
};

const oneOf = <T extends string>(env: Env, name: string, options: readonly T[], fallback: T): T => {
  const value = raw(env, name) ?? fallback;
  if (!(options as readonly string[]).includes(value)) throw new ConfigError(name, `one of ${options.join(', ')}`, value);
  return value as T;
};

/** `1` turns a switch on; unset (or `0`) leaves it off. */
const flag = (env: Env, name: string): boolean => oneOf(env, name, ['0', '1'], '0') === '1';

const url = (env: Env, name: string): string | undefined => {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  if (!/^https?:\/\/[^\s/]+/.test(value)) throw new ConfigError(name, 'an http(s) URL', value);
  return value;
};

const list = <T extends string>(env: Env, name: string, options: readonly T[], fallback: readonly T[]): T[] => {
  const value = raw(env, name);
  if (value === undefined) return [...fallback];
  const items = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = items.filter((i) => !(options as readonly string[]).includes(i));
  if (unknown.length > 0) throw new ConfigError(name, `a comma-separated list of ${options.join(', ')}`, value);
  return items as T[];
};

// Storage
/** The single table; the stack sets it. */
export const tableName = (env: Env = process.env) => text(env, 'TABLE_NAME', DEFAULT_TABLE_NAME);
/** DynamoDB Local's URL (the local runtime and tests set it); unset on AWS. */
export const dynamoEndpoint = (env: Env = process.env) => url(env, 'DYNAMODB_ENDPOINT');
/** Region for the local endpoint (AWS's own variable; Lambda sets it). */
export const awsRegion = (env: Env = process.env) => text(env, 'AWS_REGION', 'us-east-1');
/** `1`: record consumed capacity per route (the benchmark). */
export const dynamoMeter = (env: Env = process.env) => flag(env, 'KARBOR_DYNAMO_METER');
/** Set by Lambda: the app's own metrics (EMF) are written only there. */
export const lambdaFunctionName = (env: Env = process.env) => optionalText(env, 'AWS_LAMBDA_FUNCTION_NAME');

// API
/** `noauth` (Karbor's devstack convention), `authorizer` (the Keystone authorizer's verdict) or `jwt` (API Gateway's JWT authorizer's claims). */
export const authMode = (env: Env = process.env) => oneOf(env, 'KARBOR_AUTH_MODE', ['noauth', 'authorizer', 'jwt'] as const, 'noauth');
/** In `jwt` mode: the claim naming the caller's project (Cognito: its custom attribute). */
export const jwtProjectClaim = (env: Env = process.env) => text(env, 'KARBOR_JWT_PROJECT_CLAIM', 'custom:project_id');
/** In `jwt` mode: the claim listing the caller's roles (Cognito: its groups); `admin` makes an admin. */
export const jwtRolesClaim = (env: Env = process.env) => text(env, 'KARBOR_JWT_ROLES_CLAIM', 'cognito:groups');
/** Base of next-page links (Karbor's `osapi_karbor_base_URL`); default from the request. */
export const publicUrl = (env: Env = process.env) => url(env, 'KARBOR_PUBLIC_URL')?.replace(/\/+$/, '');
/** Keystone's base URL for the keystone authorizer (the stack's `karbor:keystoneUrl`). */
export const keystoneUrl = (env: Env = process.env) => url(env, 'KEYSTONE_URL');
/** How long the authorizer trusts a validated token. */
export const authCacheSeconds = (env: Env = process.env) => integer(env, 'KARBOR_AUTH_CACHE_SECONDS', 300, 0, 3600);

// Quotas (Karbor's quota_plans, quota_checkpoints); the `default` quota class overrides them.
export const quotaPlans = (env: Env = process.env) => integer(env, 'KARBOR_QUOTA_PLANS', 50, -1);
export const quotaCheckpoints = (env: Env = process.env) => integer(env, 'KARBOR_QUOTA_CHECKPOINTS', -1, -1);

// Triggers and the operation engine (Karbor's min_interval, min_window_time, max_window_time)
export const minIntervalSeconds = (env: Env = process.env) => integer(env, 'KARBOR_MIN_INTERVAL_SECONDS', 3600, 1);
export const minWindowSeconds = (env: Env = process.env) => integer(env, 'KARBOR_MIN_WINDOW_SECONDS', 900, 1);
export const maxWindowSeconds = (env: Env = process.env) => integer(env, 'KARBOR_MAX_WINDOW_SECONDS', 1800, 1);
/** Where trigger schedules go: EventBridge rules, EventBridge Scheduler, or the local scheduler. */
export const scheduler = (env: Env = process.env) => oneOf(env, 'KARBOR_SCHEDULER', ['rules', 'scheduler', 'local'] as const, 'rules');
/** The fire-trigger function the trigger functions' rules target (the stack sets it). */
export const fireTriggerArn = (env: Env = process.env) => text(env, 'FIRE_TRIGGER_ARN', '');
/** The role EventBridge Scheduler assumes to invoke fire-trigger (scheduler mode). */
export const schedulerRoleArn = (env: Env = process.env) => text(env, 'SCHEDULER_ROLE_ARN', '');
export const scheduleGroup = (env: Env = process.env) => text(env, 'SCHEDULE_GROUP', 'karbor');
/** Start of every trigger's rule or schedule name; the stack derives it from its own name, so two stacks never share one. */
export const triggerNamePrefix = (env: Env = process.env) => text(env, 'TRIGGER_NAME_PREFIX', 'karbor-trigger-');
/** The SQS queue where trigger rules and schedules leave invocations they could not deliver (the stack sets it). */
export const triggerDeadLetterArn = (env: Env = process.env) => optionalText(env, 'TRIGGER_DLQ_ARN');
/** The `host` of the os-services rows. */
export const serviceHost = (env: Env = process.env) => text(env, 'KARBOR_SERVICE_HOST', 'karbor');

// Protection
/** Where lifecycle events and work requests go: the EventBridge bus or the in-process bus. */
export const events = (env: Env = process.env) => oneOf(env, 'KARBOR_EVENTS', ['eventbridge', 'local'] as const, 'eventbridge');
export const eventBusName = (env: Env = process.env) => text(env, 'EVENT_BUS_NAME', 'karbor');
/** Where plugins keep bulk data: the S3 bucket or files under the data dir. */
export const bank = (env: Env = process.env) => oneOf(env, 'KARBOR_BANK', ['s3', 'local'] as const, 's3');
export const bankBucket = (env: Env = process.env) => optionalText(env, 'BANK_BUCKET');
export const bankDir = (env: Env = process.env) => optionalText(env, 'KARBOR_BANK_DIR');
/** How the AWS provider protects a DynamoDB table: on-demand backup, or an export into the bank (DynamoDB Local). */
export const dynamodbTablePlugin = (env: Env = process.env) => oneOf(env, 'KARBOR_DYNAMODB_TABLE_PLUGIN', ['backup', 'export'] as const, 'backup');
/** Which AWS inventories feed the protectable instances. */
export const discovery = (env: Env = process.env) => list(env, 'KARBOR_DISCOVERY', ['ec2', 'dynamodb'] as const, ['ec2', 'dynamodb']);
/** The tag whose value names the project a resource belongs to; Karbor also puts it on what it creates. */
export const DEFAULT_PROJECT_TAG_KEY = 'karbor:project';
/** AWS tag keys: up to 128 of letters, digits, spaces and `_.:/=+-@`, never starting with `aws:` (reserved). */
export const projectTagKey = (env: Env = process.env) => {
  const value = text(env, 'KARBOR_PROJECT_TAG_KEY', DEFAULT_PROJECT_TAG_KEY);
  if (!/^[\p{L}\p{N} _.:/=+\-@]{1,128}$/u.test(value) || /^aws:/i.test(value))
    throw new ConfigError('KARBOR_PROJECT_TAG_KEY', 'an AWS tag key not starting with aws:', value);
  return value;
};
/**
 * How discovery scopes resources to projects: `tags` (a member sees what
 * carries the project tag) or `none` (every project sees every resource but
 * Karbor's own table; `npm start`'s default, as DynamoDB Local has no tagging).
 */
export const tenantScoping = (env: Env = process.env) => oneOf(env, 'KARBOR_TENANT_SCOPING', ['tags', 'none'] as const, 'tags');
/** Past this an unfinished job reads as failed. */
export const jobDeadlineSeconds = (env: Env = process.env) => integer(env, 'KARBOR_JOB_DEADLINE_SECONDS', 6 * 3600, 1);
/** The worker's job lease; at most half its timeout (checked by the worker). */
export const jobLeaseSeconds = (env: Env = process.env) => integer(env, 'KARBOR_JOB_LEASE_SECONDS', 120, 3);
/** Longest a plugin polls what it started (a snapshot, a backup, an image); below the job deadline's 6 h by default. */
export const pluginMaxWaitSeconds = (env: Env = process.env) => integer(env, 'KARBOR_PLUGIN_MAX_WAIT_SECONDS', 5 * 3600, 60);
/** Plugin steps running at once per AWS service in one worker process. */
export const pluginConcurrency = (env: Env = process.env) => integer(env, 'KARBOR_PLUGIN_CONCURRENCY', 4, 1, 100);
/** Milliseconds the No-Op plugin takes per resource: lets a checkpoint or restore be watched (and crashed) while it runs. */
export const noopDelayMs = (env: Env = process.env) => integer(env, 'KARBOR_NOOP_DELAY_MS', 0, 0, 600_000);

// The local runtime (`npm start`)
export const port = (env: Env = process.env) => integer(env, 'PORT', 8799, 0, 65535);
export const dataDir = (env: Env = process.env) => text(env, 'KARBOR_DATA_DIR', '.karbor-data');
export const inMemory = (env: Env = process.env) => flag(env, 'KARBOR_IN_MEMORY');
export const logRequests = (env: Env = process.env) => flag(env, 'KARBOR_LOG_REQUESTS');
/** Keystone mode under `npm start`. */
export const localKeystoneUrl = (env: Env = process.env) => url(env, 'KARBOR_KEYSTONE_URL');
/** JWT mode under `npm start`: the token issuer (`iss`) the local server accepts, as API Gateway's JWT authorizer. */
export const localJwtIssuer = (env: Env = process.env) => {
  const issuer = url(env, 'KARBOR_JWT_ISSUER');
  if (issuer && raw(env, 'KARBOR_KEYSTONE_URL')) throw new ConfigError('KARBOR_JWT_ISSUER', 'unset when KARBOR_KEYSTONE_URL is set (one auth mode)', issuer);
  return issuer;
};
/** JWT mode under `npm start`: the accepted audiences (`aud`, or Cognito's `client_id`), comma-separated; required with an issuer. */
export const localJwtAudience = (env: Env = process.env): string[] => {
  const value = raw(env, 'KARBOR_JWT_AUDIENCE');
  const audiences = (value ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean);
  if (raw(env, 'KARBOR_JWT_ISSUER') !== undefined && audiences.length === 0) {
    throw new ConfigError('KARBOR_JWT_AUDIENCE', 'one or more audiences when KARBOR_JWT_ISSUER is set', value ?? '');
  }
  return audiences;
};
/** JWT mode under `npm start`: the issuer's key set; default the `jwks_uri` of its OpenID discovery document. */
export const localJwksUrl = (env: Env = process.env) => url(env, 'KARBOR_JWKS_URL');
/** DynamoDB Local's port under `npm start`; default a free one. */
export const dynamoLocalPort = (env: Env = process.env) =>
  raw(env, 'DYNAMODB_LOCAL_PORT') === undefined ? undefined : integer(env, 'DYNAMODB_LOCAL_PORT', 0, 1, 65535);

/** Every setting, for checkConfig. */
const SETTINGS = [
  tableName,
  dynamoEndpoint,
  awsRegion,
  dynamoMeter,
  lambdaFunctionName,
  authMode,
  jwtProjectClaim,
  jwtRolesClaim,
  publicUrl,
  keystoneUrl,
  authCacheSeconds,
  quotaPlans,
  quotaCheckpoints,
  minIntervalSeconds,
  minWindowSeconds,
  maxWindowSeconds,
  scheduler,
  fireTriggerArn,
  schedulerRoleArn,
  scheduleGroup,
  triggerNamePrefix,
  triggerDeadLetterArn,
  serviceHost,
  events,
  eventBusName,
  bank,
  bankBucket,
  bankDir,
  dynamodbTablePlugin,
  discovery,
  projectTagKey,
  tenantScoping,
  jobDeadlineSeconds,
  jobLeaseSeconds,
  pluginMaxWaitSeconds,
  pluginConcurrency,
  noopDelayMs,
  port,
  dataDir,
  inMemory,
  logRequests,
  localKeystoneUrl,
  localJwtIssuer,
  localJwtAudience,
  localJwksUrl,
  dynamoLocalPort,
];

/** Reads every setting once, so a bad value stops `npm start` (or a test) as it starts. */
export const checkConfig = (env: Env = process.env): void => {
  for (const read of SETTINGS) read(env);
};
