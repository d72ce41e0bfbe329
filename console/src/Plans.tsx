import { useState } from 'preact/hooks';
import { type Checkpoint, formatTime, type Plan } from './api';
import { go } from './router';
import type { Actions, Viewer } from './Dashboard';
import { bindingLock, copyInfo, deleteRefusal } from './checkpoint-state';
import { lastFailureOf, nextRunOf, type ProjectData, schedulesOf, useCheckpointTimes } from './data';
import { Timeline } from './Timeline';
import { JobStatus, ProjectOf, ResourceStatus, Section, Status, Table } from './ui';

type Times = Map<string, number | undefined>;

export interface ScheduleRequest {
  name: string;
  /** An existing trigger, or a new one from format and pattern. */
  triggerId?: string;
  format: 'crontab' | 'calendar';
  pattern: string;
  operationType: 'protect' | 'retention_protect';
  maxBackups?: string;
}

const checkpointsOf = (d: ProjectData, planId: string, times: Times): Checkpoint[] =>
  d.checkpoints.filter((c) => c.protection_plan.id === planId).sort((a, b) => (times.get(b.id) ?? 0) - (times.get(a.id) ?? 0));

/** The plans, and the details of the one the route names (`#/plans/<id>`): a plan's button opens or closes them. */
export const Plans = ({ data, actions, open, viewer }: { data: ProjectData; actions: Actions; open?: string; viewer: Viewer }) => {
  const times = useCheckpointTimes(data);
  const provider = (id: string) => data.providers.find((p) => p.id === id)?.name ?? id;
  const plan = data.plans.find((p) => p.id === open);
  return (
    <Section id="plans" title="Plans">
      {data.plans.length === 0 ? <p>No plans yet: create one from discovered resources below.</p> : null}
      <Table columns={['Plan', { label: 'Provider', wide: true }, 'Last checkpoint', 'Last failure', 'Next run', 'Actions']}>
        {data.plans.map((p) => {
          const last = checkpointsOf(data, p.id, times)[0];
          const failure = lastFailureOf(data, p.id, times);
          const schedules = schedulesOf(data, p.id);
          const next = nextRunOf(data, p.id);
          return (
            <tr key={p.id}>
              <th scope="row">
                <button
                  type="button"
                  class="link"
                  aria-expanded={open === p.id}
                  aria-controls="plan-detail"
                  onClick={() => go('plans', open === p.id ? undefined : p.id)}
                >
                  {p.name}
                </button>
                <div class="sub">{p.resources.length} resources</div>
                <ProjectOf id={data.checkpoints.find((c) => c.protection_plan.id === p.id)?.project_id} />
              </th>
              <td class="wide">{provider(p.provider_id)}</td>
              <td>
                {last ? (
                  <>
                    <Status status={last.status} /> <div class="sub">{formatTime(times.get(last.id))}</div>
                  </>
                ) : (
                  'none'
                )}
              </td>
              <td>
                {failure ? (
                  <>
                    <span class="reason">{failure.reason}</span>
                    <div class="sub">{formatTime(failure.at)}</div>
                  </>
                ) : (
                  'none'
                )}
              </td>
              <td>
                {next !== undefined
                  ? formatTime(next)
                  : schedules.length
                    ? schedules.map(({ trigger }) => (trigger ? `${trigger.properties.format} ${trigger.properties.pattern}` : '?')).join(', ')
                    : 'not scheduled'}
              </td>
              <td>
                <button type="button" onClick={() => actions.startCheckpoint(p)} aria-label={`Start checkpoint of ${p.name}`}>
                  Start checkpoint
                </button>
              </td>
            </tr>
          );
        })}
      </Table>
      {plan ? <PlanDetail plan={plan} data={data} times={times} actions={actions} viewer={viewer} /> : null}
    </Section>
  );
};

