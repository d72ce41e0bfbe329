import { formatTime, parseTime } from './api';
import type { ProjectData } from './data';
import { Section, Status, Table } from './ui';

/** Triggers with their next five runs (when the API tells them) and what each one runs. */
export const Schedules = ({ data }: { data: ProjectData }) => {
  const planName = (id?: string) => data.plans.find((p) => p.id === id)?.name ?? id ?? '?';
  return (
    <Section id="schedules" title="Schedules">
      {data.triggers.length === 0 ? <p>No triggers: attach a schedule to a plan from its details.</p> : null}
      <Table columns={['Trigger', 'Pattern', 'Next five runs', 'Runs']}>
        {data.triggers.map((t) => (
          <tr key={t.id}>
            <th scope="row">{t.name}</th>
            <td>
              <code>{t.properties.pattern}</code>
              <div class="sub">{t.properties.format}</div>
            </td>
            <td>
              {t.next_runs ? (
                t.next_runs.length ? (
                  <ol class="runs">
                    {t.next_runs.slice(0, 5).map((r) => (
                      <li key={r}>{formatTime(parseTime(r))}</li>
                    ))}
                  </ol>
                ) : (
                  'ended'
                )
              ) : (
                <span class="sub">not reported by this API</span>
              )}
            </td>
            <td>
              <ul class="plain">
                {data.operations
                  .filter((op) => op.trigger_id === t.id)
                  .map((op) => (
                    <li key={op.id}>
                      {op.name}: {op.operation_type} {planName(op.operation_definition.plan_id)}
                      {op.enabled ? '' : ' (disabled)'}
                      {op.last_run ? (
                        <div class="sub">
                          last run {formatTime(parseTime(op.last_run.time))} <Status status={op.last_run.status} />
                        </div>
                      ) : null}
                    </li>
                  ))}
              </ul>
            </td>
          </tr>
        ))}
      </Table>
    </Section>
  );
};
