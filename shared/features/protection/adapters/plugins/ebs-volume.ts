import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DeleteVolumeCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type VolumeType,
} from '@aws-sdk/client-ec2';
import { DEFAULT_POLL, pollUntil } from '../../job-steps';
import { type GraphResource, type PluginContext, type ProtectionPlugin, recordKeys, verifyDepth } from '../../plugins';
import { createdFilters, karborTags, LeftBehindError } from '../../tags';
import { refuseInPlaceCopy } from './copy-refused';
import { snapshotKeys } from './ec2-keys';
import { snapshotProblems } from './ec2-snapshot-check';

/**
 * The IAM action of every SDK command this plugin sends, its helpers' included
 * (test/unit/shared/features/protection/adapters/plugins/iam-actions.test.ts
 * reads them from the source; test/infra/iam-simulation.test.ts simulates them).
 */
export const ebsVolumeActions = [
  'ec2:CreateSnapshot',
  'ec2:CreateVolume',
  'ec2:DeleteSnapshot',
  'ec2:DeleteVolume',
  'ec2:DescribeSnapshots',
  'ec2:DescribeVolumes',
] as const;

/**
 * `AWS::EC2::Volume`: an EBS snapshot; a restore creates a volume from it.
 * Both carry Karbor's tags (../../tags.ts), by which a retried protect or
 * restore finds what its crashed attempt created instead of creating another.
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSnapshot.html
 */
interface SavedVolume {
  snapshot_id: string;
  volume_id: string;
  availability_zone?: string;
  volume_type?: string;
  size?: number;
}

const isGone = (error: unknown) => (error as { name?: string }).name === 'InvalidSnapshot.NotFound';

