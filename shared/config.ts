import { currentHost, type Settings } from './runtime-host';
import { type Destination, DestinationConfigError, parseDestinations } from './features/destinations/model';

/**
 * Every setting of the functions and the local runtime, and the only reader of
 * their variables under shared/ and functions/. Each setting is typed,
 * defaulted and validated here, once; a bad value throws a `ConfigError`
 * naming the variable, whose name comes from SETTING_NAMES below (the list
 * the stack writes from too, so a rename fails `tsc` on both sides).
 *
 * Each setting is its own function, read when called from the settings of
 * the runtime that runs the caller (shared/runtime-host.ts: on Lambda the
 * environment the stack set, under `npm start` the settings the local runtime
 * built once), so a bundle keeps only the parsers of the settings its
 * function reads. Each function's composition (features/<feature>/deps.ts)
 * reads its settings as the function starts, and `npm start` runs
 * `checkConfig()`, so a bad value stops them at start-up rather than on the
 * first request that needs it. Tests pass their own settings.
 */

/**
 * The name of every variable a setting is read from (below) and the stack or
 * the local runtime writes (infra/). Both sides take the names from here:
 * the readers accept only a `SettingName`, the stack's functions only
 * settings by these names (ApiFunction.addSetting), so a rename or a typo
 * fails `tsc` instead of leaving a function on a default. The list itself is
 * in no function's bundle (nothing there reads it, so esbuild drops it).
 */
export const SETTING_NAMES = [
  // Storage
  'TABLE_NAME',
  'DYNAMODB_ENDPOINT',
  'AWS_REGION',
  'KARBOR_DYNAMO_METER',
  'AWS_LAMBDA_FUNCTION_NAME',
  // API
  'KARBOR_AUTH_MODE',
  'KARBOR_JWT_PROJECT_CLAIM',
  'KARBOR_JWT_ROLES_CLAIM',
  'KARBOR_PUBLIC_URL',
  'KEYSTONE_URL',
  'KARBOR_AUTH_CACHE_SECONDS',
  // Quotas
  'KARBOR_QUOTA_PLANS',
  'KARBOR_QUOTA_CHECKPOINTS',
  // Triggers and the operation engine
  'KARBOR_MIN_INTERVAL_SECONDS',
  'KARBOR_MIN_WINDOW_SECONDS',
  'KARBOR_MAX_WINDOW_SECONDS',
  'KARBOR_SCHEDULER',
  'FIRE_TRIGGER_ARN',
  'FIRE_TRIGGER_QUEUE_ARN',
  'SCHEDULER_ROLE_ARN',
  'SCHEDULE_GROUP',
  'TRIGGER_NAME_PREFIX',
  'TRIGGER_DLQ_ARN',
  'KARBOR_SERVICE_HOST',
  // Protection
  'KARBOR_EVENTS',
  'EVENT_BUS_NAME',
  'NOTIFY_TOPIC_ARN',
  'KARBOR_BANK',
  'BANK_BUCKET',
  'KARBOR_BANK_OBJECT_LOCK',
  'KARBOR_BANK_KEY',
  'KARBOR_BANK_DIR',
  'KARBOR_REPORT_LINK_SECRET',
  'KARBOR_DYNAMODB_TABLE_PLUGIN',
  'KARBOR_DISCOVERY',
  'KARBOR_PROJECT_TAG_KEY',
  'KARBOR_TENANT_ROLE_ARN',
  'KARBOR_TENANT_SCOPING',
  'KARBOR_JOB_DEADLINE_SECONDS',
  'KARBOR_JOB_LEASE_SECONDS',
  'KARBOR_PLUGIN_MAX_WAIT_SECONDS',
  'KARBOR_PLUGIN_CONCURRENCY',
  'KARBOR_NOOP_DELAY_MS',
  'KARBOR_DRILL_CONCURRENCY',
  'KARBOR_DESTINATIONS',
  'KARBOR_LOCAL_BANKS',
  'KARBOR_LOCAL_DYNAMODB_ENDPOINTS',
  'AWS_ENDPOINT_URL_EC2',
  'AWS_ENDPOINT_URL',
  // The local runtime (`npm start`)
  'PORT',
  'KARBOR_DATA_DIR',
  'KARBOR_IN_MEMORY',
  'KARBOR_LOG_REQUESTS',
  'KARBOR_KEYSTONE_URL',
  'KARBOR_JWT_ISSUER',
  'KARBOR_JWT_AUDIENCE',
  'KARBOR_JWKS_URL',
  'DYNAMODB_LOCAL_PORT',
  'KARBOR_SITE',
  'KARBOR_LOCAL_DR',
] as const;

