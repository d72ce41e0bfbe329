import type { ActiveJob } from '../../../../../shared/features/jobs/model';
import type { SweepDeps } from '../../../../../shared/features/protection/model';
import { redeliverStalledJobs, SWEEP_GRACE_SECONDS } from '../../../../../shared/features/protection/use-cases';
import { fixedClock, recordingPublisher } from '../../../../support/protection-fakes';

const NOW = '2026-11-25T12:00:00.000Z';
const ago = (seconds: number) => new Date(Date.parse(NOW) - seconds * 1000).toISOString();

const setup = (jobs: ActiveJob[], publishError?: Error) => {
  const events = recordingPublisher(publishError);
  const released: string[] = [];
  const cutoffs: string[] = [];
  const release = async (id: string, token: string) => void released.push(`${id}/${token}`);
  const deps: SweepDeps = {
    active: {
      async list(before) {
        cutoffs.push(before);
        return jobs.filter((j) => `${j.since}#` <= before);
      },
    },
    jobs: { checkpoint: { release }, restore: { release }, verification: { release } },
    events,
    clock: fixedClock(NOW),
    log: () => undefined,
  };
  return { deps, events, released, cutoffs };
};

const job = (id: string, over: Partial<ActiveJob> = {}): ActiveJob => ({
  kind: 'checkpoint',
  id,
  projectId: 'p',
  status: 'protecting',
  since: ago(600),
  ...over,
});

describe('redeliverStalledJobs', () => {
  it('re-delivers each job whose lease is missing or lapsed as its own work request, and skips a live lease', async () => {
    // Prepare
    const { deps, events } = setup([
      job('c1'),
      job('c2', { status: 'deleting', leaseToken: 't', leaseUntil: ago(5) }),
      job('r1', { kind: 'restore', status: 'in_progress' }),
      job('v1', { kind: 'verification', status: 'in_progress' }),
      job('live', { leaseToken: 't', leaseUntil: ago(-60) }),
    ]);
    // Act
    const redelivered = await redeliverStalledJobs(deps);
    // Assess
    expect(redelivered.map((j) => j.id)).toEqual(['c1', 'c2', 'r1', 'v1']);
    expect(events.events).toEqual([
      { detailType: 'Checkpoint Requested', detail: expect.objectContaining({ checkpoint_id: 'c1', redelivered: true }) },
      { detailType: 'Checkpoint Delete Requested', detail: expect.objectContaining({ checkpoint_id: 'c2' }) },
      { detailType: 'Restore Requested', detail: expect.objectContaining({ restore_id: 'r1' }) },
      { detailType: 'Verification Requested', detail: expect.objectContaining({ verification_id: 'v1', redelivered: true }) },
    ]);
  });

  it('re-delivers a copy waiting or copying as a copy request', async () => {
    // Prepare
    const { deps, events } = setup([job('w1', { status: 'wait_copying' }), job('c1', { status: 'copying', leaseToken: 't', leaseUntil: ago(5) })]);
    // Act
    await redeliverStalledJobs(deps);
    // Assess
    expect(events.events).toEqual([
      { detailType: 'Checkpoint Copy Requested', detail: expect.objectContaining({ checkpoint_id: 'w1', status: 'wait_copying' }) },
      { detailType: 'Checkpoint Copy Requested', detail: expect.objectContaining({ checkpoint_id: 'c1', status: 'copying' }) },
    ]);
  });

  it('leaves a job younger than the grace to its own delivery, except at a restart', async () => {
    // Prepare
    const young = [job('young', { since: ago(SWEEP_GRACE_SECONDS - 5) })];
    const periodic = setup(young);
    const restart = setup(young);
    // Act
    const p = await redeliverStalledJobs(periodic.deps);
    const r = await redeliverStalledJobs(restart.deps, { restart: true });
    // Assess
    expect(p).toEqual([]);
    expect(r.map((j) => j.id)).toEqual(['young']);
  });

  it('at a restart gives back the dead runtime lease (by its token) instead of waiting it out', async () => {
    // Prepare
    const { deps, events, released } = setup([job('held', { leaseToken: 'old', leaseUntil: ago(-100) })]);
    // Act
    await redeliverStalledJobs(deps, { restart: true });
    // Assess
    expect(released).toEqual(['held/old']);
    expect(events.events).toHaveLength(1);
  });

  it('reports nothing redelivered when the bus refuses, for the next sweep to retry', async () => {
    // Prepare
    const { deps } = setup([job('c1')], new Error('bus down'));
    // Act / Assess
    expect(await redeliverStalledJobs(deps)).toEqual([]);
  });
});
