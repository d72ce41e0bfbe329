import {
  CopyImageCommand,
  CopySnapshotCommand,
  DescribeAvailabilityZonesCommand,
  DescribeImagesCommand,
  DescribeSnapshotsCommand,
  type EC2Client,
  ModifyImageAttributeCommand,
  ModifySnapshotAttributeCommand,
} from '@aws-sdk/client-ec2';
import type { KMSClient } from '@aws-sdk/client-kms';
import { createHash } from 'node:crypto';
import { DEFAULT_POLL, pollUntil } from '../../job-steps';
import { type ArtifactKeys, type GraphResource, type PluginContext, recordKeys } from '../../plugins';
import { createdFilters, karborTags } from '../../tags';
import { imageKeys } from './ec2-image-keys';
import { snapshotKeys } from './ec2-keys';
import { keyManager } from './kms-keys';

/**
 * The IAM action of every SDK command the copies send (the destination's
 * role, or the worker's own role in the destination Region: infra/grants.ts
 * grantDestinations; test/unit/.../iam-actions.test.ts reads them from the source).
 */
export const ec2CopyActions = [
  'ec2:CopyImage',
  'ec2:CopySnapshot',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeImages',
  'ec2:DescribeSnapshots',
  'ec2:ModifyImageAttribute',
  'ec2:ModifySnapshotAttribute',
  'kms:DescribeKey',
] as const;

/**
 * Where a copy goes and the clients at both ends (docs/decisions.md §25).
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopySnapshot.html
 * https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CopyImage.html
 */
export interface Ec2CopyTarget {
  destination: { name: string; region: string; accountId?: string; kmsKeyId?: string };
  /** A client in the destination (its Region; the destination's role when it has one): the copy is made there. */
  target: EC2Client;
  /** A client in the source's own account and Region: shares the source with another account. */
  source: EC2Client;
  /**
   * KMS in the source's account and Region: before a copy to another account,
   * tells an AWS managed key (never shareable) from a customer managed one.
   */
  sourceKms?: KMSClient;
  maxWaitSeconds?: number;
  projectTagKey?: string;
}

const tagSpecs = (t: Ec2CopyTarget, types: Array<'snapshot' | 'image'>, ctx: PluginContext, resource: GraphResource) =>
  types.map((ResourceType) => ({
    ResourceType,
    Tags: [{ Key: 'Name', Value: `karbor-${ctx.checkpointId}-${resource.id}` }, ...karborTags(ctx, resource, t.projectTagKey)],
  }));

/** The source's Region, as CopySnapshot and CopyImage name it. */
const sourceRegion = async (t: Ec2CopyTarget): Promise<string> => t.source.config.region();

/** A copy into another account reads the source there: it is shared with that account first (a repeat is harmless). */
const crossAccount = (t: Ec2CopyTarget) => t.destination.accountId;

/**
 * Refuses a copy into another account of snapshots encrypted with an AWS
 * managed key (alias/aws/ebs): its key policy cannot be changed, so the
 * other account can never decrypt them, and AWS's own error would come only
 * after the source was shared (docs/decisions.md §27). `what` names the
 * source (`snapshot snap-1`, `image ami-1`).
 */
const refuseAwsManagedKeys = async (t: Ec2CopyTarget, what: string, keys: ArtifactKeys): Promise<void> => {
  if (!t.sourceKms) return;
  for (const [snapshot, key] of Object.entries(keys)) {
    if (key === null || (await keyManager(t.sourceKms, key)) !== 'AWS') continue;
    const of = what.startsWith('snapshot') ? what : `${what}'s snapshot ${snapshot}`;
    throw new Error(
      `${of} is encrypted with the AWS managed key alias/aws/ebs (${key}), which AWS cannot share with another account; ` +
        `re-encrypt it with a customer managed key whose key policy lets account ${t.destination.accountId} use it, ` +
        `or protect with a customer managed key (the volume's, or the Region's EBS default key), then copy again`,
    );
  }
};

/** The source checkpoint's record of the resource (its bank file), or an error naming what is missing. */
const sourceRecord = async (ctx: PluginContext, resource: GraphResource, file: string): Promise<Record<string, unknown>> => {
  if (!ctx.copyOf) throw new Error(`${resource.type} ${resource.id}: no checkpoint to copy from`);
  const text = await ctx.copyOf.bank.get(file);
  if (text === undefined) throw new Error(`checkpoint ${ctx.copyOf.checkpointId} holds no ${file} of ${resource.id}`);
  return JSON.parse(text) as Record<string, unknown>;
};

