import {
  CreateImageCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  EC2Client,
  RunInstancesCommand,
} from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { ec2InstancePlugin } from '../../../../../../../shared/features/protection/adapters/plugins/ec2-instance';
import { pluginContext } from '../../../../../../support/plugin-context';

const ec2 = mockClient(EC2Client);
const INSTANCE = { type: 'AWS::EC2::Instance', id: 'i-1', name: 'web', extraInfo: null };
const client = () => new EC2Client({ region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
const plugin = () => ec2InstancePlugin(client(), { projectTagKey: 'team' });
const KARBOR_TAGS = [
  { Key: 'team', Value: 'p1' },
  { Key: 'karbor:checkpoint', Value: 'cp-1' },
  { Key: 'karbor:resource', Value: 'i-1' },
];
const TAGGED = [
  { Name: 'tag:karbor:checkpoint', Values: ['cp-1'] },
  { Name: 'tag:karbor:resource', Values: ['i-1'] },
];
const protectCtx = (parameters: Record<string, string> = {}) => pluginContext({ restoreId: undefined, parameters });

describe('EC2 instance plugin', () => {
  beforeEach(() => ec2.reset());

  it('reboots for the image only when no_reboot is "False"', async () => {
    // Prepare
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-1' }] }] });
    ec2.on(DescribeImagesCommand, { Owners: ['self'], Filters: TAGGED }).resolves({ Images: [] });
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-1' });
    ec2.on(DescribeImagesCommand, { ImageIds: ['ami-1'] }).resolves({ Images: [{ ImageId: 'ami-1', State: 'available' }] });
    const { ctx } = protectCtx({ no_reboot: 'False', image_name: 'nightly' });
    // Act
    await plugin().protect(ctx, INSTANCE);
    // Assess
    expect(ec2.commandCalls(CreateImageCommand)[0].args[0].input).toMatchObject({ Name: 'nightly', NoReboot: false });
  });

  it('fails the resource when the image fails', async () => {
    // Prepare
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-1' }] }] });
    ec2.on(DescribeImagesCommand, { Owners: ['self'], Filters: TAGGED }).resolves({ Images: [] });
    ec2.on(CreateImageCommand).resolves({ ImageId: 'ami-1' });
    ec2.on(DescribeImagesCommand, { ImageIds: ['ami-1'] }).resolves({ Images: [{ ImageId: 'ami-1', State: 'failed' }] });
    const { ctx } = protectCtx();
    // Act / Assess
    await expect(plugin().protect(ctx, INSTANCE)).rejects.toThrow();
  });

  it('restores by launching the image with the instance and its volumes tagged, and waits (a durable wait) until it runs', async () => {
    // Prepare
    const byRestore = {
      Filters: [
        { Name: 'tag:karbor:restore', Values: ['rrrrrrrr-1111'] },
        { Name: 'tag:karbor:resource', Values: ['i-1'] },
        { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] },
      ],
    };
    ec2.on(DescribeInstancesCommand, byRestore).resolves({ Reservations: [] });
    ec2.on(RunInstancesCommand).resolves({ Instances: [{ InstanceId: 'i-2' }] });
    ec2
      .on(DescribeInstancesCommand, { InstanceIds: ['i-2'] })
      .resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: 'i-2', State: { Name: 'pending', Code: 0 } }] }] })
      .resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-2', State: { Name: 'running', Code: 16 } }] }] });
    const { ctx, progress, waits } = pluginContext({ parameters: { instance_type: 't3.small', restore_name: 'web-again' } });
    await ctx.bank.put('image.json', JSON.stringify({ image_id: 'ami-1', instance_type: 't3.micro', subnet_id: 'subnet-1', snapshot_ids: [] }));
    // Act
    const result = await plugin().restore(ctx, INSTANCE);
    // Assess
    const tags = [{ Key: 'Name', Value: 'web-again' }, ...KARBOR_TAGS, { Key: 'karbor:restore', Value: 'rrrrrrrr-1111' }];
    expect(result).toEqual({ id: 'i-2' });
    expect(ec2.commandCalls(DescribeInstancesCommand)[0].args[0].input).toEqual(byRestore);
    expect(ec2.commandCalls(RunInstancesCommand)[0].args[0].input).toEqual({
      ImageId: 'ami-1',
      InstanceType: 't3.small',
      SubnetId: 'subnet-1',
      MinCount: 1,
      MaxCount: 1,
      TagSpecifications: [
        { ResourceType: 'instance', Tags: tags },
        { ResourceType: 'volume', Tags: tags },
      ],
    });
    expect(progress.map((p) => p[0])).toEqual(['restoring', 'available']);
    expect(waits).toEqual([5]);
  });

  it('names the image and snapshots it could not remove, and leaves the snapshots of an image it could not deregister', async () => {
    ec2.on(DescribeImagesCommand).resolves({ Images: [] });
    ec2.on(DescribeSnapshotsCommand).resolves({ Snapshots: [] });
    ec2.on(DeregisterImageCommand).rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    const { ctx } = pluginContext();
    await ctx.bank.put('image.json', JSON.stringify({ image_id: 'ami-1', snapshot_ids: ['snap-a'] }));
    await expect(plugin().delete(ctx, INSTANCE)).rejects.toThrow('could not remove image ami-1, snapshot snap-a: denied');
    expect(ec2.commandCalls(DeleteSnapshotCommand)).toHaveLength(0);
  });
});
