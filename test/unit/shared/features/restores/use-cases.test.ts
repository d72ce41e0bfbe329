import { newCheckpoint } from '../../../../../shared/features/checkpoints/use-cases';
import { ForbiddenError, InvalidInputError, NotFoundError } from '../../../../../shared/kernel/errors';
import { coerceParameters, createRestore, restoreParametersProblem, showRestore } from '../../../../../shared/features/restores/use-cases';
import type { RestoreDeps } from '../../../../../shared/features/restores/model';
import { restoreView } from '../../../../../shared/features/restores/views';
import { loadProviders } from '../../../../../shared/features/providers/registry';
import { fakeCheckpointStore, fakeRestoreStore, fixedClock, recordingPublisher, sequentialIds } from '../../../../support/protection-fakes';

const providers = loadProviders();
const NOOP = providers.find((p) => p.name === 'No-Op Provider')!;
const AWS = providers.find((p) => p.name === 'AWS Provider')!;
const PLAN = { id: 'plan', projectId: 'p1', name: 'plan', description: null, providerId: NOOP.id, status: 'suspended', resources: [], parameters: {} };
const MEMBER = { userId: 'alice', projectId: 'p1', roles: [], isAdmin: false };
const STRANGER = { userId: 'bob', projectId: 'p2', roles: [], isAdmin: false };
const CP = '22222222-2222-4222-8222-222222222222';

const setup = (status = 'available', publishError?: Error) => {
  const checkpoints = fakeCheckpointStore();
  const restores = fakeRestoreStore();
  const clock = fixedClock();
  const events = recordingPublisher(publishError);
  const c = newCheckpoint(PLAN, {}, CP, clock.now(), 3600);
  c.status = status as never;
  checkpoints.items.set(CP, c);
  const deps: RestoreDeps = {
    log: () => undefined,
    restores,
    checkpoints,
    providers: { all: () => providers },
    events,
    clock,
    ids: { newId: sequentialIds() },
    deadlineSeconds: 3600,
  };
  return { deps, restores, events, clock };
};

describe('restoreParametersProblem', () => {
  it("applies Karbor's key, property and id rules against restore_schema", () => {
    // Act / Assess
    expect(restoreParametersProblem(NOOP, {})).toBeUndefined();
    expect(restoreParametersProblem(NOOP, { 'OS::Nova::Server': {} })).toBeUndefined();
    expect(restoreParametersProblem(NOOP, { 'OS::Nova::Server': { x: '1' } })).toBe('The restore property of restore parameters is invalid.');
    expect(restoreParametersProblem(NOOP, { 'Nope::Type': {} })).toBe('The key of restore parameters is invalid.');
    expect(restoreParametersProblem(NOOP, { 'OS::Nova::Server#abc': {} })).toBe('The resource_id must be a uuid.');
    expect(restoreParametersProblem(AWS, { 'AWS::DynamoDB::Table#orders': { restore_name: 'x' } })).toBeUndefined();
    expect(restoreParametersProblem(AWS, { 'AWS::DynamoDB::Table': { nope: 'x' } })).toBe('The restore property of restore parameters is invalid.');
  });

  it('coerces parameter leaves to strings as Karbor stores them', () => {
    expect(coerceParameters({ T: { a: 5, b: true, c: false, d: 's' }, U: null })).toEqual({ T: { a: '5', b: 'True', c: 'False', d: 's' }, U: null });
  });
});

describe('createRestore', () => {
  const input = (over: Record<string, unknown> = {}) => ({ providerId: NOOP.id, checkpointId: CP, restoreTarget: null, parameters: {}, ...over });

  it('writes in_progress and asks the worker', async () => {
    // Prepare
    const { deps, restores, events } = setup();
    // Act
    const r = await createRestore(deps, MEMBER, input());
    // Assess
    expect(restores.items.get(r.id)!.status).toBe('in_progress');
    expect(events.events).toEqual([
      { detailType: 'Restore Requested', detail: { restore_id: r.id, project_id: 'p1', provider_id: NOOP.id, checkpoint_id: CP, status: 'in_progress' } },
    ]);
  });

  it('writes fail (and publishes Restore Failed) for a checkpoint that is not available', async () => {
    // Prepare
    const { deps, restores, events } = setup('error');
    // Act
    const r = await createRestore(deps, MEMBER, input());
    // Assess
    expect(r.status).toBe('fail');
    expect(restores.items.get(r.id)!.errorReason).toBe(`The checkpoint ${CP} is not available.`);
    expect(events.events[0].detailType).toBe('Restore Failed');
  });

  it("answers 403 and writes nothing for another project's checkpoint", async () => {
    // Prepare
    const { deps, restores } = setup();
    // Act / Assess
    await expect(createRestore(deps, STRANGER, input())).rejects.toThrow(new ForbiddenError(`Access checkpoint ${CP} is not allowed`));
    expect(restores.items.size).toBe(0);
  });

  it('writes fail for an unknown provider or a checkpoint of another provider', async () => {
    // Prepare
    const { deps } = setup();
    // Act
    const unknown = await createRestore(deps, MEMBER, input({ providerId: '9b1d0f4e-7a3c-4d2e-9f55-000000000001' }));
    const other = await createRestore(deps, MEMBER, input({ providerId: AWS.id }));
    // Assess
    expect(unknown.status).toBe('fail');
    expect(other.status).toBe('fail');
  });

  it('marks the restore fail when the worker cannot be asked', async () => {
    // Prepare
    const { deps, restores } = setup('available', new Error('bus down'));
    // Act
    const r = await createRestore(deps, MEMBER, input());
    // Assess
    expect(r.status).toBe('fail');
    expect(restores.items.get(r.id)!.status).toBe('fail');
  });

  it("shows only the caller's restores, and a stale in_progress as fail", async () => {
    // Prepare
    const { deps, clock } = setup();
    const r = await createRestore(deps, MEMBER, input());
    // Act / Assess
    await expect(showRestore(deps, STRANGER, r.id)).rejects.toThrow(new NotFoundError(`Restore ${r.id} could not be found.`));
    await expect(showRestore(deps, MEMBER, 'x')).rejects.toThrow(new InvalidInputError('Invalid restore id provided.'));
    clock.advance(3601);
    expect(restoreView(await showRestore(deps, MEMBER, r.id), clock.now().toISOString()).status).toBe('fail');
  });
});
