import { DescribeInstancesCommand, DescribeVolumesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { mockClient } from 'aws-sdk-client-mock';
import { ec2InstancesSource, ec2VolumesSource } from '../../../../../../shared/features/protectables/adapters/ec2';

const ec2 = mockClient(EC2Client);

/**
 * The SDK paginator reuses one input object across pages, so recorded calls
 * all show the last token: snapshot each input when it is sent instead.
 */
const pagesOf =
  <T>(pages: T[], seen: unknown[]) =>
  (input: object) => {
    seen.push(JSON.parse(JSON.stringify(input)));
    return pages.shift();
  };
const ctx = { projectId: 'p1' };
const admin = { projectId: 'p1', isAdmin: true };
const TENANCY = { tagKey: 'team', scoping: 'tags' as const, ownTable: 'karbor' };
const TAGGED = { Name: 'tag:team', Values: ['p1'] };
const LIVE_STATES = { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] };
const LIVE = [LIVE_STATES, TAGGED];

describe('EC2 instance discovery', () => {
  beforeEach(() => ec2.reset());

  it('lists every page of live instances', async () => {
    // Prepare
    const seen: unknown[] = [];
    ec2.on(DescribeInstancesCommand).callsFake(
      pagesOf(
        [
          {
            Reservations: [
              {
                Instances: [
                  { InstanceId: 'i-1', Tags: [{ Key: 'Name', Value: 'web' }], Placement: { AvailabilityZone: 'eu-west-1a' }, InstanceType: 't3.micro' },
                ],
              },
            ],
            NextToken: 'page2',
          },
          { Reservations: [{ Instances: [{ InstanceId: 'i-2' }] }] },
        ],
        seen,
      ),
    );
    const source = ec2InstancesSource(new EC2Client({ region: 'eu-west-1' }), TENANCY);
    // Act
    const found = await source.list(ctx);
    // Assess
    expect(found).toEqual([
      { id: 'i-1', type: 'AWS::EC2::Instance', name: 'web', extra_info: { availability_zone: 'eu-west-1a', instance_type: 't3.micro' } },
      { id: 'i-2', type: 'AWS::EC2::Instance', name: null, extra_info: { availability_zone: null, instance_type: null } },
    ]);
    expect(seen).toEqual([{ Filters: LIVE }, { Filters: LIVE, NextToken: 'page2' }]);
  });

  it('shows one instance by id and answers undefined for an unknown one', async () => {
    ec2.on(DescribeInstancesCommand, { InstanceIds: ['i-1'], Filters: LIVE }).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-1' }] }] });
    ec2
      .on(DescribeInstancesCommand, { InstanceIds: ['i-404'], Filters: LIVE })
      .rejects(Object.assign(new Error('nope'), { name: 'InvalidInstanceID.NotFound' }));
    const source = ec2InstancesSource(new EC2Client({ region: 'eu-west-1' }), TENANCY);
    expect((await source.show(ctx, 'i-1'))?.id).toBe('i-1');
    expect(await source.show(ctx, 'i-404')).toBeUndefined();
    expect(ec2.commandCalls(DescribeInstancesCommand)[0].args[0].input).toEqual({ InstanceIds: ['i-1'], Filters: LIVE });
  });

  it('sends no tag filter for an admin, nor for anyone when scoping is off', async () => {
    // Prepare
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-1' }] }] });
    // Act
    await ec2InstancesSource(new EC2Client({ region: 'eu-west-1' }), TENANCY).show(admin, 'i-1');
    await ec2InstancesSource(new EC2Client({ region: 'eu-west-1' }), { ...TENANCY, scoping: 'none' }).list(ctx);
    // Assess
    expect(ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceIds: ['i-1'], Filters: [LIVE_STATES] },
      { Filters: [LIVE_STATES] },
    ]);
  });

  it('answers undefined for an instance EC2 does not return under the project tag filter (untagged or another project’s)', async () => {
    ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
    expect(await ec2InstancesSource(new EC2Client({ region: 'eu-west-1' }), TENANCY).show(ctx, 'i-foreign')).toBeUndefined();
    expect(ec2.commandCalls(DescribeInstancesCommand)[0].args[0].input).toEqual({ InstanceIds: ['i-foreign'], Filters: LIVE });
  });

  it('passes other EC2 errors on', async () => {
    ec2.on(DescribeInstancesCommand).rejects(Object.assign(new Error('denied'), { name: 'UnauthorizedOperation' }));
    const source = ec2InstancesSource(new EC2Client({ region: 'eu-west-1' }), TENANCY);
    await expect(source.show(ctx, 'i-1')).rejects.toThrow('denied');
  });
});

