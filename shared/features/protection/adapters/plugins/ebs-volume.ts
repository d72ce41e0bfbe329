import {
  CreateSnapshotCommand,
  CreateVolumeCommand,
  DeleteSnapshotCommand,
  DescribeSnapshotsCommand,
  DescribeVolumesCommand,
  type EC2Client,
  type VolumeType,
  waitUntilSnapshotCompleted,
  waitUntilVolumeAvailable,
} from '@aws-sdk/client-ec2';
import type { GraphResource, PluginContext, ProtectionPlugin } from '../../plugins';
import { createdFilters, karborTags, LeftBehindError } from '../../tags';

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
  const maxWaitTime = opts.maxWaitSeconds ?? 3600;
  const tagSpec = (resourceType: 'snapshot' | 'volume', name: string, ctx: PluginContext, resource: GraphResource) => [
    { ResourceType: resourceType, Tags: [{ Key: 'Name', Value: name }, ...karborTags(ctx, resource, opts.projectTagKey)] },
  ];
  /** The snapshots this checkpoint made of the volume (a failed one included: cleanup must see it). */
  const snapshotsOf = async (ctx: PluginContext, resource: GraphResource) => {
    const { Snapshots = [] } = await ec2.send(new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: createdFilters(ctx, resource, 'checkpoint') }));
    return Snapshots;
  };
  return {
    async protect(ctx, resource) {
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
      // Recorded before waiting, so a delete can clean up even if the wait fails.
      const saved: SavedVolume = {
        snapshot_id: snapshotId,
        volume_id: resource.id,
        availability_zone: volume.AvailabilityZone,
        volume_type: volume.VolumeType,
        size: volume.Size,
      };
      await ctx.bank.put('snapshot.json', JSON.stringify(saved));
      await ctx.progress('protecting', `snapshot ${snapshotId} ${earlier ? 'found' : 'started'}`);
      await waitUntilSnapshotCompleted({ client: ec2, maxWaitTime }, { SnapshotIds: [snapshotId] });
    },

    async restore(ctx, resource) {
      const text = await ctx.bank.get('snapshot.json');
      if (text === undefined) throw new Error(`checkpoint holds no snapshot of volume ${resource.id}`);
      const saved = JSON.parse(text) as SavedVolume;
      await ctx.progress('restoring');
      const { Volumes = [] } = await ec2.send(new DescribeVolumesCommand({ Filters: createdFilters(ctx, resource, 'restore') }));
      let volumeId = Volumes.find((v) => v.State !== 'deleting' && v.State !== 'deleted' && v.State !== 'error')?.VolumeId;
      if (volumeId === undefined) {
        const created = await ec2.send(
          new CreateVolumeCommand({
            SnapshotId: saved.snapshot_id,
            AvailabilityZone: ctx.parameters.availability_zone ?? saved.availability_zone,
            VolumeType: (ctx.parameters.volume_type ?? saved.volume_type) as VolumeType | undefined,
            TagSpecifications: tagSpec('volume', ctx.parameters.restore_name ?? `restore of ${resource.id}`, ctx, resource),
          }),
        );
        volumeId = created.VolumeId!;
      }
      await waitUntilVolumeAvailable({ client: ec2, maxWaitTime }, { VolumeIds: [volumeId] });
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
  };
};
