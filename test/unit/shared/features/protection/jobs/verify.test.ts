import { newCheckpoint } from '../../../../../../shared/features/checkpoints/use-cases';
import { protectCheckpoint } from '../../../../../../shared/features/protection/jobs/protect';
import { runVerification } from '../../../../../../shared/features/protection/jobs/verify';
import type { ProtectionPlugin } from '../../../../../../shared/features/protection/plugins';
import type { Provider } from '../../../../../../shared/features/providers/model';
import type { Verification } from '../../../../../../shared/features/verifications/model';
import {
  fakeCheckpointStore,
  fakeVerificationStore,
  fakeWorkerDeps,
  fixedClock,
  memoryBank,
  recordingPublisher,
} from '../../../../../support/protection-fakes';

const PROVIDER: Provider = {
  id: 'b766f37c-d011-4026-8228-28730d734a3f',
  name: 'test',
  description: '',
  bank: 'default',
  plugins: { 'OS::Nova::Server': 'test', 'OS::Cinder::Volume': 'test' },
  extendedInfoSchema: { options_schema: {}, restore_schema: {}, saved_info_schema: {}, verify_schema: {} },
};

const PLAN = {
  id: 'plan-1',
  projectId: 'p1',
  name: 'plan',
  description: null,
  providerId: PROVIDER.id,
  status: 'suspended',
  resources: [{ id: 's1', type: 'OS::Nova::Server', name: 'vm' }],
  parameters: {},
};

/** A plugin that writes one bank object per resource at protect and verifies what `verdicts` says (ok by default). */
const testPlugin = (verdicts: Record<string, { ok: boolean; reason: string } | Error> = {}) => {
  const verified: { id: string; parameters: Record<string, string>; restoreId?: string }[] = [];
  const plugin: ProtectionPlugin = {
    protect: async (ctx, r) => ctx.bank.put('data.json', JSON.stringify({ id: r.id })),
    restore: async () => ({}),
    delete: async () => undefined,
    verify: async (ctx, r) => {
      verified.push({ id: r.id, parameters: ctx.parameters, restoreId: ctx.restoreId });
      const verdict = verdicts[r.id] ?? { ok: true, reason: `${r.id} checked` };
      if (verdict instanceof Error) throw verdict;
      return verdict;
    },
  };
  return { plugin, verified };
};

const setup = async (verdicts?: Record<string, { ok: boolean; reason: string } | Error>) => {
  const checkpoints = fakeCheckpointStore();
  const verifications = fakeVerificationStore();
  const clock = fixedClock();
  const events = recordingPublisher();
  const bank = memoryBank();
  const { plugin, verified } = testPlugin(verdicts);
  const deps = fakeWorkerDeps({
    checkpoints,
    verifications,
    providers: { all: () => [PROVIDER] },
    plugins: (name) => (name === 'test' ? plugin : undefined),
    dependentsOf: async (_p, r) => (r.id === 's1' ? [{ type: 'OS::Cinder::Volume', id: 'v1', name: 'vol', extraInfo: null }] : []),
    bank,
    events,
    clock,
  });
  checkpoints.items.set('cp-1', newCheckpoint(PLAN, { created_by: 'manual' }, 'cp-1', clock.now(), 3600));
  await protectCheckpoint(deps, 'cp-1');
  const verification: Verification = {
    id: 'ver-1',
    projectId: 'p1',
    providerId: PROVIDER.id,
    checkpointId: 'cp-1',
    parameters: { 'OS::Cinder::Volume': { depth: 'full' } },
    status: 'in_progress',
    createdAt: clock.now().toISOString(),
    deadline: new Date(clock.now().getTime() + 3600_000).toISOString(),
    attempts: 0,
    resourcesStatus: {},
    resourcesReason: {},
  };
  verifications.items.set('ver-1', verification);
  return { deps, checkpoints, verifications, bank, events, verified };
};

