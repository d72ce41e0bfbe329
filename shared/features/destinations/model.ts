/**
 * Copy destinations (docs/decisions.md §25): named places a checkpoint is
 * copied to, another Region and optionally another account, managed by the
 * deployment's operator (KARBOR_DESTINATIONS, the stack's
 * `karbor:destinations` context), never by API callers.
 */

/** One destination as the deployment configures it. */
export interface Destination {
  /** What a plan's `destinations` field names. */
  name: string;
  region: string;
  /** The destination's account; absent: the stack's own account. */
  accountId?: string;
  /** The role the worker assumes there (`sts:AssumeRole`); absent: the worker's own credentials in `region`. */
  roleArn?: string;
  /** The external id the role's trust policy requires: a secret, never in any view. */
  externalId?: string;
  /** The destination's bank bucket (docs/decisions.md §25: recorded, not written to yet). */
  bank?: string;
  /** The KMS key copies are encrypted with there (key id, ARN or alias); absent: the account's default EBS key. */
  kmsKeyId?: string;
  /** Plans that name no destination copy here (providers that move data; the No-Op provider's default is itself). */
  isDefault: boolean;
}

/** The configured destinations, by name (./deps.ts destinationCatalog). */
export interface DestinationCatalog {
  all(): readonly Destination[];
  get(name: string): Destination | undefined;
}

/** A destinations configuration that cannot be used; the message names the destination and the field. */
export class DestinationConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DestinationConfigError';
  }
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ACCOUNT = /^\d{12}$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
// STS ExternalId: 2 to 1224 of [\w+=,.@:/-].
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KMS_KEY = /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[\w/-]+|alias\/[\w/-]+|[0-9a-f-]{36}|mrk-[0-9a-f]{32})$/;
const FIELDS = ['region', 'account_id', 'role_arn', 'external_id', 'bank', 'kms_key_id', 'default'];

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

const optional = (name: string, entry: Record<string, unknown>, field: string, pattern: RegExp, what: string): string | undefined => {
  const value = entry[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !pattern.test(value)) throw new DestinationConfigError(`destination ${name}: ${field} must be ${what}`);
  return value;
};

/**
 * Reads the destinations configuration: a JSON object of destinations by
 * name, `{"dr": {"region": "eu-west-1", "account_id": "...", "role_arn":
 * "...", "external_id": "...", "bank": "...", "kms_key_id": "...",
 * "default": true}}`; blank or absent is none. Every rule's failure names
 * the destination and the field (never the external id's value).
 * 1. names: a letter, then letters, digits, `_` or `-` (up to 63), so a
 *    name never looks like a provider id (the No-Op provider's default
 *    destination is the provider itself);
 * 2. `region` is required; unknown fields are refused;
 * 3. a `role_arn` needs an `external_id` (the confused-deputy guard of a
 *    role another account trusts us with), and its account is `account_id`
 *    when both are given; an `account_id` other than ours needs a role;
 * 4. at most one destination is the `default`.
 */
