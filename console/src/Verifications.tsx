import { extraOf, formatTime, parseTime, type ScheduledOperation } from './api';
import type { ProjectData } from './data';
import { JobStatus, ProjectOf, ResourceStatus, Section, Status, Table } from './ui';

const short = (id: string) => id.slice(0, 8);

/**
 * Verifications (Karbor's verifications API) with each resource's result and reason, and drills: the
 * scheduled operations of type `verify` (docs/decisions.md §24) with their next run and last result.
 */
/** The verification a drill's last run started (its run log's extra_info names it), if the page holds it. */
const lastVerification = (d: ProjectData, op: ScheduledOperation) => {
  const log = op.last_run ? d.logs.find((l) => l.id === op.last_run?.operation_log_id) : undefined;
  const id = log ? extraOf(log).verification_id : undefined;
  return typeof id === 'string' ? d.verifications.find((v) => v.id === id) : undefined;
};

export const Verifications = ({ data }: { data: ProjectData }) => {
  const planOf = (checkpointId: string) => data.checkpoints.find((c) => c.id === checkpointId)?.protection_plan.name;
  const planName = (id?: string) => data.plans.find((p) => p.id === id)?.name ?? (id ? short(id) : '?');
  const drills = data.operations.filter((op) => op.operation_type === 'verify');
  return (
    <Section id="verifications" title="Verifications">
      <p class="sub">Verify a checkpoint from its plan's details; a drill verifies a plan's newest available checkpoint on a schedule.</p>
      {data.verifications.length === 0 ? (
        <p>No verifications yet.</p>
      ) : (
        <Table columns={['Verification', 'Checkpoint', 'Status', 'Resources and reasons']}>
          {data.verifications.map((v) => (
            <tr key={v.id} data-verification={v.id}>
              <th scope="row">
                <code>{short(v.id)}</code>
                <ProjectOf id={v.project_id} />
              </th>
              <td>
                <code>{short(v.checkpoint_id)}</code>
                {planOf(v.checkpoint_id) ? <div class="sub">{planOf(v.checkpoint_id)}</div> : null}
              </td>
              <td>
                <JobStatus job={v} label={`Progress of verification ${short(v.id)}`} />
              </td>
              <td>
                <ResourceStatus status={v.resources_status} reasons={v.resources_reason} />
              </td>
            </tr>
          ))}
        </Table>
      )}
      <section id="drills" aria-labelledby="drills-title">
        <h3 id="drills-title">Drills</h3>
        {drills.length === 0 ? (
          <p>No drills: a scheduled operation of type verify makes one.</p>
        ) : (
          <Table columns={['Drill', 'Plan', 'Depth', 'Next run', 'Last result']}>
            {drills.map((op) => {
              const trigger = data.triggers.find((t) => t.id === op.trigger_id);
              const next = parseTime(op.next_run ?? trigger?.next_runs?.[0]);
              const depth = (op.operation_definition as { depth?: unknown }).depth;
              return (
                <tr key={op.id} data-drill={op.id}>
                  <th scope="row">
                    {op.name}
                    {trigger ? <div class="sub">{trigger.properties.pattern}</div> : null}
                  </th>
                  <td>{planName(op.operation_definition.plan_id)}</td>
                  <td>{typeof depth === 'string' ? depth : 'basic'}</td>
                  <td>{op.enabled ? (next === undefined ? 'not known' : formatTime(next)) : 'disabled'}</td>
                  <td>
                    {op.last_run ? (
                      <>
                        <LastResult op={op} data={data} />
                        <div class="sub">{formatTime(parseTime(op.last_run.time))}</div>
                      </>
                    ) : (
                      'not run yet'
                    )}
                  </td>
                </tr>
              );
            })}
          </Table>
        )}
      </section>
    </Section>
  );
};

/** A drill's last result: its verification's outcome once known, else how the run went (started, skipped, failed). */
const LastResult = ({ op, data }: { op: ScheduledOperation; data: ProjectData }) => {
  const v = lastVerification(data, op);
  if (v)
    return (
      <>
        verification <code>{short(v.id)}</code> <Status status={v.status} />
        {v.status_reason ? <div class="reason">{v.status_reason}</div> : null}
      </>
    );
  const log = data.logs.find((l) => l.id === op.last_run?.operation_log_id);
  return (
    <>
      run <Status status={op.last_run?.status ?? '?'} />
      {log?.error_info ? <div class="reason">{log.error_info}</div> : null}
    </>
  );
};
