import {
  CreateImageCommand,
  DeleteSnapshotCommand,
  DeregisterImageCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  RunInstancesCommand,
  type _InstanceType,
} from '@aws-sdk/client-ec2';
import { type GraphResource, type PluginContext, type ProtectionPlugin, recordKeys, verifyDepth } from '../../plugins';
import { DEFAULT_POLL, pollUntil } from '../../job-steps';
import { createdFilters, karborTags, LeftBehindError } from '../../tags';
import { refuseInPlaceCopy } from './copy-refused';
import { imageKeys } from './ec2-image-keys';
import { snapshotProblems } from './ec2-snapshot-check';

/**
 * The IAM action of every SDK command this plugin sends, its helpers' included
 * (test/unit/shared/features/protection/adapters/plugins/iam-actions.test.ts
 * reads them from the source; test/infra/iam-simulation.test.ts simulates them).
 */
export const ec2InstanceActions = [
  'ec2:CreateImage',
  'ec2:DeleteSnapshot',
  'ec2:DeregisterImage',
  'ec2:DescribeImages',
  'ec2:DescribeInstances',
  'ec2:DescribeSnapshots',
  'ec2:RunInstances',
] as const;

/**
 * `AWS::EC2::Instance`: an AMI of the instance (its EBS volumes become the
 * image's snapshots; attached volumes are also protected on their own as the
 * instance's dependents); a restore launches a new instance from the AMI.
 * The image, its snapshots, the new instance and its volumes carry Karbor's
 * tags (../../tags.ts), by which a retry finds what a crashed attempt made.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateImage.html
 */
interface SavedInstance {
  image_id: string;
  instance_type?: string;
  subnet_id?: string;
  snapshot_ids: string[];
}

const errorName = (error: unknown) => (error as { name?: string }).name ?? '';
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Instances that still count as the restore's result (a terminated one is gone). */
const LIVE = { Name: 'instance-state-name', Values: ['pending', 'running', 'stopping', 'stopped'] };

