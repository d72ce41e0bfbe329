import type { Identity } from '../../kernel/identity';
import { Checkpoint, MAX_FIELD_BYTES } from '../checkpoints/use-cases';
import { InvalidInputError } from '../../kernel/errors';
import type { ListOptions, ListRules } from '../../kernel/list-options';
import type { OperationLog } from '../operation-logs/use-cases';
import { listRecords, RecordNames, RecordQuery, showRecord } from '../../kernel/records';
import type { ProviderCatalog } from '../providers/use-cases';
import { checkpointProblem, RestoreParameters } from '../restores/use-cases';
import type { Clock, IdGen } from '../../kernel/ports';

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

export type VerificationQuery = RecordQuery<Verification>;

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
  ids: IdGen;
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
    problem = await checkpointProblem(deps, identity, input, now);
    if (problem === undefined) {
      problem = NO_VERIFY;
      flowProblem = true;
    }
  }
  const verification: Verification = {
    id: deps.ids.newId(),
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
        id: deps.ids.newId(),
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

const VERIFICATION_NAMES: RecordNames = { idName: 'verification', name: 'Verification' };

export const showVerification = (deps: Pick<VerificationDeps, 'verifications'>, identity: Identity, id: string): Promise<Verification> =>
  showRecord(deps.verifications, VERIFICATION_NAMES, identity, id);

export const listVerifications = (deps: Pick<VerificationDeps, 'verifications'>, identity: Identity, options: ListOptions): Promise<Verification[]> =>
  listRecords(deps.verifications, VERIFICATION_NAMES, identity, options);
