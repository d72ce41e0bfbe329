// STS, imported with the first tenant session (a lazy chunk: no init weight).
import type { AssumeRoleCommandInput, STSClient } from '@aws-sdk/client-sts';
import { lazily } from '../../../kernel/lazy';
import { projectTagValue } from '../../../kernel/identity';
import type { Clock } from '../../../kernel/ports';
import type { TenantCredentialProvider, TenantCredentials, TenantIdentity } from '../plugins';
import { traced } from '../../../observability/tracing';

/** Role chaining (the worker's role assuming another) caps a session at one hour. */
export const TENANT_SESSION_SECONDS = 3600;
/** Credentials this close to their expiry are fetched again, so a call never signs with a dying session. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/** `RoleSessionName`: 2 to 64 of `[\w+=,.@-]`, readable in CloudTrail as the project it acts for. */
export const tenantSessionName = (projectId: string): string => `karbor-${projectTagValue(projectId).replace(/[^\w+=,.@-]/g, '-')}`.slice(0, 64);

/** The process's one STS client, made (and its module loaded) on the first AssumeRole, off the cold start. */
const processSts = lazily(async () => traced(new (await import('@aws-sdk/client-sts')).STSClient({})));

export interface TenantCredentialOptions {
  /** Unless given, the process's one client (processSts). */
  sts?: STSClient;
  /** The tenant-access role (KARBOR_TENANT_ROLE_ARN). */
  roleArn: string;
  /** The project tag key (KARBOR_PROJECT_TAG_KEY): the session tag the role's conditions compare with the resources' tag. */
  tagKey: string;
  clock: Clock;
}

/**
 * Credentials for one project: `sts:AssumeRole` of the tenant-access role
 * with the session tag `<tag key>=<project>` (the value mapped by
 * kernel/identity.ts, as the plugins tag), so IAM, not only our code,
 * confines the calls to that project's resources. This AssumeRole call is
 * the one trust point (docs/operations.md, Tenant isolation in IAM).
 *
 * Make one per invocation: credentials are fetched on a client's first call
 * and kept for the invocation, per project, until five minutes before they
 * expire. They are never a durable step's result (the SDK calls the
 * provider as it signs, and step results stay in the execution history), so
 * a replayed invocation fetches its own.
 */
export const tenantCredentials = (opts: TenantCredentialOptions): TenantCredentials => {
  const sessions = sessionCache(opts.clock);
  return (projectId) =>
    sessions(projectId, async () =>
      assumeRole(opts.sts, {
        RoleArn: opts.roleArn,
        RoleSessionName: tenantSessionName(projectId),
        DurationSeconds: TENANT_SESSION_SECONDS,
        Tags: [{ Key: opts.tagKey, Value: projectTagValue(projectId) }],
      }),
    );
};

/** One AssumeRole call on the given client, else the process's one; the session's credentials. */
const assumeRole = async (client: STSClient | undefined, input: AssumeRoleCommandInput): Promise<TenantIdentity> => {
  const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const sts = client ?? (await processSts());
  const out = await sts.send(new AssumeRoleCommand(input));
  const c = out.Credentials;
  if (!c?.AccessKeyId || !c.SecretAccessKey) throw new Error(`AssumeRole of ${input.RoleArn} returned no credentials`);
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
};

/**
 * Sessions by key, each fetched on its first use and kept until five
 * minutes before it expires; a failed AssumeRole is not kept (the next call
 * tries again).
 */
const sessionCache = (clock: Clock) => {
  const held = new Map<string, Promise<TenantIdentity>>();
  const fresh = (id: TenantIdentity) => id.expiration === undefined || id.expiration.getTime() - REFRESH_MARGIN_MS > clock.now().getTime();
  return (key: string, assume: () => Promise<TenantIdentity>): TenantCredentialProvider =>
    async () => {
      const pending = held.get(key);
      if (pending) {
        const identity = await pending.catch(() => undefined);
        if (identity && fresh(identity)) return identity;
      }
      const next = assume();
      held.set(key, next);
      next.catch(() => held.get(key) === next && held.delete(key));
      return next;
    };
};

/** Where copies go and how to reach it (shared/features/destinations/model.ts Destination). */
export interface DestinationRole {
  name: string;
  roleArn?: string;
  externalId?: string;
}

/** Credentials in a destination for one project (undefined: the destination has no role, use the project's own). */
export type DestinationCredentials = (destination: DestinationRole, projectId: string) => TenantCredentialProvider | undefined;

/**
 * Credentials for a copy destination (docs/decisions.md §25): the worker's
 * own role assumes the destination's role with its external id (the
 * destination account's trust policy requires it), one session per
 * destination and project, named after the project as tenant sessions are.
 * A destination without a role is reached with the project's own
 * credentials in its Region (undefined here).
 */
export const destinationCredentials = (opts: { sts?: STSClient; clock: Clock }): DestinationCredentials => {
  const sessions = sessionCache(opts.clock);
  return (destination, projectId) => {
    const { roleArn, externalId } = destination;
    if (roleArn === undefined) return undefined;
    return sessions(`${destination.name}\n${projectId}`, async () =>
      assumeRole(opts.sts, {
        RoleArn: roleArn,
        RoleSessionName: tenantSessionName(projectId),
        ExternalId: externalId,
        DurationSeconds: TENANT_SESSION_SECONDS,
      }),
    );
  };
};