describe('runVerification', () => {
  it('checks every bank object against the manifest, then each resource with its plugin and parameters, and succeeds', async () => {
    // Prepare
    const { deps, checkpoints, verifications, bank, events, verified } = await setup();
    // Act
    const outcome = await runVerification(deps, 'ver-1');
    // Assess
    const v = verifications.items.get('ver-1')!;
    expect(outcome).toBe('finished');
    expect(checkpoints.items.get('cp-1')!.bankManifestDigest).toMatch(/^[0-9a-f]{64}$/);
    expect([...bank.objects.keys()]).toContain('checkpoints/cp-1/manifest.json');
    expect(v.status).toBe('success');
    expect(v.resourcesStatus).toEqual({ 'OS::Nova::Server#s1': 'success', 'OS::Cinder::Volume#v1': 'success' });
    expect(v.resourcesReason['OS::Cinder::Volume#v1']).toBe('v1 checked; bank objects match their digests');
    // The plugin gets the verify parameters of its type and the verification's id (to name scratch resources after).
    expect(verified).toEqual(
      expect.arrayContaining([
        { id: 'v1', parameters: { depth: 'full' }, restoreId: 'ver-1' },
        { id: 's1', parameters: {}, restoreId: 'ver-1' },
      ]),
    );
    expect(events.events.at(-1)).toMatchObject({ detailType: 'Verification Succeeded', detail: { verification_id: 'ver-1', status: 'success' } });
  });

  it('fails the resource whose bank object was altered, naming the object, without asking its plugin', async () => {
    // Prepare
    const { deps, verifications, bank, verified } = await setup();
    bank.objects.set('checkpoints/cp-1/OS::Cinder::Volume#v1/data.json', '{"id":"someone else"}');
    // Act
    await runVerification(deps, 'ver-1');
    // Assess
    const v = verifications.items.get('ver-1')!;
    expect(v.status).toBe('fail');
    expect(v.resourcesStatus).toEqual({ 'OS::Nova::Server#s1': 'success', 'OS::Cinder::Volume#v1': 'fail' });
    const reason = 'bank object checkpoints/cp-1/OS::Cinder::Volume#v1/data.json differs from the digest recorded at protect';
    expect(v.resourcesReason['OS::Cinder::Volume#v1']).toBe(reason);
    expect(v.errorReason).toBe(`OS::Cinder::Volume#v1: ${reason}`);
    expect(verified.map((x) => x.id)).toEqual(['s1']);
  });

  it('names a deleted bank object too', async () => {
    // Prepare
    const { deps, verifications, bank } = await setup();
    bank.objects.delete('checkpoints/cp-1/OS::Nova::Server#s1/data.json');
    // Act
    await runVerification(deps, 'ver-1');
    // Assess
    expect(verifications.items.get('ver-1')!.resourcesReason['OS::Nova::Server#s1']).toContain('checkpoints/cp-1/OS::Nova::Server#s1/data.json');
  });

  it('trusts no object once the manifest itself differs from the digest kept in the table', async () => {
    // Prepare: whoever rewrote an object rewrote the manifest to match.
    const { deps, verifications, bank } = await setup();
    bank.objects.set('checkpoints/cp-1/OS::Cinder::Volume#v1/data.json', 'forged');
    bank.objects.set('checkpoints/cp-1/manifest.json', JSON.stringify({ version: 1, algorithm: 'sha256', objects: {} }));
    // Act
    await runVerification(deps, 'ver-1');
    // Assess
    const v = verifications.items.get('ver-1')!;
    expect(v.status).toBe('fail');
    expect(Object.values(v.resourcesReason)).toEqual([
      'bank object checkpoints/cp-1/manifest.json differs from the digest kept in the table',
      'bank object checkpoints/cp-1/manifest.json differs from the digest kept in the table',
    ]);
  });

  it('says so for a checkpoint taken before manifests, instead of failing', async () => {
    // Prepare
    const { deps, checkpoints, verifications } = await setup();
    delete checkpoints.items.get('cp-1')!.bankManifestDigest;
    // Act
    await runVerification(deps, 'ver-1');
    // Assess
    const v = verifications.items.get('ver-1')!;
    expect(v.status).toBe('success');
    expect(v.resourcesReason['OS::Nova::Server#s1']).toBe('s1 checked; bank objects: nothing to compare (the checkpoint predates bank digests)');
  });

  it("records a plugin's failure or error as the resource's fail with its reason, and still verifies the others", async () => {
    // Prepare
    const { deps, verifications } = await setup({ v1: new Error('snapshot snap-1 does not exist'), s1: { ok: false, reason: 'image ami-1 is gone' } });
    // Act
    await runVerification(deps, 'ver-1');
    // Assess
    const v = verifications.items.get('ver-1')!;
    expect(v.status).toBe('fail');
    expect(v.resourcesStatus).toEqual({ 'OS::Nova::Server#s1': 'fail', 'OS::Cinder::Volume#v1': 'fail' });
    expect(v.resourcesReason['OS::Cinder::Volume#v1']).toBe('snapshot snap-1 does not exist');
    expect(v.errorReason).toContain('OS::Nova::Server#s1: image ami-1 is gone; bank objects match their digests');
  });

  it('fails a verification whose checkpoint has no graph', async () => {
    // Prepare
    const { deps, checkpoints, verifications } = await setup();
    checkpoints.items.get('cp-1')!.resourceGraph = null;
    // Act
    await runVerification(deps, 'ver-1');
    // Assess
    expect(verifications.items.get('ver-1')).toMatchObject({ status: 'fail', errorReason: 'Checkpoint cp-1 has no resource graph.' });
  });
});
