import { newCheckpoint } from '../../../../../shared/features/checkpoints/use-cases';
import { ConditionLostError, ForbiddenError } from '../../../../../shared/kernel/errors';
import type { OperationLog } from '../../../../../shared/features/operation-logs/model';
import { loadProviders } from '../../../../../shared/features/providers/registry';
import { createVerification } from '../../../../../shared/features/verifications/use-cases';
import type { Verification, VerificationDeps, VerificationStore } from '../../../../../shared/features/verifications/model';
import { verificationView } from '../../../../../shared/features/verifications/views';
import { fakeCheckpointStore, fixedClock, recordingPublisher, sequentialIds } from '../../../../support/protection-fakes';

const providers = loadProviders();
const AWS = providers.find((p) => p.name === 'AWS Provider')!;
const PLAN = { id: 'plan', projectId: 'p1', name: 'plan', description: null, providerId: AWS.id, status: 'suspended', resources: [], parameters: {} };
const MEMBER = { userId: 'alice', projectId: 'p1', roles: [], isAdmin: false };
const STRANGER = { userId: 'bob', projectId: 'p2', roles: [], isAdmin: false };
const CP = '22222222-2222-4222-8222-222222222222';

/** The verification store's API half, with the adapter's condition on `fail`. */
const fakeStore = () => {
  const items = new Map<string, Verification>();
  const logs = new Map<string, OperationLog>();
  const store: VerificationStore = {
    async create(v, log) {
      items.set(v.id, structuredClone(v));
      if (log) logs.set(log.id, structuredClone(log));
    },
    get: async (id) => items.get(id),
    list: async () => [...items.values()],
    async fail(id, reason, log) {
      const v = items.get(id);
      if (v?.status !== 'in_progress') throw new ConditionLostError(`Verification ${id} is no longer in progress.`);
      v.status = 'fail';
      v.errorReason = reason;
      if (log) Object.assign(logs.get(log.id)!, log.changes);
    },
  };
  return { store, items, logs };
};

const setup = (publishError?: Error) => {
  const checkpoints = fakeCheckpointStore();
  const { store, items, logs } = fakeStore();
  const clock = fixedClock();
  const events = recordingPublisher(publishError);
  const c = newCheckpoint(PLAN, {}, CP, clock.now(), 3600);
  c.status = 'available';
  checkpoints.items.set(CP, c);
  const deps: VerificationDeps = {
    verifications: store,
    checkpoints,
    providers: { all: () => providers },
    events,
    clock,
    ids: { newId: sequentialIds() },
    log: () => undefined,
    deadlineSeconds: 3600,
  };
  return { deps, items, logs, events, clock };
};

describe('createVerification', () => {
  const input = (parameters: Verification['parameters'] = {}) => ({ providerId: AWS.id, checkpointId: CP, parameters });

  it('writes in_progress with its verify log and asks the protection worker', async () => {
    // Prepare
    const { deps, items, logs, events } = setup();
    // Act
    const v = await createVerification(deps, MEMBER, input({ 'AWS::DynamoDB::Table': { depth: 'basic' } }));
    // Assess
    expect(v).toMatchObject({ status: 'in_progress', attempts: 0, deadline: '2026-11-25T13:00:00.000Z' });
    expect(items.get(v.id)!.operationLogId).toBe(v.operationLogId);
    expect(logs.get(v.operationLogId!)).toMatchObject({ operationType: 'verify', status: 'in_progress', endedAt: null, checkpointId: CP });
    expect(events.events).toEqual([
      {
        detailType: 'Verification Requested',
        detail: { verification_id: v.id, project_id: 'p1', provider_id: AWS.id, checkpoint_id: CP, status: 'in_progress' },
      },
    ]);
  });

  it.each([
    [{ 'AWS::Nope::Thing': {} }, 'The key of verify parameters is invalid.'],
    [{ 'AWS::DynamoDB::Table': { restore_name: 'x' } }, 'The verify property of verify parameters is invalid.'],
    [{ 'AWS::DynamoDB::Table#': {} }, 'The resource_id must be a uuid.'],
  ])("fails parameters %j against the provider's verify_schema with Karbor's message, unlogged and unstarted", async (parameters, message) => {
    // Prepare
    const { deps, logs, events } = setup();
    // Act
    const v = await createVerification(deps, MEMBER, input(parameters));
    // Assess
    expect(v).toMatchObject({ status: 'fail', errorReason: message });
    expect(logs.size).toBe(0);
    expect(events.events).toEqual([]);
  });

  it('marks the verification and its log fail when the worker cannot be asked', async () => {
    // Prepare
    const { deps, items, logs } = setup(new Error('bus down'));
    // Act
    const v = await createVerification(deps, MEMBER, input());
    // Assess
    expect(v).toMatchObject({ status: 'fail', errorReason: 'Verification could not be started: bus down' });
    expect(items.get(v.id)!.status).toBe('fail');
    expect(logs.get(v.operationLogId!)).toMatchObject({ status: 'fail', errorInfo: 'Verification could not be started: bus down' });
  });

  it("refuses another project's checkpoint with no row", async () => {
    // Prepare
    const { deps, items } = setup();
    // Act / Assess
    await expect(createVerification(deps, STRANGER, input())).rejects.toBeInstanceOf(ForbiddenError);
    expect(items.size).toBe(0);
  });

  it('reads fail once its deadline passed unfinished', async () => {
    // Prepare
    const { deps, clock } = setup();
    const v = await createVerification(deps, MEMBER, input());
    clock.advance(3601);
    // Act
    const view = verificationView(v, clock.now().toISOString());
    // Assess
    expect(view).toMatchObject({ status: 'fail', status_reason: 'the job did not finish before its deadline' });
  });
});
