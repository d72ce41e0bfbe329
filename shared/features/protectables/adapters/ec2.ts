import {
  DescribeInstancesCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type Filter,
  type Instance,
  paginateDescribeInstances,
  paginateDescribeVolumes,
  type Tag,
  type Volume,
} from '@aws-sdk/client-ec2';
import { projectChildren, requiredTag } from '../sources';
import { type DiscoveryContext, EC2_NOT_FOUND_REASONS, type InstanceSource, type ProtectableInstance, type Tenancy } from '../model';

/*
 * EC2 discovery for `AWS::EC2::Instance` and `AWS::EC2::Volume`. A member
 * sees only what carries its project tag: EC2 filters by tag server-side
 * (`tag:<key>`), so an untagged or foreign id is simply not found.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeInstances.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeVolumes.html
 */

const nameTag = (tags: Tag[] | undefined): string | null => tags?.find((t) => t.Key === 'Name')?.Value ?? null;

/** Terminated instances linger in DescribeInstances for an hour; they cannot be protected. */
const LIVE_INSTANCES: Filter[] = [{ Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] }];

const instanceView = (i: Instance): ProtectableInstance => ({
  id: i.InstanceId ?? '',
  type: 'AWS::EC2::Instance',
  name: nameTag(i.Tags),
  extra_info: { availability_zone: i.Placement?.AvailabilityZone ?? null, instance_type: i.InstanceType ?? null },
});

const volumeView = (v: Volume): ProtectableInstance => ({
  id: v.VolumeId ?? '',
  type: 'AWS::EC2::Volume',
  name: nameTag(v.Tags),
  extra_info: { availability_zone: v.AvailabilityZone ?? null },
});

/** Most values EC2 takes in one filter. */
const FILTER_VALUES_MAX = 200;

/** EC2 answers an unknown or malformed id with these codes instead of an empty list. */
const isUnknownId = (error: unknown): boolean => /^Invalid(Instance|Volume)ID\.(NotFound|Malformed)$/.test((error as { name?: string }).name ?? '');

/** The caller's filters: `base` plus, for a member, its project tag. */
const scoped = (tenancy: Tenancy, ctx: DiscoveryContext, base: Filter[]): Filter[] => {
  const tag = requiredTag(tenancy, ctx);
  return tag ? [...base, { Name: `tag:${tag.key}`, Values: [tag.value] }] : base;
};

const describeInstances = async (client: EC2Client, filters: Filter[]): Promise<ProtectableInstance[]> => {
  const found: ProtectableInstance[] = [];
  for await (const page of paginateDescribeInstances({ client }, { Filters: filters })) {
    for (const r of page.Reservations ?? []) found.push(...(r.Instances ?? []).map(instanceView));
  }
  return found;
};

const describeVolumes = async (client: EC2Client, filters: Filter[]): Promise<ProtectableInstance[]> => {
  const found: ProtectableInstance[] = [];
  for await (const page of paginateDescribeVolumes({ client }, filters.length > 0 ? { Filters: filters } : {})) {
    found.push(...(page.Volumes ?? []).map(volumeView));
  }
  return found;
};

export const ec2InstancesSource = (client: EC2Client, tenancy: Tenancy): InstanceSource => {
  const list: InstanceSource['list'] = (ctx) => describeInstances(client, scoped(tenancy, ctx, LIVE_INSTANCES));
  return {
    notFoundReason: EC2_NOT_FOUND_REASONS.instance,
    list,
    show: async (ctx, id) => {
      try {
        const page = await client.send(new DescribeInstancesCommand({ InstanceIds: [id], Filters: scoped(tenancy, ctx, LIVE_INSTANCES) }));
        const found = page.Reservations?.flatMap((r) => r.Instances ?? [])[0];
        return found ? instanceView(found) : undefined;
      } catch (error) {
        if (isUnknownId(error)) return undefined;
        throw error;
      }
    },
    dependentsOf: projectChildren(list),
  };
};

export const ec2VolumesSource = (client: EC2Client, tenancy: Tenancy): InstanceSource => {
  const list: InstanceSource['list'] = (ctx) => describeVolumes(client, scoped(tenancy, ctx, []));
  const ofProject = projectChildren(list);
  return {
    notFoundReason: EC2_NOT_FOUND_REASONS.volume,
    list,
    show: async (ctx, id) => {
      try {
        const filters = scoped(tenancy, ctx, []);
        const page = await client.send(new DescribeVolumesCommand({ VolumeIds: [id], ...(filters.length > 0 ? { Filters: filters } : {}) }));
        const found = page.Volumes?.[0];
        return found ? volumeView(found) : undefined;
      } catch (error) {
        if (isUnknownId(error)) return undefined;
        throw error;
      }
    },
    // A server's volumes are the ones attached to it (and, for a member, tagged for its project); the project's are all of them.
    dependentsOf: async (ctx, parent) =>
      parent.type === 'AWS::EC2::Instance'
        ? describeVolumes(client, scoped(tenancy, ctx, [{ Name: 'attachment.instance-id', Values: [parent.id] }]))
        : ofProject(ctx, parent),
    // The unprotected list's planned servers, at EC2's 200 values per filter.
    dependentsOfAll: async (ctx, parents) => {
      const ids = parents.filter((p) => p.type === 'AWS::EC2::Instance').map((p) => p.id);
      const found: ProtectableInstance[] = [];
      for (let i = 0; i < ids.length; i += FILTER_VALUES_MAX) {
        found.push(...(await describeVolumes(client, scoped(tenancy, ctx, [{ Name: 'attachment.instance-id', Values: ids.slice(i, i + FILTER_VALUES_MAX) }]))));
      }
      return found;
    },
  };
};
