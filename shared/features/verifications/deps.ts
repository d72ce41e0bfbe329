import * as config from '../../config';
import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import { checkpointStore } from '../checkpoints/deps';
import { eventPublisher } from '../../events/publisher';
import { providerCatalog } from '../providers/deps';
import { dynamoVerificationStore } from './store';
import { effectiveStatus } from '../jobs/model';
import { createVerification } from './use-cases';
import { VERIFICATION_FAILURES, type Verification, type VerificationDeps, type VerificationRepository, type VerificationStarter } from './model';
import { jsonLog } from '../../observability/log';

/** The verification store (the protection worker runs verifications through it). */
export const verificationStore = (): VerificationRepository => dynamoVerificationStore(documentClient(), tableName());

/** The composition root of the verification functions. */
export const verificationDeps = (): VerificationDeps => ({
  verifications: verificationStore(),
  checkpoints: checkpointStore(),
  providers: providerCatalog(),
  events: eventPublisher(),
  clock: systemClock,
  ids: randomIds,
  log: jsonLog,
  deadlineSeconds: config.jobDeadlineSeconds(),
});

/**
 * The VerificationStarter port over the create use case: what a drill
 * (shared/features/drills) calls. Build it once at module scope.
 */
export const verificationStarter = (): VerificationStarter => {
  const deps = verificationDeps();
  return {
    start: (identity, input) => createVerification(deps, identity, input),
    async statuses(ids, now) {
      // One consistent read per id: a drill reads at most its cap of slots and its plan's guard.
      const found = await Promise.all([...new Set(ids)].map((id) => deps.verifications.get(id)));
      return new Map(
        found.filter((v): v is Verification => v !== undefined).map((v) => [v.id, effectiveStatus(v, now, VERIFICATION_FAILURES) as Verification['status']]),
      );
    },
  };
};