export type SettingName = (typeof SETTING_NAMES)[number];

/** Values by setting name: what the stack writes into a function's environment, or a runtime's overrides. */
export type SettingValues = Partial<Record<SettingName, string>>;

/** The variables settings are read from: a runtime's settings (shared/runtime-host.ts), on Lambda the environment. */
export type Env = Settings;

/** The settings of what runs now: its local runtime's, else (Lambda, a test calling code directly) the environment. */
export const currentSettings = (): Env => currentHost()?.settings ?? process.env;

/** The table's name when TABLE_NAME is unset (the local runtime and tests). */
export const DEFAULT_TABLE_NAME = 'karbor';

/** A setting whose value is unusable; the message names the variable. */
export class ConfigError extends Error {
  constructor(variable: SettingName, expected: string, raw: string) {
    super(`${variable} must be ${expected}, got ${JSON.stringify(raw)}`);
    this.name = 'ConfigError';
  }
}

/** An unset or blank variable takes the default. */
const raw = (env: Env, name: SettingName): string | undefined => {
  const value = env[name];
  return value === undefined || value.trim() === '' ? undefined : value.trim();
};

const text = (env: Env, name: SettingName, fallback: string): string => raw(env, name) ?? fallback;

const optionalText = (env: Env, name: SettingName): string | undefined => raw(env, name);

const integer = (env: Env, name: SettingName, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number => {
  const value = raw(env, name);
  if (value === undefined) return fallback;
  const n = /^-?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(name, max === Number.MAX_SAFE_INTEGER ? `an integer >= ${min}` : `an integer from ${min} to ${max}`, value);
  }
  return n;
};

const oneOf = <T extends string>(env: Env, name: SettingName, options: readonly T[], fallback: T): T => {
  const value = raw(env, name) ?? fallback;
  if (!(options as readonly string[]).includes(value)) throw new ConfigError(name, `one of ${options.join(', ')}`, value);
  return value as T;
};

/** `1` turns a switch on; unset (or `0`) leaves it off. */
const flag = (env: Env, name: SettingName): boolean => oneOf(env, name, ['0', '1'], '0') === '1';

const url = (env: Env, name: SettingName): string | undefined => {
  const value = raw(env, name);
  if (value === undefined) return undefined;
  if (!/^https?:\/\/[^\s/]+/.test(value)) throw new ConfigError(name, 'an http(s) URL', value);
  return value;
};

