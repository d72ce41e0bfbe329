import { DescribeSnapshotsCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { ArtifactKeys } from '../../plugins';

/**
 * The key of each EBS snapshot (docs/decisions.md §27): its KmsKeyId when
 * encrypted (EBS names the key by ARN), else null. What a checkpoint records
 * of the snapshots it made or copied.
 */
export const snapshotKeys = async (ec2: EC2Client, ids: readonly string[]): Promise<ArtifactKeys> => {
  if (ids.length === 0) return {};
  const { Snapshots = [] } = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [...ids] }));
  const keys: ArtifactKeys = {};
  for (const s of Snapshots) if (s.SnapshotId) keys[s.SnapshotId] = s.Encrypted ? (s.KmsKeyId ?? null) : null;
  return keys;
};
