import type { Identity } from '../../kernel/identity';
import { checkpointProblem, MAX_FIELD_BYTES } from '../checkpoints/model';
import { InvalidInputError } from '../../kernel/errors';
import type { ListOptions } from '../../kernel/list-options';
import type { OperationLog } from '../operation-logs/model';
import { listRecords, type RecordNames, showRecord } from '../../kernel/records';
import type { RestoreParameters } from '../restores/model';
import { type Verification, type VerificationDeps, NO_VERIFY } from './model';

/**
 * Creates a verification (docs/contract.md §8.2).
 * 1. pre-checks: provider, parameters (a non-empty map always fails: no
 *    provider has a verify schema), checkpoint under that provider;
 * 2. a member verifying another project's checkpoint is 403 with no row
 *    (docs/decisions.md §8; Karbor checks no ownership);
 * 3. the checkpoint must be `available`;
 * 4. no plugin can verify, so a verification that passes the checks fails
 *    as Karbor's does when its flow cannot be built; its `verify` operation
 *    log is written finished (`fail`), not left `in_progress` (docs/contract.md §8.2, Recommended).
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