export const ebsVolumePlugin = (ec2: EC2Client, opts: { maxWaitSeconds?: number; projectTagKey?: string } = {}): ProtectionPlugin => {
  const maxWaitTime = opts.maxWaitSeconds ?? 5 * 3600;
  const tagSpec = (resourceType: 'snapshot' | 'volume', name: string, ctx: PluginContext, resource: GraphResource) => [
    { ResourceType: resourceType, Tags: [{ Key: 'Name', Value: name }, ...karborTags(ctx, resource, opts.projectTagKey)] },
  ];
  /** The snapshots this checkpoint made of the volume (a failed one included: cleanup must see it). */
  const snapshotsOf = async (ctx: PluginContext, resource: GraphResource) => {
    const { Snapshots = [] } = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: createdFilters(ctx, resource, 'checkpoint') }));
    return Snapshots;
  };
  /**
   * A volume from the snapshot, tagged for this restore (or verification):
   * step `<name>` finds the one an earlier attempt made by its tags or
   * creates it, `<name>-available` polls it; its id.
   */
  const volumeFromSnapshot = async (ctx: PluginContext, resource: GraphResource, saved: SavedVolume, name: string, label: string): Promise<string> => {
    const volumeId = await ctx.steps.step(name, async () => {
      const { Volumes = [] } = await ec2.send(new DescribeVolumesCommand({ Filters: createdFilters(ctx, resource, 'restore') }));
      const earlier = Volumes.find((v) => v.State !== 'deleting' && v.State !== 'deleted' && v.State !== 'error')?.VolumeId;
      if (earlier !== undefined) return earlier;
      const created = await ec2.send(
        new CreateVolumeCommand({
          SnapshotId: saved.snapshot_id,
          AvailabilityZone: ctx.parameters.availability_zone ?? saved.availability_zone,
          VolumeType: (ctx.parameters.volume_type ?? saved.volume_type) as VolumeType | undefined,
          TagSpecifications: tagSpec('volume', label, ctx, resource),
        }),
      );
      return created.VolumeId!;
    });
    await pollUntil(
      ctx.steps,
      name === 'volume' ? 'available' : `${name}-available`,
      { ...DEFAULT_POLL, firstSeconds: 5, limitSeconds: maxWaitTime },
      async () => {
        const { Volumes = [] } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [volumeId] }));
        const state = Volumes[0]?.State;
        if (state === 'available') return { done: true, value: null };
        if (state === 'error') throw new Error(`volume ${volumeId} failed`);
        return { done: false, state: state ?? 'unknown' };
      },
    );
    return volumeId;
  };
  /** Deletes the volumes this verification tagged for the resource (gone already is fine). */
  const removeScratchVolumes = async (ctx: PluginContext, resource: GraphResource): Promise<string[]> => {
    const { Volumes = [] } = await ec2.send(new DescribeVolumesCommand({ Filters: createdFilters(ctx, resource, 'restore') }));
    const ids = Volumes.filter((v) => v.State !== 'deleting' && v.State !== 'deleted').flatMap((v) => (v.VolumeId ? [v.VolumeId] : []));
    for (const id of ids) {
      try {
        await ec2.send(new DeleteVolumeCommand({ VolumeId: id }));
      } catch (error) {
        if ((error as { name?: string }).name !== 'InvalidVolume.NotFound') throw error;
      }
    }
    return ids;
  };
  return {
    /**
     * Steps: `snapshot` finds this checkpoint's snapshot of the volume by its
     * tags or creates it (a replay after a crash inside the step finds it:
     * never a second CreateSnapshot), `record` writes it into the bank (a
     * delete can clean up even if the wait fails), then `completed` polls it
     * with durable waits (30 s growing to 5 min) for up to maxWaitSeconds,
     * and `keys` records the snapshot's KMS key (docs/decisions.md §27).
     */
    async protect(ctx, resource) {
      const saved = await ctx.steps.step('snapshot', async (): Promise<SavedVolume & { found: boolean }> => {
        const { Volumes = [] } = await ec2.send(new DescribeVolumesCommand({ VolumeIds: [resource.id] }));
        const volume = Volumes[0];
        if (!volume) throw new Error(`volume ${resource.id} not found`);
        const earlier = (await snapshotsOf(ctx, resource)).find((s) => s.State !== 'error');
        let snapshotId = earlier?.SnapshotId;
        if (snapshotId === undefined) {
          const name = ctx.parameters.snapshot_name ?? `karbor-${ctx.checkpointId}-${resource.id}`;
          const snapshot = await ec2.send(
            new CreateSnapshotCommand({
              VolumeId: resource.id,
              Description: ctx.parameters.description ?? `Karbor checkpoint ${ctx.checkpointId}`,
              TagSpecifications: tagSpec('snapshot', name, ctx, resource),
            }),
          );
          snapshotId = snapshot.SnapshotId!;
        }
        return {
          snapshot_id: snapshotId,
          volume_id: resource.id,
          availability_zone: volume.AvailabilityZone,
          volume_type: volume.VolumeType,
          size: volume.Size,
          found: earlier !== undefined,
        };
      });
      const { found, ...record } = saved;
      await ctx.steps.step('record', () => ctx.bank.put('snapshot.json', JSON.stringify(record)));
      await ctx.progress('protecting', `snapshot ${saved.snapshot_id} ${found ? 'found' : 'started'}`);
      await pollUntil(ctx.steps, 'completed', { ...DEFAULT_POLL, limitSeconds: maxWaitTime }, async () => {
        const { Snapshots = [] } = await ec2.send(new DescribeSnapshotsCommand({ SnapshotIds: [saved.snapshot_id] }));
        const snapshot = Snapshots[0];
        if (snapshot?.State === 'completed') return { done: true, value: null };
        if (snapshot?.State === 'error') throw new Error(`snapshot ${saved.snapshot_id} failed: ${snapshot.StateMessage ?? 'error'}`);
        return { done: false, state: `${snapshot?.State ?? 'unknown'} ${snapshot?.Progress ?? ''}`.trim() };
      });
      await ctx.steps.step('keys', async () => recordKeys(ctx, await snapshotKeys(ec2, [saved.snapshot_id])));
    },

    /** Steps: `volume` finds this restore's volume by its tags or creates it, then `available` polls it. */
    async restore(ctx, resource) {
      const text = await ctx.bank.get('snapshot.json');
      if (text === undefined) throw new Error(`checkpoint holds no snapshot of volume ${resource.id}`);
      const saved = JSON.parse(text) as SavedVolume;
      await ctx.progress('restoring');
      const volumeId = await volumeFromSnapshot(ctx, resource, saved, 'volume', ctx.parameters.restore_name ?? `restore of ${resource.id}`);
      await ctx.progress('available');
      return { id: volumeId };
    },

    /** Deletes the recorded snapshot and any other this checkpoint tagged for the volume (a crash may have left one unrecorded). */
    async delete(ctx, resource) {
      const text = await ctx.bank.get('snapshot.json');
      const recorded = text === undefined ? [] : [(JSON.parse(text) as SavedVolume).snapshot_id];
      const ids = [...new Set([...recorded, ...(await snapshotsOf(ctx, resource)).flatMap((s) => (s.SnapshotId ? [s.SnapshotId] : []))])];
      const left: string[] = [];
      let cause = '';
      for (const id of ids) {
        try {
          await ec2.send(new DeleteSnapshotCommand({ SnapshotId: id }));
        } catch (error) {
          // Already gone is what we wanted.
          if (isGone(error)) continue;
          left.push(`snapshot ${id}`);
          cause = error instanceof Error ? error.message : String(error);
        }
      }
      if (left.length > 0) throw new LeftBehindError(left, cause);
    },
    /** To the provider itself: refused with its reason (docs/decisions.md §15); to a named destination the registry gives ./ec2-copy.ts (§25). */
    copy: refuseInPlaceCopy('snapshot'),

    /**
     * basic (default): the recorded snapshot exists and is `completed`; full:
     * also a scratch volume made from it (tagged with the verification) becomes
     * `available`, and a last step, run on every path and again by a resumed
     * drill, deletes every volume the verification tagged.
     */
    async verify(ctx, resource) {
      const depth = verifyDepth(ctx, 'basic');
      const text = await ctx.bank.get('snapshot.json');
      if (text === undefined) return { ok: false, reason: `the checkpoint holds no snapshot of volume ${resource.id} (snapshot.json is missing)` };
      const saved = JSON.parse(text) as SavedVolume;
      const problems = await ctx.steps.step('snapshot', () => snapshotProblems(ec2, [saved.snapshot_id]));
      if (problems.length > 0) return { ok: false, reason: problems.join('; ') };
      const completed = `snapshot ${saved.snapshot_id} exists and is completed`;
      if (depth === 'basic') return { ok: true, reason: completed };
      try {
        const scratch = await volumeFromSnapshot(ctx, resource, saved, 'scratch-volume', `verify of ${resource.id}`);
        return { ok: true, reason: `${completed}; scratch volume ${scratch} made from it became available (deleted)` };
      } finally {
        await ctx.steps.step('scratch-remove', () => removeScratchVolumes(ctx, resource));
      }
    },
  };
};
