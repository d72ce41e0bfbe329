import { DescribeImagesCommand, EC2Client, LockSnapshotCommand, UnlockSnapshotCommand } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { snapshotLocks } from '../../../../../../../shared/features/protection/adapters/plugins/snapshot-locks';

/** moto_server has no LockSnapshot or UnlockSnapshot: these calls are mocked, their exact inputs asserted. */
const ec2 = mockClient(EC2Client);
const client = () => new EC2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const UNTIL = '2027-06-30T00:00:00.000Z';

describe('snapshot locks', () => {
  beforeEach(() => ec2.reset());

  it('locks each snapshot in the checkpoint lock mode until its date', async () => {
    // Prepare
    ec2.on(LockSnapshotCommand).resolves({});
    // Act
    await snapshotLocks(client()).lockSnapshots(['snap-1', 'snap-2'], { mode: 'compliance', until: UNTIL });
    // Assess
    expect(ec2.commandCalls(LockSnapshotCommand).map((c) => c.args[0].input)).toEqual([
      { SnapshotId: 'snap-1', LockMode: 'compliance', ExpirationDate: new Date(UNTIL) },
      { SnapshotId: 'snap-2', LockMode: 'compliance', ExpirationDate: new Date(UNTIL) },
    ]);
  });

  it('unlocks each snapshot when the lock is lifted', async () => {
    // Prepare
    ec2.on(UnlockSnapshotCommand).resolves({});
    // Act
    await snapshotLocks(client()).lockSnapshots(['snap-1'], null);
    // Assess
    expect(ec2.commandCalls(UnlockSnapshotCommand).map((c) => c.args[0].input)).toEqual([{ SnapshotId: 'snap-1' }]);
    expect(ec2.commandCalls(LockSnapshotCommand)).toHaveLength(0);
  });

  it("locks the EBS snapshots behind an image's block devices", async () => {
    // Prepare
    ec2.on(DescribeImagesCommand, { ImageIds: ['ami-1'] }).resolves({
      Images: [
        {
          ImageId: 'ami-1',
          BlockDeviceMappings: [
            { DeviceName: '/dev/xvda', Ebs: { SnapshotId: 'snap-root' } },
            { DeviceName: '/dev/sdb', VirtualName: 'ephemeral0' },
          ],
        },
      ],
    });
    ec2.on(LockSnapshotCommand).resolves({});
    // Act
    await snapshotLocks(client()).lockImages(['ami-1'], { mode: 'governance', until: UNTIL });
    // Assess
    expect(ec2.commandCalls(DescribeImagesCommand).map((c) => c.args[0].input)).toEqual([{ ImageIds: ['ami-1'] }]);
    expect(ec2.commandCalls(LockSnapshotCommand).map((c) => c.args[0].input)).toEqual([
      { SnapshotId: 'snap-root', LockMode: 'governance', ExpirationDate: new Date(UNTIL) },
    ]);
  });

  it('a failed lock fails the call, so the caller never reports data locked that is not', async () => {
    // Prepare
    ec2.on(LockSnapshotCommand).rejects(new Error('SnapshotLockedInComplianceMode'));
    // Act / Assess
    await expect(snapshotLocks(client()).lockSnapshots(['snap-1'], { mode: 'governance', until: UNTIL })).rejects.toThrow('SnapshotLockedInComplianceMode');
  });
});