const list = <T extends string>(env: Env, name: SettingName, options: readonly T[], fallback: readonly T[]): T[] => {
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
export const tableName = (env: Env = currentSettings()) => text(env, 'TABLE_NAME', DEFAULT_TABLE_NAME);
/** DynamoDB Local's URL (the local runtime and tests set it); unset on AWS. */
export const dynamoEndpoint = (env: Env = currentSettings()) => url(env, 'DYNAMODB_ENDPOINT');
/** Region for the local endpoint (AWS's own variable; Lambda sets it). */
export const awsRegion = (env: Env = currentSettings()) => text(env, 'AWS_REGION', 'us-east-1');
/**
 * An EC2 emulator (`moto_server`) for the AWS provider under `npm start`: the
 * SDK's own variables, the EC2 one first. Read here so that the local
 * runtime's settings (not only its process environment) reach the clients;
 * unset on AWS.
 */
export const ec2Endpoint = (env: Env = currentSettings()) => url(env, 'AWS_ENDPOINT_URL_EC2') ?? url(env, 'AWS_ENDPOINT_URL');
/** What every EC2 client (the plugins', discovery's) takes: that emulator and AWS_REGION, or nothing (AWS, the Lambda's region). */
export const ec2ClientConfig = (env: Env = currentSettings()): { endpoint?: string; region?: string } => {
  const endpoint = ec2Endpoint(env);
  return endpoint ? { endpoint, region: awsRegion(env) } : {};
};
/** `1`: record consumed capacity per route (the benchmark). */
export const dynamoMeter = (env: Env = currentSettings()) => flag(env, 'KARBOR_DYNAMO_METER');
/** Set by Lambda: the app's own metrics (EMF) are written only there. */
export const lambdaFunctionName = (env: Env = currentSettings()) => optionalText(env, 'AWS_LAMBDA_FUNCTION_NAME');

// API
/** `noauth` (Karbor's devstack convention), `authorizer` (the Keystone authorizer's verdict) or `jwt` (API Gateway's JWT authorizer's claims). */
export const authMode = (env: Env = currentSettings()) => oneOf(env, 'KARBOR_AUTH_MODE', ['noauth', 'authorizer', 'jwt'] as const, 'noauth');
/** In `jwt` mode: the claim naming the caller's project (Cognito: its custom attribute). */
export const jwtProjectClaim = (env: Env = currentSettings()) => text(env, 'KARBOR_JWT_PROJECT_CLAIM', 'custom:project_id');
/** In `jwt` mode: the claim listing the caller's roles (Cognito: its groups); `admin` makes an admin. */
export const jwtRolesClaim = (env: Env = currentSettings()) => text(env, 'KARBOR_JWT_ROLES_CLAIM', 'cognito:groups');
/** Base of next-page links (Karbor's `osapi_karbor_base_URL`); default from the request. */
export const publicUrl = (env: Env = currentSettings()) => url(env, 'KARBOR_PUBLIC_URL')?.replace(/\/+$/, '');
/** Keystone's base URL for the keystone authorizer (the stack's `karbor:keystoneUrl`). */
export const keystoneUrl = (env: Env = currentSettings()) => url(env, 'KEYSTONE_URL');
/** How long the authorizer trusts a validated token. */
export const authCacheSeconds = (env: Env = currentSettings()) => integer(env, 'KARBOR_AUTH_CACHE_SECONDS', 300, 0, 3600);

// Quotas (Karbor's quota_plans, quota_checkpoints); the `default` quota class overrides them.
export const quotaPlans = (env: Env = currentSettings()) => integer(env, 'KARBOR_QUOTA_PLANS', 50, -1);
export const quotaCheckpoints = (env: Env = currentSettings()) => integer(env, 'KARBOR_QUOTA_CHECKPOINTS', -1, -1);

// Triggers and the operation engine (Karbor's min_interval, min_window_time, max_window_time)
export const minIntervalSeconds = (env: Env = currentSettings()) => integer(env, 'KARBOR_MIN_INTERVAL_SECONDS', 3600, 1);
export const minWindowSeconds = (env: Env = currentSettings()) => integer(env, 'KARBOR_MIN_WINDOW_SECONDS', 900, 1);
export const maxWindowSeconds = (env: Env = currentSettings()) => integer(env, 'KARBOR_MAX_WINDOW_SECONDS', 1800, 1);
/**
 * Where trigger schedules go: EventBridge Scheduler, EventBridge rules, both while a rules stack moves to
 * Scheduler (`migrating`: schedules are put, rules only removed), or the local scheduler. The stack sets it.
 */
export const scheduler = (env: Env = currentSettings()) => oneOf(env, 'KARBOR_SCHEDULER', ['rules', 'scheduler', 'migrating', 'local'] as const, 'rules');
/** The fire-trigger function the trigger functions' rules target (the stack sets it). */
export const fireTriggerArn = (env: Env = currentSettings()) => text(env, 'FIRE_TRIGGER_ARN', '');
/** Scheduler mode: the queue the schedules send firings to, which fire-trigger drains at a bounded concurrency (the stack sets it). */
export const fireTriggerQueueArn = (env: Env = currentSettings()) => text(env, 'FIRE_TRIGGER_QUEUE_ARN', '');
/** The role EventBridge Scheduler assumes to invoke fire-trigger (scheduler mode). */
export const schedulerRoleArn = (env: Env = currentSettings()) => text(env, 'SCHEDULER_ROLE_ARN', '');
export const scheduleGroup = (env: Env = currentSettings()) => text(env, 'SCHEDULE_GROUP', 'karbor');
/** Start of every trigger's rule or schedule name; the stack derives it from its own name, so two stacks never share one. */
export const triggerNamePrefix = (env: Env = currentSettings()) => text(env, 'TRIGGER_NAME_PREFIX', 'karbor-trigger-');
/** The SQS queue where trigger rules and schedules leave invocations they could not deliver (the stack sets it). */
export const triggerDeadLetterArn = (env: Env = currentSettings()) => optionalText(env, 'TRIGGER_DLQ_ARN');
/** The `host` of the os-services rows. */
export const serviceHost = (env: Env = currentSettings()) => text(env, 'KARBOR_SERVICE_HOST', 'karbor');

// Protection
/** Where lifecycle events and work requests go: the EventBridge bus or the in-process bus. */
export const events = (env: Env = currentSettings()) => oneOf(env, 'KARBOR_EVENTS', ['eventbridge', 'local'] as const, 'eventbridge');
export const eventBusName = (env: Env = currentSettings()) => text(env, 'EVENT_BUS_NAME', 'karbor');
/** The SNS topic operators' notifications go to (the stack's alarm topic; the stack sets it); unset, they are logged. */
export const notifyTopicArn = (env: Env = currentSettings()) => text(env, 'NOTIFY_TOPIC_ARN', '');
/** Where plugins keep bulk data: the S3 bucket or files under the data dir. */
export const bank = (env: Env = currentSettings()) => oneOf(env, 'KARBOR_BANK', ['s3', 'local'] as const, 's3');
export const bankBucket = (env: Env = currentSettings()) => optionalText(env, 'BANK_BUCKET');
/** Whether the S3 bank has Object Lock (`karbor:bankObjectLock`), so a checkpoint's lock reaches its objects; the local bank always locks. */
export const bankObjectLock = (env: Env = currentSettings()) => flag(env, 'KARBOR_BANK_OBJECT_LOCK');
/**
 * The key of the bank's objects, which each checkpoint records
 * (docs/decisions.md §27): the KMS key ARN of an SSE-KMS bank, `aws-owned`
 * for SSE-S3; unset (the local file bank), none.
 */
export const bankKey = (env: Env = currentSettings()) => optionalText(env, 'KARBOR_BANK_KEY');
export const bankDir = (env: Env = currentSettings()) => optionalText(env, 'KARBOR_BANK_DIR');
/** The key that signs the local bank's report links (the local runtime makes one per start; S3 presigns on AWS). */
export const reportLinkSecret = (env: Env = currentSettings()) => optionalText(env, 'KARBOR_REPORT_LINK_SECRET');
/** How the AWS provider protects a DynamoDB table: on-demand backup, or an export into the bank (DynamoDB Local). */
export const dynamodbTablePlugin = (env: Env = currentSettings()) => oneOf(env, 'KARBOR_DYNAMODB_TABLE_PLUGIN', ['backup', 'export'] as const, 'backup');
/** Which AWS inventories feed the protectable instances. */
export const discovery = (env: Env = currentSettings()) => list(env, 'KARBOR_DISCOVERY', ['ec2', 'dynamodb'] as const, ['ec2', 'dynamodb']);
/**
 * The tenant-access role the worker assumes, tagged with the job's project,
 * for every plugin call on customer resources; unset (npm start), the
 * plugins use the ambient credentials.
 */
export const tenantRoleArn = (env: Env = currentSettings()) => optionalText(env, 'KARBOR_TENANT_ROLE_ARN');
/** The tag whose value names the project a resource belongs to; Karbor also puts it on what it creates. */
export const DEFAULT_PROJECT_TAG_KEY = 'karbor:project';

/**
 * How many fire-trigger invocations run at once by default: the firings
 * queue's MaximumConcurrency on AWS (`karbor:fireTriggerConcurrency`), and
 * the local scheduler's bound, so a crowded minute queues the same way on
 * both.
 */
export const DEFAULT_FIRE_TRIGGER_CONCURRENCY = 10;
/** AWS tag keys: up to 128 of letters, digits, spaces and `_.:/=+-@`, never starting with `aws:` (reserved). */
export const projectTagKey = (env: Env = currentSettings()) => {
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
export const tenantScoping = (env: Env = currentSettings()) => oneOf(env, 'KARBOR_TENANT_SCOPING', ['tags', 'none'] as const, 'tags');
/** Past this an unfinished job reads as failed. */
export const jobDeadlineSeconds = (env: Env = currentSettings()) => integer(env, 'KARBOR_JOB_DEADLINE_SECONDS', 6 * 3600, 1);
/** The worker's job lease; at most half its timeout (checked by the worker). */
export const jobLeaseSeconds = (env: Env = currentSettings()) => integer(env, 'KARBOR_JOB_LEASE_SECONDS', 120, 3);
/** Longest a plugin polls what it started (a snapshot, a backup, an image); below the job deadline's 6 h by default. */
export const pluginMaxWaitSeconds = (env: Env = currentSettings()) => integer(env, 'KARBOR_PLUGIN_MAX_WAIT_SECONDS', 5 * 3600, 60);
/** Plugin steps running at once per AWS service in one worker process. */
export const pluginConcurrency = (env: Env = currentSettings()) => integer(env, 'KARBOR_PLUGIN_CONCURRENCY', 4, 1, 100);
/**
 * Drills (docs/decisions.md §24) running at once in the account and Region:
 * the headroom they leave under DynamoDB's 50 concurrent table restores (and
 * EBS's snapshot and volume limits) for real restores.
 */
export const drillConcurrency = (env: Env = currentSettings()) => integer(env, 'KARBOR_DRILL_CONCURRENCY', 5, 1, 25);

/** Milliseconds the No-Op plugin takes per resource: lets a checkpoint or restore be watched (and crashed) while it runs. */
export const noopDelayMs = (env: Env = currentSettings()) => integer(env, 'KARBOR_NOOP_DELAY_MS', 0, 0, 600_000);
/** The copy destinations (docs/decisions.md §25): a JSON object by name; unset is none. */
export const destinations = (env: Env = currentSettings()): Destination[] => {
  const value = raw(env, 'KARBOR_DESTINATIONS');
  try {
    return parseDestinations(value);
  } catch (error) {
    if (error instanceof DestinationConfigError)
      // The value is not quoted: it holds the external ids.
      throw new ConfigError('KARBOR_DESTINATIONS', `valid destinations (${error.message})`, '(not shown)');
    throw error;
  }
};

/** A JSON object of strings by name, each matching `value` (the local stand-ins for other Regions, docs/decisions.md §26). */
const stringMap = (env: Env, name: SettingName, expected: string, value: (v: string) => boolean): Record<string, string> => {
  const text = raw(env, name);
  if (text === undefined) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ConfigError(name, expected, text);
  }
  const ok =
    parsed !== null &&
    typeof parsed === 'object' &&
    !Array.isArray(parsed) &&
    Object.values(parsed as Record<string, unknown>).every((v) => typeof v === 'string' && value(v));
  if (!ok) throw new ConfigError(name, expected, text);
  return parsed as Record<string, string>;
};
/**
 * With KARBOR_BANK=local, the folder of each destination's bank by its bucket name (docs/decisions.md §26):
 * `{"karbor-dr-bank": "/abs/.karbor-data/dr/bank"}`. The local runtime writes it for its built-in DR Region.
 */
export const localBanks = (env: Env = currentSettings()) =>
  stringMap(env, 'KARBOR_LOCAL_BANKS', 'a JSON object of bank folders by bucket name', (v) => v.length > 0);
/** The DynamoDB (Local) endpoint of another Region, by Region (docs/decisions.md §26); a Region not named uses DYNAMODB_ENDPOINT. */
export const localDynamoEndpoints = (env: Env = currentSettings()) =>
  stringMap(env, 'KARBOR_LOCAL_DYNAMODB_ENDPOINTS', 'a JSON object of http(s) URLs by Region', (v) => /^https?:\/\/[^\s/]+/.test(v));

// The local runtime (`npm start`)
/** The API's port: 8799, or 8800 for the DR side of the local walk-through (KARBOR_SITE=dr). */
export const port = (env: Env = currentSettings()) => integer(env, 'PORT', site(env) === 'dr' ? 8800 : 8799, 0, 65535);
export const dataDir = (env: Env = currentSettings()) => text(env, 'KARBOR_DATA_DIR', '.karbor-data');
export const inMemory = (env: Env = currentSettings()) => flag(env, 'KARBOR_IN_MEMORY');
export const logRequests = (env: Env = currentSettings()) => flag(env, 'KARBOR_LOG_REQUESTS');
/** Keystone mode under `npm start`. */
export const localKeystoneUrl = (env: Env = currentSettings()) => url(env, 'KARBOR_KEYSTONE_URL');
/** JWT mode under `npm start`: the token issuer (`iss`) the local server accepts, as API Gateway's JWT authorizer. */
export const localJwtIssuer = (env: Env = currentSettings()) => {
  const issuer = url(env, 'KARBOR_JWT_ISSUER');
  if (issuer && raw(env, 'KARBOR_KEYSTONE_URL')) throw new ConfigError('KARBOR_JWT_ISSUER', 'unset when KARBOR_KEYSTONE_URL is set (one auth mode)', issuer);
  return issuer;
};
/** JWT mode under `npm start`: the accepted audiences (`aud`, or Cognito's `client_id`), comma-separated; required with an issuer. */
export const localJwtAudience = (env: Env = currentSettings()): string[] => {
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
export const localJwksUrl = (env: Env = currentSettings()) => url(env, 'KARBOR_JWKS_URL');
/** DynamoDB Local's port under `npm start`; default a free one. */
export const dynamoLocalPort = (env: Env = currentSettings()) =>
  raw(env, 'DYNAMODB_LOCAL_PORT') === undefined ? undefined : integer(env, 'DYNAMODB_LOCAL_PORT', 0, 1, 65535);

/**
 * Which side of the local DR walk-through this runtime is (docs/decisions.md §26): `primary` (`npm start`) or `dr`
 * (`npm run start:dr`: the DR Region's own Karbor, on the DR data dir `<KARBOR_DATA_DIR>/dr`, port 8800 by default).
 */
export const site = (env: Env = currentSettings()) => oneOf(env, 'KARBOR_SITE', ['primary', 'dr'] as const, 'primary');
/** `0` turns off the primary's second Region (its DynamoDB Local, its bank folder and the built-in `dr` destination). */
export const localDr = (env: Env = currentSettings()) => oneOf(env, 'KARBOR_LOCAL_DR', ['0', '1'], '1') === '1';

/** Every setting, for checkConfig. */
const SETTINGS = [
  tableName,
  dynamoEndpoint,
  awsRegion,
  ec2Endpoint,
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
  bankObjectLock,
  bankKey,
  bankDir,
  reportLinkSecret,
  dynamodbTablePlugin,
  discovery,
  projectTagKey,
  tenantRoleArn,
  tenantScoping,
  jobDeadlineSeconds,
  jobLeaseSeconds,
  pluginMaxWaitSeconds,
  pluginConcurrency,
  noopDelayMs,
  drillConcurrency,
  destinations,
  localBanks,
  localDynamoEndpoints,
  port,
  dataDir,
  inMemory,
  logRequests,
  localKeystoneUrl,
  localJwtIssuer,
  localJwtAudience,
  localJwksUrl,
  dynamoLocalPort,
  site,
  localDr,
];

/** Reads every setting once, so a bad value stops `npm start` (or a test) as it starts. */
export const checkConfig = (env: Env = currentSettings()): void => {
  for (const read of SETTINGS) read(env);
};
