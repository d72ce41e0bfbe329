import { formatTime, RUNNING } from './api';
import { type ProjectData, useCheckpointTimes } from './data';
import { JobStatus, ProgressBar, ResourceStatus, Section, Status, Table } from './ui';

/** Running checkpoints and restores with live progress (the data polls fast while one runs), and the latest restores. */
export const Jobs = ({ data }: { data: ProjectData }) => {
  const times = useCheckpointTimes(data);
  const running = data.checkpoints.filter((c) => RUNNING.has(c.status));
  const restores = data.restores.slice(0, 10);
  return (
    <Section id="jobs" title="Jobs">
      <div aria-live="polite">
        {running.length === 0 && !data.restores.some((r) => RUNNING.has(r.status)) ? <p>Nothing is running.</p> : null}
        {running.map((c) => (
          <article key={c.id} class="card job" aria-label={`Checkpoint ${c.id.slice(0, 8)} of ${c.protection_plan.name}`}>
            <h3>
              Checkpoint <code>{c.id.slice(0, 8)}</code> of {c.protection_plan.name} <Status status={c.status} />
            </h3>
            <p class="sub">started {formatTime(times.get(c.id))}</p>
            <ProgressBar progress={c.progress} label={`Progress of checkpoint ${c.id.slice(0, 8)}`} />
            <ResourceStatus status={c.resources_status} reasons={c.resources_reason} />
          </article>
        ))}
      </div>
      <h3>Restores</h3>
      {restores.length === 0 ? (
        <p>No restores yet.</p>
      ) : (
        <Table columns={['Restore', 'Checkpoint', 'Status', 'Resources', 'Restored as']}>
          {restores.map((r) => (
            <tr key={r.id} data-restore={r.id}>
              <th scope="row">
                <code>{r.id.slice(0, 8)}</code>
              </th>
              <td>
                <code>{r.checkpoint_id.slice(0, 8)}</code>
              </td>
              <td>
                <JobStatus job={r} label={`Progress of restore ${r.id.slice(0, 8)}`} />
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
