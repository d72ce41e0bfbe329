import { CreateVolumeCommand, DescribeSnapshotsCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { startTestServer, type TestServer } from '../support/local-server';
import { describeMoto, type Moto, startMoto, tagsOf } from '../support/moto';
import { waitFor } from '../support/wait';

const AWS_PROVIDER = '5e2e3a0c-7d41-4c1f-9b7a-2d8f0e6a1b35';
const P = 'laptop';
const TYPE = 'AWS::EC2::Volume';

/**
 * `npm start` against moto (docs/operations.md, EC2 and EBS on a laptop):
 * the local server with AWS_ENDPOINT_URL_EC2 set protects, restores and
 * deletes an EBS volume of a moto_server end to end, through the API.
 */
describeMoto('the local server with the AWS provider on moto_server (AWS_ENDPOINT_URL_EC2)', () => {
  let moto: Moto;
  let ec2: EC2Client;
  let server: TestServer;
  beforeAll(async () => {
    moto = await startMoto();
    ec2 = new EC2Client(moto.clientConfig);
    // The SDK's credential chain reads the process environment (test/support/hermetic-env.ts scrubs it): moto takes any keys.
    process.env.AWS_ACCESS_KEY_ID = 'testing';
    process.env.AWS_SECRET_ACCESS_KEY = 'testing';
    server = await startTestServer({ settings: { AWS_ENDPOINT_URL_EC2: moto.endpoint, AWS_REGION: 'eu-west-1' } });
  });
  afterAll(async () => {
    await server?.stop();
    ec2?.destroy();
    await moto?.stop();
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
  });

  const ofVolume = (id: string) => ec2.send(new DescribeSnapshotsCommand({ Filters: [{ Name: 'volume-id', Values: [id] }] }));

  it('lists a moto volume, protects it with a snapshot, restores a new volume from it and deletes the snapshot with the checkpoint', async () => {
    // Prepare: a volume in moto, seen by the project's EC2 discovery
    const { VolumeId } = await ec2.send(
      new CreateVolumeCommand({
        AvailabilityZone: 'eu-west-1a',
        Size: 4,
        VolumeType: 'gp3',
        TagSpecifications: [{ ResourceType: 'volume', Tags: [{ Key: 'Name', Value: 'data' }] }],
      }),
    );
    const instances = await server.call('GET', `/v1/${P}/protectables/${TYPE}/instances`);
    expect(instances.body.instances).toEqual([expect.objectContaining({ id: VolumeId, type: TYPE, name: 'data' })]);
    const plan = await server.call('POST', `/v1/${P}/plans`, {
      body: { plan: { name: 'volumes', provider_id: AWS_PROVIDER, parameters: {}, resources: [{ id: VolumeId, type: TYPE, name: 'data' }] } },
    });
    expect(plan.status).toBe(200);

    // Act: protect
    const created = await server.call('POST', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints`, { body: { checkpoint: { plan_id: plan.body.plan.id } } });
    const checkpointId = created.body.checkpoint.id;
    const checkpoint = await waitFor(
      () => server.call('GET', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints/${checkpointId}`),
      (r) => r.body.checkpoint.status !== 'protecting',
      { tries: 600, intervalMs: 100 },
    );

    // Assess: available, and moto holds one snapshot of the volume with Karbor's tags
    expect(checkpoint.body.checkpoint.status).toBe('available');
    const { Snapshots = [] } = await ofVolume(VolumeId!);
    expect(Snapshots).toHaveLength(1);
    expect(tagsOf(Snapshots[0].Tags)).toMatchObject({ 'karbor:checkpoint': checkpointId, 'karbor:resource': VolumeId });

    // Act: restore
    const restore = await server.call('POST', `/v1/${P}/restores`, {
      body: { restore: { provider_id: AWS_PROVIDER, checkpoint_id: checkpointId, parameters: { [TYPE]: { restore_name: 'data-again' } } } },
    });
    const done = await waitFor(
      () => server.call('GET', `/v1/${P}/restores/${restore.body.restore.id}`),
      (r) => r.body.restore.status !== 'in_progress',
      { tries: 600, intervalMs: 100 },
    );

    // Assess: a new volume in moto from that snapshot, named as asked and tagged with the restore
    expect(done.body.restore.status).toBe('success');
    const restoredId = done.body.restore.restored_as[`${TYPE}#${VolumeId}`];
    expect(restoredId).not.toBe(VolumeId);
    const { Volumes = [] } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [restoredId] }));
    expect(Volumes[0]).toMatchObject({ SnapshotId: Snapshots[0].SnapshotId, Size: 4, VolumeType: 'gp3', AvailabilityZone: 'eu-west-1a' });
    expect(tagsOf(Volumes[0].Tags)).toMatchObject({ Name: 'data-again', 'karbor:restore': restore.body.restore.id, 'karbor:resource': VolumeId });

    // Act: delete the checkpoint
    await server.call('DELETE', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints/${checkpointId}`);
    const deleted = await waitFor(
      () => server.call('GET', `/v1/${P}/providers/${AWS_PROVIDER}/checkpoints/${checkpointId}`),
      (r) => r.body.checkpoint.status !== 'deleting',
      { tries: 600, intervalMs: 100 },
    );

    // Assess: the snapshot is gone from moto; the restored volume stays
    expect(deleted.body.checkpoint.status).toBe('deleted');
    expect((await ofVolume(VolumeId!)).Snapshots).toEqual([]);
    expect((await ec2.send(new DescribeVolumesCommand({ VolumeIds: [restoredId] }))).Volumes).toHaveLength(1);
  }, 120000);
});
