import { DescribeImagesCommand, type EC2Client } from '@aws-sdk/client-ec2';
import type { ArtifactKeys } from '../../plugins';

/** The keys of an image's EBS snapshots, as its block device mappings name them (an unencrypted one: null). */
export const imageKeys = async (ec2: EC2Client, imageId: string): Promise<ArtifactKeys> => {
  const { Images = [] } = await ec2.send(new DescribeImagesCommand({ ImageIds: [imageId] }));
  const keys: ArtifactKeys = {};
  for (const m of Images[0]?.BlockDeviceMappings ?? []) {
    if (m.Ebs?.SnapshotId) keys[m.Ebs.SnapshotId] = m.Ebs.Encrypted ? (m.Ebs.KmsKeyId ?? null) : null;
  }
  return keys;
};
