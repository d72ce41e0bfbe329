import type { BankSection } from './bank';
import type { JobSteps } from './job-steps';

/** One node of a checkpoint's resource graph: Karbor's `Resource(type, id, name, extra_info)`. */
export interface GraphResource {
  type: string;
  id: string;
  name: string | null;
  /** A JSON string (Karbor keeps resources' extra_info as text) or null. */
  extraInfo: string | null;
}

/** `<type>#<id>`: the key of a resource in status maps, parameters and the bank. */
export const resourceKey = (r: { type: string; id: string }): string => `${r.type}#${r.id}`;

export interface PluginContext {
  checkpointId: string;
  projectId: string;
  /** This resource's folder in the bank. */
  bank: BankSection;
  /** Options for this resource: plan (protect), restore or verify parameters, `<type>#<id>` over `<type>`. */
  parameters: Record<string, string>;
  /** Restore only: what the resources this one depends on were restored as (`<type>#<id>` -> new id). */
  restored: Record<string, string>;
  /** Restore and verify: the restore's (or verification's) id; plugins name new and scratch resources after it. */
  restoreId?: string;
  /**
   * Where the checkpoint's data is: the name of the destination a copy went
   * to (docs/decisions.md §25), undefined for the provider's own account and
   * Region. The registry gives the plugin clients there: a copy's delete,
   * restore and verify act in its destination; a copy's `copy` writes there.
   */
  location?: string;
  /** Copy only: the checkpoint being copied (`checkpointId` and `bank` are the copy's) and where the copy goes. */
  copyOf?: { checkpointId: string; bank: BankSection; destination: string };
  /**
   * This resource's checkpointed steps (./job-steps.ts): a plugin starts what
   * it creates in one step (returning its id), records it, then polls it
   * with `pollUntil`, so a replay never starts it twice and waits cost nothing.
   */
  steps: JobSteps;
  /** Reports progress: a restore shows it as the resource's status; every report renews the worker's lease. */
  progress(status: string, reason?: string): Promise<void>;
}

/**
 * The plugin port (Karbor's protection plugin): one per provider and
 * resource type. A thrown error marks the resource `error` with its message.
 */
export interface ProtectionPlugin {
  protect(ctx: PluginContext, resource: GraphResource): Promise<void>;
  /** Returns the id of the restored resource, when there is one. */
  restore(ctx: PluginContext, resource: GraphResource): Promise<{ id?: string }>;
  delete(ctx: PluginContext, resource: GraphResource): Promise<void>;
  /**
   * Copies what the source checkpoint (`ctx.copyOf`) holds of the resource
   * into the copy (`ctx.checkpointId`, `ctx.bank`), at `ctx.copyOf.destination`.
   * A plugin without it cannot copy: its resources fail the copy.
   */
  copy?(ctx: PluginContext, resource: GraphResource): Promise<void>;
  /**
   * Checks what the checkpoint holds of the resource (`ctx.parameters.depth`:
   * its verify_schema). A scratch resource it makes is named by the
   * restore-target rule after `ctx.restoreId` (the verification) and removed
   * in a step that always runs, also after a crash and replay.
   */
  verify(ctx: PluginContext, resource: GraphResource): Promise<VerifyResult>;
}

/** A resource's verification: `ok` false is its `fail`; `reason` says what was checked, or what differs. */
export interface VerifyResult {
  ok: boolean;
  reason: string;
}

/** The depth a verification asks of one resource (verify_schema `depth`), or the plugin's default. */
export const verifyDepth = (ctx: PluginContext, fallback: 'basic' | 'full', allowed: readonly string[] = ['basic', 'full']): 'basic' | 'full' => {
  const depth = ctx.parameters.depth ?? fallback;
  if (!allowed.includes(depth)) throw new Error(`depth must be one of ${allowed.join(', ')}, got ${depth}`);
  return depth as 'basic' | 'full';
};

/**
 * What encrypts a resource's artifacts (docs/decisions.md §27), by artifact
 * id (a snapshot, a backup ARN): a KMS key ARN, AWS_OWNED_KEY (a key AWS
 * owns, which names no KMS key: DynamoDB's default, SSE-S3), or null (not
 * encrypted). A plugin writes it into its bank folder as KEYS_FILE; the job
 * gathers every resource's into the checkpoint's `extra_info.keys`.
 */
export type ArtifactKeys = Record<string, string | null>;
export const KEYS_FILE = 'keys.json';
export const AWS_OWNED_KEY = 'aws-owned';

/** Records the resource's artifact keys in its bank folder (a repeat writes the same). */
export const recordKeys = (ctx: PluginContext, keys: ArtifactKeys): Promise<void> => ctx.bank.put(KEYS_FILE, JSON.stringify(keys));

/** Runs a plugin's copy; a plugin without one fails the resource, saying so. */
export const copyWith = async (plugin: ProtectionPlugin, ctx: PluginContext, resource: GraphResource): Promise<void> => {
  if (!plugin.copy) throw new Error(`the plugin of ${resource.type} cannot copy`);
  await plugin.copy(ctx, resource);
};

/** Finds the plugin a provider names for a type (`undefined`: not available in this runtime). */
export type PluginRegistry = (pluginName: string) => ProtectionPlugin | undefined;

/** What an SDK client's `credentials` option takes: a function the client calls before it signs. */
export interface TenantIdentity {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type TenantCredentialProvider = () => Promise<TenantIdentity>;

/** Hands out credentials scoped to one project; one per worker invocation (`tenantCredentials`). */
export type TenantCredentials = (projectId: string) => TenantCredentialProvider;