const PlanDetail = ({ plan, data, times, actions, viewer }: { plan: Plan; data: ProjectData; times: Times; actions: Actions; viewer: Viewer }) => {
  const checkpoints = checkpointsOf(data, plan.id, times);
  return (
    <article id="plan-detail" class="card" aria-labelledby="plan-detail-title">
      <h3 id="plan-detail-title">Plan {plan.name}</h3>
      <p class="sub">
        {plan.resources.map((r) => `${r.type} ${r.name ?? r.id}`).join(' · ')} · status {plan.status}
      </p>
      <Timeline plan={plan} data={data} times={times} />
      <h4>Checkpoints</h4>
      {checkpoints.length === 0 ? (
        <p>No checkpoints yet.</p>
      ) : (
        <Table columns={['Checkpoint', 'Taken', 'Status', 'Lock', 'Resources', 'Actions']}>
          {checkpoints.map((c) => (
            <CheckpointRow key={c.id} c={c} taken={times.get(c.id)} actions={actions} viewer={viewer} />
          ))}
        </Table>
      )}
      <AttachSchedule plan={plan} data={data} actions={actions} />
    </article>
  );
};

/** A lock's and a hold's state: mode and end date, on hold or not. */
export const LockState = ({ c }: { c: Checkpoint }) => {
  const lock = bindingLock(c);
  return (
    <>
      {lock ? (
        <span class={`lock lock-${lock.mode}`}>
          {lock.mode} lock until {formatTime(lock.untilMs)}
        </span>
      ) : (
        <span class="muted">not locked</span>
      )}
      {c.legal_hold ? <div class="lock lock-hold">legal hold</div> : null}
    </>
  );
};

/** A checkpoint of the plan with what may be done to it; what a member may not do is disabled with the reason. */
const CheckpointRow = ({ c, taken, actions, viewer }: { c: Checkpoint; taken?: number; actions: Actions; viewer: Viewer }) => {
  const id = c.id.slice(0, 8);
  const copy = copyInfo(c);
  const lock = bindingLock(c);
  const refusal = deleteRefusal(c, formatTime);
  const available = c.status === 'available';
  // Why this user cannot lift the lock or release the hold (docs/decisions.md §19), if they cannot.
  const liftRefusal = lock?.mode === 'compliance' ? 'A compliance lock cannot be lifted.' : viewer.admin ? undefined : 'Only an admin may lift a lock.';
  const releaseRefusal = viewer.admin ? undefined : 'Only an admin may release a hold.';
  const reasons = Boolean(refusal || (lock && liftRefusal) || (c.legal_hold && releaseRefusal));
  return (
    <tr data-checkpoint={c.id}>
      <th scope="row">
        <code>{id}</code>
        {copy ? <div class="sub">copy{copy.source ? ` of ${copy.source.slice(0, 8)}` : ''}</div> : null}
        <ProjectOf id={c.project_id} />
      </th>
      <td>{formatTime(taken)}</td>
      <td>
        <JobStatus job={c} label={`Progress of checkpoint ${id}`} />
      </td>
      <td>
        <LockState c={c} />
      </td>
      <td>
        <ResourceStatus status={c.resources_status} reasons={c.resources_reason} />
      </td>
      <td class="actions">
        <div class="buttons">
          <button type="button" disabled={!available} onClick={() => actions.restore(c)} aria-label={`Restore checkpoint ${id}`}>
            Restore
          </button>
          <button type="button" disabled={!available} onClick={() => actions.verify(c)} aria-label={`Verify checkpoint ${id}`}>
            Verify
          </button>
          <button type="button" disabled={!available || Boolean(copy)} onClick={() => actions.copy(c)} aria-label={`Copy checkpoint ${id}`}>
            Copy
          </button>
          <button type="button" disabled={!available} onClick={() => actions.lock(c)} aria-label={`${lock ? 'Extend the lock of' : 'Lock'} checkpoint ${id}`}>
            {lock ? 'Extend lock' : 'Lock'}
          </button>
          {lock ? (
            <button
              type="button"
              disabled={Boolean(liftRefusal)}
              aria-describedby={liftRefusal ? `lift-${c.id}` : undefined}
              onClick={() => actions.unlock(c)}
              aria-label={`Lift the lock of checkpoint ${id}`}
            >
              Lift lock
            </button>
          ) : null}
          {c.legal_hold ? (
            <button
              type="button"
              disabled={Boolean(releaseRefusal)}
              aria-describedby={releaseRefusal ? `release-${c.id}` : undefined}
              onClick={() => actions.hold(c, false)}
              aria-label={`Release the hold of checkpoint ${id}`}
            >
              Release hold
            </button>
          ) : (
            <button type="button" disabled={!available} onClick={() => actions.hold(c, true)} aria-label={`Place a legal hold on checkpoint ${id}`}>
              Hold
            </button>
          )}
          <button
            type="button"
            class="danger"
            disabled={Boolean(refusal)}
            aria-describedby={refusal ? `delete-${c.id}` : undefined}
            onClick={() => actions.deleteCheckpoint(c)}
            aria-label={`Delete checkpoint ${id}`}
          >
            Delete
          </button>
        </div>
        {reasons ? (
          <div class="sub">
            {refusal ? <div id={`delete-${c.id}`}>Delete: {refusal}.</div> : null}
            {lock && liftRefusal ? <div id={`lift-${c.id}`}>{liftRefusal}</div> : null}
            {c.legal_hold && releaseRefusal ? <div id={`release-${c.id}`}>{releaseRefusal}</div> : null}
          </div>
        ) : null}
      </td>
    </tr>
  );
};

