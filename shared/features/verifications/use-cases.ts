import type { Identity } from '../../kernel/identity';
import { checkpointProblem, MAX_FIELD_BYTES } from '../checkpoints/model';
import { InvalidInputError, ignoreConditionLost } from '../../kernel/errors';
import { WORK_EVENTS } from '../../events/names';
import { errorText } from '../jobs/model';
import { parametersProblem } from '../../kernel/parameter-schemas';
import type { ListOptions } from '../../kernel/list-options';
import type { OperationLog } from '../operation-logs/model';
import { listRecords, type RecordNames, showRecord } from '../../kernel/records';
import type { RestoreParameters } from '../restores/model';
import type { Verification, VerificationDeps } from './model';

const verificationEvent = (v: Verification, extra: Record<string, unknown> = {}) => ({
  verification_id: v.id,
  project_id: v.projectId,
  provider_id: v.providerId,
  checkpoint_id: v.checkpointId,
  status: v.status,
  ...extra,
});

/**
 * Creates a verification (docs/contract.md §8.2).
 * 1. pre-checks in Karbor's order: provider, parameters against the
 *    provider's verify_schema (our extension: Karbor's providers declare
 *    none, so it fails every non-empty map; docs/decisions.md, Verification),
 *    checkpoint under that provider;
 * 2. a member verifying another project's checkpoint is 403 with no row
 *    (docs/decisions.md §8; Karbor checks no ownership);
 * 3. the checkpoint must be `available`; a failed pre-check writes the
 *    verification `fail` (200, as Karbor), with no operation log;
 * 4. otherwise write it `in_progress` with its `verify` operation log and
 *    ask the protection worker (shared/features/protection/jobs/verify.ts);
 *    if that fails, the verification and its log are marked `fail`.
 */
export const createVerification = async (
  deps: VerificationDeps,
  identity: Identity,
  input: { providerId: string; checkpointId: string; parameters: RestoreParameters; id?: string; drill?: Verification['drill'] },
): Promise<Verification> => {
  const now = deps.clock.now();
  const nowIso = now.toISOString();
  // Never a 500 for an item DynamoDB would refuse (400 KB).
  if (Buffer.byteLength(JSON.stringify(input.parameters)) > MAX_FIELD_BYTES) {
    throw new InvalidInputError(`Invalid input received: parameters are larger than ${MAX_FIELD_BYTES} bytes.`);
  }
  const provider = deps.providers.all().find((p) => p.id === input.providerId);
  let problem: string | undefined;
  if (!provider) problem = `Provider ${input.providerId} could not be found.`;
  else problem = parametersProblem(provider.extendedInfoSchema.verify_schema, input.parameters, 'verify');
  if (problem === undefined) problem = await checkpointProblem(deps, identity, input, nowIso);
  const verification: Verification = {
    // A drill names its verification before it starts it (its guard holds the id: docs/decisions.md §24).
    id: input.id ?? deps.ids.newId(),
    projectId: identity.projectId,
    providerId: input.providerId,
    checkpointId: input.checkpointId,
    parameters: input.parameters,
    status: problem === undefined ? 'in_progress' : 'fail',
    resourcesStatus: {},
    resourcesReason: {},
    createdAt: nowIso,
    deadline: new Date(now.getTime() + deps.deadlineSeconds * 1000).toISOString(),
    attempts: 0,
    ...(problem === undefined ? {} : { errorReason: problem }),
    ...(input.drill ? { drill: input.drill } : {}),
  };
  const log: OperationLog | undefined =
    problem === undefined
      ? {
          id: deps.ids.newId(),
          projectId: verification.projectId,
          operationType: 'verify',
          checkpointId: verification.checkpointId,
          planId: input.drill?.planId ?? null,
          providerId: verification.providerId,
          restoreId: null,
          scheduledOperationId: input.drill?.scheduledOperationId ?? null,
          status: 'in_progress',
          startedAt: nowIso,
          endedAt: null,
          errorInfo: null,
          extraInfo: null,
        }
      : undefined;
  if (log) verification.operationLogId = log.id;
  await deps.verifications.create(verification, log);
  if (problem !== undefined) return verification;
  try {
    await deps.events.publish([{ detailType: WORK_EVENTS.verificationRequested, detail: verificationEvent(verification) }]);
  } catch (error) {
    const reason = `Verification could not be started: ${errorText(error)}`;
    deps.log({ level: 'ERROR', message: 'a verification could not be started', verification_id: verification.id, error: errorText(error) });
    // A verification the worker already took (the event reached it after all) keeps its own outcome.
    await deps.verifications
      .fail(verification.id, reason, { id: log!.id, changes: { status: 'fail', endedAt: nowIso, errorInfo: reason } })
      .catch(ignoreConditionLost);
    return { ...verification, status: 'fail', errorReason: reason };
  }
  return verification;
};

const VERIFICATION_NAMES: RecordNames = { idName: 'verification', name: 'Verification' };

export const showVerification = (deps: Pick<VerificationDeps, 'verifications'>, identity: Identity, id: string): Promise<Verification> =>
  showRecord(deps.verifications, VERIFICATION_NAMES, identity, id);

export const listVerifications = (deps: Pick<VerificationDeps, 'verifications'>, identity: Identity, options: ListOptions): Promise<Verification[]> =>
  listRecords(deps.verifications, VERIFICATION_NAMES, identity, options);
