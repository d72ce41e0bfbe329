import { randomIds, systemClock } from '../../kernel/ports';
import { documentClient, tableName } from '../../dynamo/client';
import { checkpointStore } from '../checkpoints/deps';
import { providerCatalog } from '../providers/deps';
import { dynamoVerificationStore } from './store';
import type { VerificationDeps } from './model';

/** The composition root of the verification functions. */
export const verificationDeps = (): VerificationDeps => {
  const doc = documentClient();
  return {
    verifications: dynamoVerificationStore(doc, tableName()),
    checkpoints: checkpointStore(),
    providers: providerCatalog(),
    clock: systemClock,
    ids: randomIds,
  };
};