/**
 * A zone of the destination Region for a restore there: the source's zone
 * letter when the destination has it, else its first available zone.
 */
const destinationZone = async (t: Ec2CopyTarget, sourceZone: unknown): Promise<string | undefined> => {
  const { AvailabilityZones = [] } = await t.target.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: 'state', Values: ['available'] }] }));
  const names = AvailabilityZones.flatMap((z) => (z.ZoneName ? [z.ZoneName] : []));
  const letter = typeof sourceZone === 'string' ? sourceZone.slice(-1) : '';
  return names.find((n) => n === `${t.destination.region}${letter}`) ?? names[0];
};

/**
 * An EBS snapshot's copy (`AWS::EC2::Volume`). Steps: `copy-snapshot` finds
 * the copy an earlier attempt started in the destination (by the copy's tags,
 * which CopySnapshot sets with the copy) or shares the source with the
 * destination account and starts `CopySnapshot` there (SourceRegion,
 * Encrypted, the destination's KmsKeyId when set); `record` writes the
 * copy's snapshot.json (the new snapshot id and Region, a zone of that
 * Region for restores); `completed` polls it; `keys` records its key. A copy
 * into another account of a source under the AWS managed key fails first,
 * before anything is shared or copied (refuseAwsManagedKeys).
 */
export const copyVolumeSnapshot =
  (t: Ec2CopyTarget) =>
  async (ctx: PluginContext, resource: GraphResource): Promise<void> => {
    const original = await sourceRecord(ctx, resource, 'snapshot.json');
    const sourceId = String(original.snapshot_id);
    const copied = await ctx.steps.step('copy-snapshot', async () => {
      const { Snapshots = [] } = await t.target.send(
        new DescribeSnapshotsCommand({ OwnerIds: ['self'], Filters: createdFilters(ctx, resource, 'checkpoint') }),
      );
      const earlier = Snapshots.find((s) => s.State !== 'error')?.SnapshotId;
      if (earlier !== undefined) return { id: earlier, found: true };
      const account = crossAccount(t);
      if (account !== undefined) {
        await refuseAwsManagedKeys(t, `snapshot ${sourceId}`, await snapshotKeys(t.source, [sourceId]));
        await t.source.send(
          new ModifySnapshotAttributeCommand({ SnapshotId: sourceId, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: [account] }),
        );
      }
      const out = await t.target.send(
        new CopySnapshotCommand({
          SourceRegion: await sourceRegion(t),
          SourceSnapshotId: sourceId,
          Encrypted: true,
          ...(t.destination.kmsKeyId === undefined ? {} : { KmsKeyId: t.destination.kmsKeyId }),
          Description: `Karbor copy ${ctx.checkpointId} of ${sourceId}`,
          TagSpecifications: tagSpecs(t, ['snapshot'], ctx, resource),
        }),
      );
      if (!out.SnapshotId) throw new Error(`CopySnapshot of ${sourceId} returned no snapshot`);
      return { id: out.SnapshotId, found: false };
    });
    await ctx.steps.step('record', async () => {
      const zone = await destinationZone(t, original.availability_zone);
      const record = {
        ...original,
        snapshot_id: copied.id,
        region: t.destination.region,
        source_snapshot_id: sourceId,
        ...(zone === undefined ? {} : { availability_zone: zone }),
      };
      await ctx.bank.put('snapshot.json', JSON.stringify(record));
    });
    await ctx.progress('copying', `snapshot ${copied.id} in ${t.destination.region} ${copied.found ? 'found' : 'started'}`);
    await pollUntil(ctx.steps, 'completed', { ...DEFAULT_POLL, limitSeconds: t.maxWaitSeconds ?? 5 * 3600 }, async () => {
      const { Snapshots = [] } = await t.target.send(new DescribeSnapshotsCommand({ SnapshotIds: [copied.id] }));
      const state = Snapshots[0]?.State;
      if (state === 'completed') return { done: true, value: null };
      if (state === 'error') throw new Error(`copy ${copied.id} of snapshot ${sourceId} failed: ${Snapshots[0]?.StateMessage ?? 'error'}`);
      return { done: false, state: `${state ?? 'unknown'} ${Snapshots[0]?.Progress ?? ''}`.trim() };
    });
    // The copy's own key, the destination's (docs/decisions.md §27).
    await ctx.steps.step('keys', async () => recordKeys(ctx, await snapshotKeys(t.target, [copied.id])));
  };