export const parseDestinations = (text: string | undefined): Destination[] => {
  if (text === undefined || text.trim() === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new DestinationConfigError('destinations must be a JSON object of destinations by name');
  }
  if (!isObject(parsed)) throw new DestinationConfigError('destinations must be a JSON object of destinations by name');
  const destinations = Object.entries(parsed).map(([name, entry]): Destination => {
    if (!NAME.test(name)) throw new DestinationConfigError(`destination name ${JSON.stringify(name)} must be a letter, then up to 62 letters, digits, _ or -`);
    if (!isObject(entry)) throw new DestinationConfigError(`destination ${name} must be an object`);
    const unknown = Object.keys(entry).filter((k) => !FIELDS.includes(k));
    if (unknown.length > 0) throw new DestinationConfigError(`destination ${name}: unknown field ${unknown[0]} (allowed: ${FIELDS.join(', ')})`);
    const region = optional(name, entry, 'region', REGION, 'an AWS Region such as eu-west-1');
    if (region === undefined) throw new DestinationConfigError(`destination ${name}: region is required`);
    const accountId = optional(name, entry, 'account_id', ACCOUNT, 'a 12-digit account id');
    const roleArn = optional(name, entry, 'role_arn', ROLE_ARN, 'an IAM role ARN');
    const externalId = optional(name, entry, 'external_id', EXTERNAL_ID, '2 to 1224 of letters, digits and +=,.@:/_-');
    if (roleArn !== undefined && externalId === undefined) throw new DestinationConfigError(`destination ${name}: a role_arn needs an external_id`);
    if (roleArn === undefined && externalId !== undefined) throw new DestinationConfigError(`destination ${name}: an external_id needs a role_arn`);
    const roleAccount = roleArn === undefined ? undefined : ROLE_ARN.exec(roleArn)?.[1];
    if (accountId !== undefined && roleAccount !== undefined && roleAccount !== accountId) {
      throw new DestinationConfigError(`destination ${name}: role_arn is in account ${roleAccount}, not account_id ${accountId}`);
    }
    const isDefault = entry.default ?? false;
    if (typeof isDefault !== 'boolean') throw new DestinationConfigError(`destination ${name}: default must be true or false`);
    return {
      name,
      region,
      ...((accountId ?? roleAccount) === undefined ? {} : { accountId: accountId ?? roleAccount }),
      ...(roleArn === undefined ? {} : { roleArn, externalId }),
      ...(entry.bank === undefined ? {} : { bank: optional(name, entry, 'bank', BUCKET, 'an S3 bucket name') }),
      ...(entry.kms_key_id === undefined ? {} : { kmsKeyId: optional(name, entry, 'kms_key_id', KMS_KEY, 'a KMS key id, key ARN or alias') }),
      isDefault,
    };
  });
  const defaults = destinations.filter((d) => d.isDefault).map((d) => d.name);
  if (defaults.length > 1) throw new DestinationConfigError(`only one destination may be the default, got ${defaults.join(', ')}`);
  return destinations;
};

/** A catalog over parsed destinations. */
export const catalogOf = (destinations: readonly Destination[]): DestinationCatalog => {
  const byName = new Map(destinations.map((d) => [d.name, d]));
  return { all: () => destinations, get: (name) => byName.get(name) };
};

/** What a plan's provider needs to be judged for its default destination: its plugins. */
interface ProviderPlugins {
  id: string;
  plugins: Record<string, string>;
}

/**
 * Where a plan without `destinations` copies to (docs/decisions.md §25): the
 * configured default for a provider that moves data, else (the No-Op
 * provider, or no default configured) the provider itself, by its id.
 */
export const defaultDestination = (catalog: DestinationCatalog, provider: ProviderPlugins): string => {
  const movesData = Object.values(provider.plugins).some((p) => p !== 'noop');
  return (movesData ? catalog.all().find((d) => d.isDefault)?.name : undefined) ?? provider.id;
};

/** The destinations a plan copies to: its own, else its provider's default. */
export const planDestinations = (catalog: DestinationCatalog, provider: ProviderPlugins, named: readonly string[] | undefined): string[] =>
  named !== undefined && named.length > 0 ? [...named] : [defaultDestination(catalog, provider)];

/** The first of `names` no destination has, for the plan field's 400. */
export const unknownDestination = (catalog: DestinationCatalog, names: readonly string[]): string | undefined =>
  names.find((n) => catalog.get(n) === undefined);

/** The configuration text of destinations (what parseDestinations reads): the stack writes KARBOR_DESTINATIONS with it. */
export const formatDestinations = (destinations: readonly Destination[]): string =>
  JSON.stringify(
    Object.fromEntries(
      destinations.map((d) => [
        d.name,
        {
          region: d.region,
          ...(d.accountId === undefined ? {} : { account_id: d.accountId }),
          ...(d.roleArn === undefined ? {} : { role_arn: d.roleArn, external_id: d.externalId }),
          ...(d.bank === undefined ? {} : { bank: d.bank }),
          ...(d.kmsKeyId === undefined ? {} : { kms_key_id: d.kmsKeyId }),
          ...(d.isDefault ? { default: true } : {}),
        },
      ]),
    ),
  );
