import type { Identity } from '../auth/identity';
import { CHECKPOINT_FAILURES, Checkpoint, Clock, MAX_FIELD_BYTES } from './checkpoints';
import { ForbiddenError, InvalidInputError, NotFoundError } from './errors';
import { effectiveStatus } from './jobs';
import type { ListOptions, ListRules } from './list-options';
import type { OperationLog } from './operation-logs';
import type { ProviderCatalog } from './providers';
import type { RestoreParameters } from './restores';
import { isUuidLike } from './uuid';

/** A verification (contract §8.2): Karbor's `verifications` row. */
export interface Verification {
  id: string;
  projectId: string;
  providerId: string;
  checkpointId: string;
  parameters: RestoreParameters;
  status: 'in_progress' | 'success' | 'fail';
  resourcesStatus: Record<string, string>;
  resourcesReason: Record<string, string>;
  createdAt: string;
  errorReason?: string;
}

export interface VerificationQuery {
  projectId?: string;
  filters: Record<string, string[]>;
  dir: 'asc' | 'desc';
  limit: number;
  after?: Verification;
}

export interface VerificationStore {
  /** Writes the verification and its operation log together. */
  create(v: Verification, log?: OperationLog): Promise<void>;
  get(id: string): Promise<Verification | undefined>;
  list(q: VerificationQuery): Promise<Verification[]>;
}

export interface VerificationDeps {
  verifications: VerificationStore;
  checkpoints: { get(id: string): Promise<Checkpoint | undefined> };
  providers: ProviderCatalog;
  clock: Clock;
  newId: () => string;
}

export const verificationListRules: ListRules = {
  sortKeys: ['created_at', 'id'],
  memberFilters: ['status'],
  adminFilters: ['id', 'project_id', 'provider_id', 'checkpoint_id'],
  allTenants: true,
};

export const verificationView = (v: Verification) => ({
  id: v.id,
  project_id: v.projectId,
  provider_id: v.providerId,
  checkpoint_id: v.checkpointId,
  parameters: v.parameters,
  status: v.status,
  resources_status: v.resourcesStatus,
  resources_reason: v.resourcesReason,
});

/** No plugin of this deployment has a verify operation (Karbor's providers expose no verify_schema either). */
export const NO_VERIFY = 'The verify operation is not supported by the plugins of this provider.';

/**
 * Creates a verification (contract §8.2).
 * 1. pre-checks: provider, parameters (a non-empty map always fails: no
 *    provider has a verify schema), checkpoint under that provider;
 * 2. a member verifying another project's checkpoint is 403 with no row
 *    (DECISIONS.md 8; Karbor checks no ownership);
 * 3. the checkpoint must be `available`;
 * 4. no plugin can verify, so a verification that passes the checks fails
 *    as Karbor's does when its flow cannot be built; its `verify` operation
 *    log is written finished (`fail`), not left `in_progress` (contract §8.2, Recommended).
 */
export const createVerification = async (
  deps: VerificationDeps,
  identity: Identity,
  input: { providerId: string; checkpointId: string; parameters: RestoreParameters },
): Promise<Verification> => {
  const now = deps.clock.now().toISOString();
  // Never a 500 for an item DynamoDB would refuse (400 KB).
  if (Buffer.byteLength(JSON.stringify(input.parameters)) > MAX_FIELD_BYTES) {
    throw new InvalidInputError(`Invalid input received: parameters are larger than ${MAX_FIELD_BYTES} bytes.`);
  }
  let problem: string | undefined;
  let flowProblem = false;
  if (!deps.providers.all().some((p) => p.id === input.providerId)) problem = `Provider ${input.providerId} could not be found.`;
  else if (Object.keys(input.parameters).length > 0) problem = 'The verify schema of plugin must be provided.';
  else {
    const checkpoint = await deps.checkpoints.get(input.checkpointId);
    if (!checkpoint || checkpoint.providerId !== input.providerId) problem = `Checkpoint ${input.checkpointId} could not be found.`;
    else if (!identity.isAdmin && checkpoint.projectId !== identity.projectId) {
      throw new ForbiddenError(`Access checkpoint ${input.checkpointId} is not allowed`);
    } else if (effectiveStatus(checkpoint, now, CHECKPOINT_FAILURES) !== 'available') problem = `The checkpoint ${input.checkpointId} is not available.`;
    else {
      problem = NO_VERIFY;
      flowProblem = true;
    }
  }
  const verification: Verification = {
    id: deps.newId(),
    projectId: identity.projectId,
    providerId: input.providerId,
    checkpointId: input.checkpointId,
    parameters: input.parameters,
    status: 'fail',
    resourcesStatus: {},
    resourcesReason: {},
    createdAt: now,
    errorReason: problem,
  };
  const log: OperationLog | undefined = flowProblem
    ? {
        id: deps.newId(),
        projectId: verification.projectId,
        operationType: 'verify',
        checkpointId: verification.checkpointId,
        planId: null,
        providerId: verification.providerId,
        restoreId: null,
        scheduledOperationId: null,
        status: 'fail',
        startedAt: now,
        endedAt: now,
        errorInfo: problem ?? null,
        extraInfo: null,
      }
    : undefined;
  await deps.verifications.create(verification, log);
  return verification;
};

export const showVerification = async (deps: Pick<VerificationDeps, 'verifications'>, identity: Identity, id: string): Promise<Verification> => {
  if (!isUuidLike(id)) throw new InvalidInputError('Invalid verification id provided.');
  const v = await deps.verifications.get(id);
  if (!v || (!identity.isAdmin && v.projectId !== identity.projectId)) throw new NotFoundError(`Verification ${id} could not be found.`);
  return v;
};

export const listVerifications = async (deps: Pick<VerificationDeps, 'verifications'>, identity: Identity, options: ListOptions): Promise<Verification[]> => {
  const projectId = options.allTenants ? undefined : identity.projectId;
  let after: Verification | undefined;
  if (options.marker !== undefined) {
    after = isUuidLike(options.marker) ? await deps.verifications.get(options.marker) : undefined;
    if (!after || (projectId !== undefined && after.projectId !== projectId)) throw new NotFoundError(`Verification ${options.marker} could not be found.`);
  }
  const items = await deps.verifications.list({
    projectId,
    filters: options.filters,
    dir: options.sort[0]?.dir === 'asc' ? 'asc' : 'desc',
    limit: options.offset + options.limit,
    after,
  });
  return items.slice(options.offset, options.offset + options.limit);
};
