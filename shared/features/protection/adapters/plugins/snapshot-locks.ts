import { DescribeImagesCommand, type EC2Client, LockSnapshotCommand, UnlockSnapshotCommand } from '@aws-sdk/client-ec2';
import type { BankRetention } from '../../../../kernel/ports';

/** The IAM actions the snapshot locks send (test: plugins/iam-actions.test.ts). */
export const snapshotLockActions = ['ec2:DescribeImages', 'ec2:LockSnapshot', 'ec2:UnlockSnapshot'] as const;

/**
 * A checkpoint's lock on its EBS snapshots and on the snapshots behind its
 * AMIs (docs/decisions.md §19), with EC2 snapshot lock: the same mode and end
 * as the checkpoint's. Compliance gets no cool-off period, so it binds at once
 * (EC2 then refuses to shorten or remove it, whoever asks).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_LockSnapshot.html
 */
export const snapshotLocks = (ec2: EC2Client) => {
  const lockSnapshots = async (snapshotIds: readonly string[], retention: BankRetention | null): Promise<void> => {
    for (const SnapshotId of snapshotIds) {
      if (retention === null) await ec2.send(new UnlockSnapshotCommand({ SnapshotId }));
      else await ec2.send(new LockSnapshotCommand({ SnapshotId, LockMode: retention.mode, ExpirationDate: new Date(retention.until) }));
    }
  };
  return {
    lockSnapshots,
    /** Locks every EBS snapshot an image's block devices are made from (an AMI itself has no lock of its own). */
    async lockImages(imageIds: readonly string[], retention: BankRetention | null): Promise<void> {
      if (imageIds.length === 0) return;
      const { Images = [] } = await ec2.send(new DescribeImagesCommand({ ImageIds: [...imageIds] }));
      const snapshots = Images.flatMap((i) => i.BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
      await lockSnapshots(snapshots, retention);
    },
  };
};
