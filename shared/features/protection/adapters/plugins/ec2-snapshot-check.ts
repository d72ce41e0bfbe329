import { DescribeSnapshotsCommand, type EC2Client } from '@aws-sdk/client-ec2';

/**
 * Why the snapshots do not hold what a checkpoint needs (each missing or not
 * `completed`), or an empty list: a verification's basic check of EBS
 * snapshots (the EBS volume and EC2 instance plugins). One call per snapshot,
 * as DescribeSnapshots fails the whole call when one id is unknown.
 */
export const snapshotProblems = async (ec2: EC2Client, ids: readonly string[]): Promise<string[]> => {
  const problems: string[] = [];
  for (const id of ids) {
    try {
      const { Snapshots = [] } = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [id] }));
      const state = Snapshots[0]?.State;
      if (state === undefined) problems.push(`snapshot ${id} does not exist`);
      else if (state !== 'completed') problems.push(`snapshot ${id} is ${state}`);
    } catch (error) {
      if ((error as { name?: string }).name !== 'InvalidSnapshot.NotFound') throw error;
      problems.push(`snapshot ${id} does not exist`);
    }
  }
  return problems;
};
