import { type Checkpoint, duration, formatFullTime, type OperationLog, parseTime, type Restore, RUNNING } from './api';
import { type ProjectData, useCheckpointTimes } from './data';
import { JobStatus, ProgressBar, ResourceStatus, Section, Status, Table } from './ui';

const HISTORY = 50;
const short = (id: string) => id.slice(0, 8);

interface Job {
  key: string;
  what: string;
  of: string;
  status: string;
  started?: number;
  ended?: number;
}

/** A job's operation log (a checkpoint's: its protect's or copy's), where its start and end are kept to the second. */
const logOf = (logs: OperationLog[], job: { checkpoint_id?: string; restore_id?: string }) =>
  logs.find((l) =>
    job.restore_id ? l.restore_id === job.restore_id : l.checkpoint_id === job.checkpoint_id && !l.restore_id && /protect|copy/.test(l.operation_type),
  );

/** Finished checkpoints and restores, newest first, with how long each took (from its operation log). */
const history = (d: ProjectData, times: Map<string, number | undefined>): Job[] => {
  const planName = (id: string) => d.plans.find((p) => p.id === id)?.name ?? short(id);
  const checkpoints = d.checkpoints
    .filter((c) => !RUNNING.has(c.status))
    .map((c): Job => {
      const log = logOf(d.logs, { checkpoint_id: c.id });
      return {
        key: c.id,
        what: `checkpoint ${short(c.id)}`,
        of: c.protection_plan.name,
        status: c.status,
        started: parseTime(log?.started_at) ?? times.get(c.id),
        ended: parseTime(log?.ended_at),
      };
    });
  const restores = d.restores
    .filter((r) => !RUNNING.has(r.status))
    .map((r): Job => {
      const log = logOf(d.logs, { restore_id: r.id });
      const checkpoint = d.checkpoints.find((c) => c.id === r.checkpoint_id);
      return {
        key: r.id,
        what: `restore ${short(r.id)}`,
        of: checkpoint ? planName(checkpoint.protection_plan.id) : `checkpoint ${short(r.checkpoint_id)}`,
        status: r.status,
        started: parseTime(log?.started_at),
        ended: parseTime(log?.ended_at),
      };
    });
  return [...checkpoints, ...restores].sort((a, b) => (b.started ?? 0) - (a.started ?? 0)).slice(0, HISTORY);
};

const RunningCard = ({ label, title, started, job }: { label: string; title: string; started?: number; job: Checkpoint | Restore }) => (
  <article class="card job" aria-label={label}>
    <h3>
      {title} <Status status={job.status} />
    </h3>
    <p class="sub">started {formatFullTime(started)}</p>
    <ProgressBar progress={job.progress} label={`Progress of ${label}`} />
    <ResourceStatus status={job.resources_status} reasons={job.resources_reason} />
  </article>
);

/** Running checkpoints and restores with their progress per resource (the data polls fast while one runs), and the history with durations. */
export const Jobs = ({ data }: { data: ProjectData }) => {
  const times = useCheckpointTimes(data);
  const running = data.checkpoints.filter((c) => RUNNING.has(c.status));
  const restoring = data.restores.filter((r) => RUNNING.has(r.status));
  const done = history(data, times);
  return (
    <Section id="jobs" title="Jobs">
      <h3>Running</h3>
      <div aria-live="polite">
        {running.length === 0 && restoring.length === 0 ? <p>Nothing is running.</p> : null}
        {running.map((c) => (
          <RunningCard
            key={c.id}
            label={`Checkpoint ${short(c.id)} of ${c.protection_plan.name}`}
            title={`Checkpoint ${short(c.id)} of ${c.protection_plan.name}`}
            started={times.get(c.id)}
            job={c}
          />
        ))}
        {restoring.map((r) => (
          <RunningCard
            key={r.id}
            label={`Restore ${short(r.id)}`}
            title={`Restore ${short(r.id)} of checkpoint ${short(r.checkpoint_id)}`}
            started={parseTime(logOf(data.logs, { restore_id: r.id })?.started_at)}
            job={r}
          />
        ))}
      </div>
      <h3>History</h3>
      {done.length === 0 ? (
        <p>No job has finished yet.</p>
      ) : (
        <Table columns={['Job', 'Of', 'Started', 'Duration', 'Status']}>
          {done.map((j) => (
            <tr key={j.key} data-job={j.key}>
              <th scope="row">{j.what}</th>
              <td>{j.of}</td>
              <td>{formatFullTime(j.started)}</td>
              <td>{duration(j.started, j.ended)}</td>
              <td>
                <Status status={j.status} />
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
};

/** Every restore: of which checkpoint, its progress, each resource's status and what it was restored as (the restore's `restored_as`). */
export const Restores = ({ data }: { data: ProjectData }) => {
  const planOf = (checkpointId: string) => data.checkpoints.find((c) => c.id === checkpointId)?.protection_plan.name;
  return (
    <Section id="restores" title="Restores">
      {data.restores.length === 0 ? (
        <p>No restores yet: restore a checkpoint from its plan's details.</p>
      ) : (
        <Table columns={['Restore', 'Checkpoint', 'Started', 'Status', 'Resources', 'Restored as']}>
          {data.restores.map((r) => (
            <tr key={r.id} data-restore={r.id}>
              <th scope="row">
                <code>{short(r.id)}</code>
              </th>
              <td>
                <code>{short(r.checkpoint_id)}</code>
                {planOf(r.checkpoint_id) ? <div class="sub">{planOf(r.checkpoint_id)}</div> : null}
              </td>
              <td>{formatFullTime(parseTime(logOf(data.logs, { restore_id: r.id })?.started_at))}</td>
              <td>
                <JobStatus job={r} label={`Progress of restore ${short(r.id)}`} />
              </td>
              <td>
                <ResourceStatus status={r.resources_status} reasons={r.resources_reason} />
              </td>
              <td class="restored-as">
                {Object.keys(r.restored_as).length === 0 ? (
                  <span class="muted">{r.status === 'in_progress' ? 'shown when it finishes' : 'nothing new was made'}</span>
                ) : (
                  <ul>
                    {Object.entries(r.restored_as).map(([key, made]) => (
                      <li key={key}>
                        {key.split('#').slice(1).join('#')} → <code>{made}</code>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </Table>
      )}
    </Section>
  );
};