/** CopyImage's idempotency token: one per copy and resource (at most 64 characters). */
const clientToken = (ctx: PluginContext, resource: GraphResource) =>
  createHash('sha256').update(`${ctx.checkpointId}\n${resource.id}`).digest('hex').slice(0, 64);

/**
 * An AMI's copy (`AWS::EC2::Instance`); its snapshots come with it. Steps:
 * `copy-image` finds the copy by its tags or starts `CopyImage` in the
 * destination (SourceRegion, Encrypted, KmsKeyId, a ClientToken per copy
 * and resource, so a repeat after a crash returns the same image), sharing
 * the source with another account first; `record` writes image.json (the
 * new image; no subnet, which is the source Region's: a restore there takes
 * `subnet_id` or the default VPC); `available` polls it and records its
 * snapshots, which the copy's delete removes with it; `keys` records their
 * keys. Into another account, an image with a snapshot under the AWS
 * managed key fails first, as for EBS.
 */
export const copyInstanceImage =
  (t: Ec2CopyTarget) =>
  async (ctx: PluginContext, resource: GraphResource): Promise<void> => {
    const original = await sourceRecord(ctx, resource, 'image.json');
    const sourceId = String(original.image_id);
    const copied = await ctx.steps.step('copy-image', async () => {
      const { Images = [] } = await t.target.send(new DescribeImagesCommand({ Owners: ['self'], Filters: createdFilters(ctx, resource, 'checkpoint') }));
      const earlier = Images.find((i) => i.State !== 'failed' && i.State !== 'deregistered')?.ImageId;
      if (earlier !== undefined) return earlier;
      const account = crossAccount(t);
      if (account !== undefined) {
        await refuseAwsManagedKeys(t, `image ${sourceId}`, await imageKeys(t.source, sourceId));
        await t.source.send(new ModifyImageAttributeCommand({ ImageId: sourceId, LaunchPermission: { Add: [{ UserId: account }] } }));
        for (const id of (original.snapshot_ids as string[] | undefined) ?? []) {
          await t.source.send(
            new ModifySnapshotAttributeCommand({ SnapshotId: id, Attribute: 'createVolumePermission', OperationType: 'add', UserIds: [account] }),
          );
        }
      }
      const out = await t.target.send(
        new CopyImageCommand({
          SourceRegion: await sourceRegion(t),
          SourceImageId: sourceId,
          Name: `karbor-${ctx.checkpointId}-${resource.id}`,
          Description: `Karbor copy ${ctx.checkpointId} of ${sourceId}`,
          Encrypted: true,
          ...(t.destination.kmsKeyId === undefined ? {} : { KmsKeyId: t.destination.kmsKeyId }),
          ClientToken: clientToken(ctx, resource),
          TagSpecifications: tagSpecs(t, ['image', 'snapshot'], ctx, resource),
        }),
      );
      if (!out.ImageId) throw new Error(`CopyImage of ${sourceId} returned no image`);
      return out.ImageId;
    });
    const record = {
      image_id: copied,
      instance_type: original.instance_type,
      snapshot_ids: [] as string[],
      region: t.destination.region,
      source_image_id: sourceId,
    };
    await ctx.steps.step('record', () => ctx.bank.put('image.json', JSON.stringify(record)));
    await ctx.progress('copying', `image ${copied} in ${t.destination.region}`);
    record.snapshot_ids = await pollUntil(ctx.steps, 'available', { ...DEFAULT_POLL, limitSeconds: t.maxWaitSeconds ?? 5 * 3600 }, async () => {
      const { Images = [] } = await t.target.send(new DescribeImagesCommand({ ImageIds: [copied] }));
      const state = Images[0]?.State;
      if (state === 'available')
        return { done: true, value: (Images[0].BlockDeviceMappings ?? []).flatMap((m) => (m.Ebs?.SnapshotId ? [m.Ebs.SnapshotId] : [])) };
      if (state === 'failed' || state === 'deregistered') throw new Error(`copy ${copied} of image ${sourceId} is ${state}`);
      return { done: false, state: state ?? 'unknown' };
    });
    await ctx.steps.step('snapshots', () => ctx.bank.put('image.json', JSON.stringify(record)));
    await ctx.steps.step('keys', async () => recordKeys(ctx, await imageKeys(t.target, copied)));
  };