export const ec2InstancePlugin = (ec2: EC2Client, opts: { maxWaitSeconds?: number; projectTagKey?: string } = {}): ProtectionPlugin => {
  const maxWaitTime = opts.maxWaitSeconds ?? 5 * 3600;
  const tagged = (types: Array<'image' | 'snapshot' | 'instance' | 'volume'>, ctx: PluginContext, resource: GraphResource, name?: string) =>
    types.map((ResourceType) => ({
      ResourceType,
      Tags: [...(name === undefined ? [] : [{ Key: 'Name', Value: name }]), ...karborTags(ctx, resource, opts.projectTagKey)],
    }));
  const imagesOf = async (ctx: PluginContext, resource: GraphResource) =>
    (await ec2.send(new DescribeImagesCommand({ Owners: ['self'], Filters: createdFilters(ctx, resource, 'checkpoint') }))).Images ?? [];
  return {
    /**
     * Steps: `image` finds this checkpoint's AMI of the instance by its tags
     * or creates it, `record` writes it into the bank, `available` polls it
     * with durable waits, `snapshots` records the image's snapshots and
     * `keys` their KMS keys (docs/decisions.md §27).
     */
    async protect(ctx, resource) {
      const started = await ctx.steps.step('image', async () => {
        const described = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [resource.id] }));
        const instance = described.Reservations?.[0]?.Instances?.[0];
        if (!instance) throw new Error(`instance ${resource.id} not found`);
        const earlier = (await imagesOf(ctx, resource)).find((i) => i.State !== 'failed' && i.State !== 'deregistered');
        let imageId = earlier?.ImageId;
        if (imageId === undefined) {
          const image = await ec2.send(
            new CreateImageCommand({
              InstanceId: resource.id,
              Name: ctx.parameters.image_name ?? `karbor-${ctx.checkpointId}-${resource.id}`,
              // Karbor's options are strings: only an explicit "False" reboots the instance.
              NoReboot: ctx.parameters.no_reboot !== 'False',
              // The image's snapshots too, so a delete finds and may remove them.
              TagSpecifications: tagged(['image', 'snapshot'], ctx, resource),
            }),
          );
          imageId = image.ImageId!;
        }
        const saved: SavedInstance = { image_id: imageId, instance_type: instance.InstanceType, subnet_id: instance.SubnetId, snapshot_ids: [] };
        return { saved, found: earlier !== undefined };
      });
      const { saved } = started;
      await ctx.steps.step('record', () => ctx.bank.put('image.json', JSON.stringify(saved)));
      await ctx.progress('protecting', `image ${saved.image_id} ${started.found ? 'found' : 'started'}`);
      saved.snapshot_ids = await pollUntil(ctx.steps, 'available', { ...DEFAULT_POLL, limitSeconds: maxWaitTime }, async () => {
        const { Images = [] } = await ec2.send(new DescribeImagesCommand({ ImageIds: [saved.image_id] }));
        const state = Images[0]?.State;
        if (state === 'available') {
          const ids = (Images[0].BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : []));
          return { done: true, value: ids };
        }
        if (state === 'failed' || state === 'deregistered') throw new Error(`image ${saved.image_id} is ${state}`);
        return { done: false, state: state ?? 'unknown' };
      });
      await ctx.steps.step('snapshots', () => ctx.bank.put('image.json', JSON.stringify(saved)));
      await ctx.steps.step('keys', async () => recordKeys(ctx, await imageKeys(ec2, saved.image_id)));
    },

    async restore(ctx, resource) {
      const text = await ctx.bank.get('image.json');
      if (text === undefined) throw new Error(`checkpoint holds no image of instance ${resource.id}`);
      const saved = JSON.parse(text) as SavedInstance;
      await ctx.progress('restoring');
      // Steps: `instance` finds the instance an earlier attempt launched (by its tags) or launches it, `running` polls it.
      const instanceId = await ctx.steps.step('instance', async () => {
        const earlier = await ec2.send(new DescribeInstancesCommand({ Filters: [...createdFilters(ctx, resource, 'restore'), LIVE] }));
        const found = earlier.Reservations?.flatMap((r) => r.Instances ?? [])[0]?.InstanceId;
        if (found !== undefined) return found;
        const run = await ec2.send(
          new RunInstancesCommand({
            ImageId: saved.image_id,
            InstanceType: (ctx.parameters.instance_type ?? saved.instance_type) as _InstanceType | undefined,
            SubnetId: ctx.parameters.subnet_id ?? saved.subnet_id,
            MinCount: 1,
            MaxCount: 1,
            TagSpecifications: tagged(['instance', 'volume'], ctx, resource, ctx.parameters.restore_name ?? `restore of ${resource.id}`),
          }),
        );
        const launched = run.Instances?.[0]?.InstanceId;
        if (!launched) throw new Error('RunInstances returned no instance');
        return launched;
      });
      await pollUntil(ctx.steps, 'running', { ...DEFAULT_POLL, firstSeconds: 5, limitSeconds: maxWaitTime }, async () => {
        const { Reservations = [] } = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
        const state = Reservations.flatMap((r) => r.Instances ?? [])[0]?.State?.Name;
        if (state === 'running') return { done: true, value: null };
        if (state === 'pending' || state === undefined) return { done: false, state: state ?? 'unknown' };
        throw new Error(`instance ${instanceId} is ${state}`);
      });
      await ctx.progress('available');
      return { id: instanceId };
    },

    /**
     * Deregisters the image and deletes its snapshots: the recorded ones and
     * any this checkpoint tagged for the instance (a crash may have left them
     * unrecorded). What could not be removed is named in the error.
     */
    async delete(ctx, resource) {
      const text = await ctx.bank.get('image.json');
      const saved = text === undefined ? undefined : (JSON.parse(text) as SavedInstance);
      const images = new Set([...(saved ? [saved.image_id] : []), ...(await imagesOf(ctx, resource)).flatMap((i) => (i.ImageId ? [i.ImageId] : []))]);
      const { Snapshots = [] } = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: createdFilters(ctx, resource, 'checkpoint') }));
      const snapshots = new Set([...(saved?.snapshot_ids ?? []), ...Snapshots.flatMap((s) => (s.SnapshotId ? [s.SnapshotId] : []))]);
      const left: string[] = [];
      let cause = '';
      for (const id of images) {
        try {
          await ec2.send(new DeregisterImageCommand({ ImageId: id }));
        } catch (error) {
          if (/^InvalidAMIID\.(NotFound|Unavailable)$/.test(errorName(error))) continue;
          left.push(`image ${id}`);
          cause = message(error);
        }
      }
      // A snapshot stays in use until its image is deregistered: only then try them.
      if (left.length === 0) {
        for (const id of snapshots) {
          try {
            await ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }));
          } catch (error) {
            if (errorName(error) === 'InvalidSnapshot.NotFound') continue;
            left.push(`snapshot ${id}`);
            cause = message(error);
          }
        }
      } else {
        left.push(...[...snapshots].map((id) => `snapshot ${id}`));
      }
      if (left.length > 0) throw new LeftBehindError(left, cause);
    },
    /** To the provider itself: refused with its reason (docs/decisions.md §15); to a named destination the registry gives ./ec2-copy.ts (§25). */
    copy: refuseInPlaceCopy('image'),

    /** basic (the only depth yet; a scratch launch is not offered): the image is `available` and its snapshots exist, `completed`. */
    async verify(ctx, resource) {
      verifyDepth(ctx, 'basic', ['basic']);
      const text = await ctx.bank.get('image.json');
      if (text === undefined) return { ok: false, reason: `the checkpoint holds no image of instance ${resource.id} (image.json is missing)` };
      const saved = JSON.parse(text) as SavedInstance;
      const problems = await ctx.steps.step('image', async () => {
        let state: string | undefined;
        try {
          state = (await ec2.send(new DescribeImagesCommand({ ImageIds: [saved.image_id] }))).Images?.[0]?.State;
        } catch (error) {
          if (!/^InvalidAMIID\.(NotFound|Unavailable)$/.test(errorName(error))) throw error;
        }
        const image = state === 'available' ? [] : [`image ${saved.image_id} is ${state ?? 'gone'}`];
        return [...image, ...(await snapshotProblems(ec2, saved.snapshot_ids))];
      });
      if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
      return { ok: true, reason: `image ${saved.image_id} is available with its ${saved.snapshot_ids.length} snapshots completed` };
    },
  };
};
