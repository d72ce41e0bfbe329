import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { documentClient, tableName } from '../aws/dynamo';
import type { ProtectionService } from '../domain/protection-service';

/**
 * A stand-in for the protection port until the protection feature's adapter
 * is wired: it records each request as an item (PK=PROTECT_REQUEST#<id>) and
 * has no checkpoints to prune.
 */
export const recordingProtection = (): ProtectionService => {
  const doc = documentClient();
  return {
    async protect(req) {
      const id = randomUUID();
      await doc.send(
        new PutCommand({
          TableName: tableName(),
          Item: { PK: `PROTECT_REQUEST#${id}`, SK: 'PROTECT_REQUEST', entity: 'protectRequest', schemaVersion: 1, id, ...req, requestedAt: new Date().toISOString() },
        }),
      );
      return { checkpointId: id };
    },
    async listCheckpoints() {
      return [];
    },
    async deleteCheckpoint() {
      return undefined;
    },
  };
};
