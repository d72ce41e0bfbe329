import * as config from '../../config';
import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import { checkpointStore } from '../checkpoints/deps';
import { eventPublisher } from '../../events/publisher';
import { providerCatalog } from '../providers/deps';
import { dynamoVerificationStore } from './store';
import type { VerificationDeps, VerificationRepository } from './model';
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