const AttachSchedule = ({ plan, data, actions }: { plan: Plan; data: ProjectData; actions: Actions }) => {
  const [r, setR] = useState<ScheduleRequest>({
    name: `${plan.name} hourly`,
    format: 'crontab',
    pattern: '0 * * * *',
    operationType: 'protect',
    maxBackups: '5',
  });
  const set = (patch: Partial<ScheduleRequest>) => setR({ ...r, ...patch });
  const submit = async (e: Event) => {
    e.preventDefault();
    await actions.attachSchedule(plan, r);
  };
  return (
    <form class="grid" onSubmit={submit} aria-labelledby="attach-title">
      <h4 id="attach-title">Attach a schedule</h4>
      <label for="s-name">Name</label>
      <input id="s-name" required value={r.name} onInput={(e) => set({ name: e.currentTarget.value })} />
      <label for="s-trigger">Trigger</label>
      <select id="s-trigger" value={r.triggerId ?? ''} onChange={(e) => set({ triggerId: e.currentTarget.value || undefined })}>
        <option value="">New trigger</option>
        {data.triggers.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} ({t.properties.pattern})
          </option>
        ))}
      </select>
      {r.triggerId ? null : (
        <>
          <label for="s-format">Format</label>
          <select id="s-format" value={r.format} onChange={(e) => set({ format: e.currentTarget.value as ScheduleRequest['format'] })}>
            <option value="crontab">crontab</option>
            <option value="calendar">calendar (iCalendar RRULE)</option>
          </select>
          <label for="s-pattern">Pattern</label>
          <input id="s-pattern" required value={r.pattern} onInput={(e) => set({ pattern: e.currentTarget.value })} />
        </>
      )}
      <label for="s-type">Operation</label>
      <select id="s-type" value={r.operationType} onChange={(e) => set({ operationType: e.currentTarget.value as ScheduleRequest['operationType'] })}>
        <option value="protect">protect</option>
        <option value="retention_protect">protect, then apply retention</option>
      </select>
      {r.operationType === 'retention_protect' ? (
        <>
          <label for="s-max">Keep at most (checkpoints)</label>
          <input id="s-max" type="number" min={1} value={r.maxBackups} onInput={(e) => set({ maxBackups: e.currentTarget.value })} />
        </>
      ) : null}
      <button type="submit">Attach schedule</button>
    </form>
  );
};