describe('EC2 volume discovery', () => {
  beforeEach(() => ec2.reset());

  it('lists every page of volumes', async () => {
    const seen: unknown[] = [];
    ec2
      .on(DescribeVolumesCommand)
      .callsFake(
        pagesOf(
          [{ Volumes: [{ VolumeId: 'vol-1', AvailabilityZone: 'a' }], NextToken: 't' }, { Volumes: [{ VolumeId: 'vol-2', AvailabilityZone: 'b' }] }],
          seen,
        ),
      );
    const found = await ec2VolumesSource(new EC2Client({ region: 'eu-west-1' }), TENANCY).list(ctx);
    expect(found.map((v) => [v.id, v.extra_info])).toEqual([
      ['vol-1', { availability_zone: 'a' }],
      ['vol-2', { availability_zone: 'b' }],
    ]);
    expect(seen).toEqual([{ Filters: [TAGGED] }, { Filters: [TAGGED], NextToken: 't' }]);
  });

  it('finds a server’s dependents through its attachments', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-9' }] });
    const parent = { id: 'i-7', type: 'AWS::EC2::Instance', name: null, extra_info: null };
    const found = await ec2VolumesSource(new EC2Client({ region: 'eu-west-1' }), TENANCY).dependentsOf(ctx, parent);
    expect(found.map((v) => v.id)).toEqual(['vol-9']);
    expect(ec2.commandCalls(DescribeVolumesCommand)[0].args[0].input).toEqual({ Filters: [{ Name: 'attachment.instance-id', Values: ['i-7'] }, TAGGED] });
  });

  it('finds the volumes of many servers in one call per 200 of them, servers only', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-9' }] });
    const servers = Array.from({ length: 201 }, (_, i) => ({ id: `i-${i}`, type: 'AWS::EC2::Instance', name: null, extra_info: null }));
    const project = { id: 'p1', type: 'OS::Keystone::Project', name: null, extra_info: null };
    const found = await ec2VolumesSource(new EC2Client({ region: 'eu-west-1' }), TENANCY).dependentsOfAll?.(ctx, [...servers, project]);
    expect(found?.map((v) => v.id)).toEqual(['vol-9', 'vol-9']);
    expect(ec2.commandCalls(DescribeVolumesCommand).map((c) => c.args[0].input)).toEqual([
      { Filters: [{ Name: 'attachment.instance-id', Values: servers.slice(0, 200).map((s) => s.id) }, TAGGED] },
      { Filters: [{ Name: 'attachment.instance-id', Values: ['i-200'] }, TAGGED] },
    ]);
  });

  it('lists every volume as the project’s dependents and none for another project', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-1' }] });
    const source = ec2VolumesSource(new EC2Client({ region: 'eu-west-1' }), TENANCY);
    const project = { id: 'p1', type: 'OS::Keystone::Project', name: null, extra_info: null };
    expect((await source.dependentsOf(ctx, project)).map((v) => v.id)).toEqual(['vol-1']);
    expect(await source.dependentsOf(ctx, { ...project, id: 'p2' })).toEqual([]);
  });

  it('lists only the project’s tagged volumes as its dependents, even for an admin', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [{ VolumeId: 'vol-1' }] });
    const project = { id: 'p1', type: 'OS::Keystone::Project', name: null, extra_info: null };
    await ec2VolumesSource(new EC2Client({ region: 'eu-west-1' }), TENANCY).dependentsOf(admin, project);
    expect(ec2.commandCalls(DescribeVolumesCommand)[0].args[0].input).toEqual({ Filters: [TAGGED] });
  });

  it('shows a volume by id under the tag filter, and without it for an admin', async () => {
    ec2.on(DescribeVolumesCommand).resolves({ Volumes: [] });
    const source = ec2VolumesSource(new EC2Client({ region: 'eu-west-1' }), TENANCY);
    expect(await source.show(ctx, 'vol-1')).toBeUndefined();
    await source.show(admin, 'vol-1');
    expect(ec2.commandCalls(DescribeVolumesCommand).map((c) => c.args[0].input)).toEqual([
      { VolumeIds: ['vol-1'], Filters: [TAGGED] },
      { VolumeIds: ['vol-1'] },
    ]);
  });
});
