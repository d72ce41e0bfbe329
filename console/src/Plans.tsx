import { useState } from 'preact/hooks';
import { type Checkpoint, formatTime, type Plan } from './api';
import { go } from './router';
import type { Actions } from './Dashboard';
import { lastFailureOf, nextRunOf, type ProjectData, schedulesOf, useCheckpointTimes } from './data';
import { Timeline } from './Timeline';
import { JobStatus, ResourceStatus, Section, Status, Table } from './ui';

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
export const Plans = ({ data, actions, open }: { data: ProjectData; actions: Actions; open?: string }) => {
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
      {plan ? <PlanDetail plan={plan} data={data} times={times} actions={actions} /> : null}
    </Section>
  );
};

const PlanDetail = ({ plan, data, times, actions }: { plan: Plan; data: ProjectData; times: Times; actions: Actions }) => {
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
        <Table columns={['Checkpoint', 'Taken', 'Status', 'Resources', 'Actions']}>
          {checkpoints.map((c) => (
            <tr key={c.id} data-checkpoint={c.id}>
              <th scope="row">
                <code>{c.id.slice(0, 8)}</code>
              </th>
              <td>{formatTime(times.get(c.id))}</td>
              <td>
                <JobStatus job={c} label={`Progress of checkpoint ${c.id.slice(0, 8)}`} />
              </td>
              <td>
                <ResourceStatus status={c.resources_status} reasons={c.resources_reason} />
              </td>
              <td class="actions">
                <button
                  type="button"
                  disabled={c.status !== 'available'}
                  onClick={() => actions.restore(c)}
                  aria-label={`Restore checkpoint ${c.id.slice(0, 8)}`}
                >
                  Restore
                </button>
                <button type="button" class="danger" onClick={() => actions.deleteCheckpoint(c)} aria-label={`Delete checkpoint ${c.id.slice(0, 8)}`}>
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </Table>
      )}
      <AttachSchedule plan={plan} data={data} actions={actions} />
    </article>
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
