import { useState } from 'preact/hooks';
import { duration, formatFullTime, parseTime, RUNNING } from './api';
import type { ProjectData } from './data';
import { Section, Status, Table } from './ui';

/** Entries a page of the view shows. */
export const PAGE = 25;

/** The operation log, newest first, filtered by type, status, plan and free text, a page at a time, with full times and durations. */
export const OperationLogView = ({ data }: { data: ProjectData }) => {
  const [type, setType] = useState('');
  const [status, setStatus] = useState('');
  const [plan, setPlan] = useState('');
  const [text, setText] = useState('');
  const [page, setPage] = useState(0);
  // A filter's change starts again from the first page.
  const filter = (set: (v: string) => void) => (v: string) => {
    set(v);
    setPage(0);
  };
  const distinct = (f: (l: (typeof data.logs)[number]) => string) => [...new Set(data.logs.map(f))].sort();
  const planName = (id: string | null) => data.plans.find((p) => p.id === id)?.name ?? id ?? '';
  const needle = text.trim().toLowerCase();
  const rows = data.logs.filter(
    (l) =>
      (!type || l.operation_type === type) &&
      (!status || l.status === status) &&
      (!plan || l.plan_id === plan) &&
      (!needle || JSON.stringify(l).toLowerCase().includes(needle) || planName(l.plan_id).toLowerCase().includes(needle)),
  );
  const pages = Math.max(1, Math.ceil(rows.length / PAGE));
  const at = Math.min(page, pages - 1);
  const shown = rows.slice(at * PAGE, (at + 1) * PAGE);
  const select = (id: string, label: string, value: string, set: (v: string) => void, options: [string, string][]) => (
    <div>
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => filter(set)(e.currentTarget.value)}>
        <option value="">all</option>
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
  return (
    <Section id="log" title="Operation log">
      <fieldset class="filters">
        <legend class="sr-only">Filter the operation log</legend>
        {select(
          'log-type',
          'Type',
          type,
          setType,
          distinct((l) => l.operation_type).map((v) => [v, v]),
        )}
        {select(
          'log-status',
          'Status',
          status,
          setStatus,
          distinct((l) => l.status).map((v) => [v, v]),
        )}
        {select(
          'log-plan',
          'Plan',
          plan,
          setPlan,
          data.plans.map((p) => [p.id, p.name]),
        )}
        <div>
          <label for="log-text">Search</label>
          <input id="log-text" type="search" value={text} onInput={(e) => filter(setText)(e.currentTarget.value)} />
        </div>
      </fieldset>
      <p class="sub" aria-live="polite">
        {rows.length} of {data.logs.length} entries{rows.length > PAGE ? `, ${at * PAGE + 1} to ${at * PAGE + shown.length} shown` : ''}
      </p>
      <Table columns={['Started', 'Ended', 'Duration', 'Type', 'Status', 'Plan', { label: 'Checkpoint / restore', wide: true }, 'Error']}>
        {shown.map((l) => (
          <tr key={l.id}>
            <td>
              <time dateTime={l.started_at ?? undefined}>{formatFullTime(parseTime(l.started_at))}</time>
            </td>
            <td>
              <time dateTime={l.ended_at ?? undefined}>{formatFullTime(parseTime(l.ended_at))}</time>
            </td>
            <td>{duration(parseTime(l.started_at), parseTime(l.ended_at), RUNNING.has(l.status))}</td>
            <td>{l.operation_type}</td>
            <td>
              <Status status={l.status} />
            </td>
            <td>{planName(l.plan_id)}</td>
            <td class="wide">
              <code>{(l.restore_id ?? l.checkpoint_id ?? '').slice(0, 8)}</code>
            </td>
            <td class="reason">{l.error_info}</td>
          </tr>
        ))}
      </Table>
      {pages > 1 ? (
        <nav class="pager" aria-label="Operation log pages">
          <button type="button" disabled={at === 0} onClick={() => setPage(at - 1)}>
            Newer
          </button>
          <span>
            Page {at + 1} of {pages}
          </span>
          <button type="button" disabled={at >= pages - 1} onClick={() => setPage(at + 1)}>
            Older
          </button>
        </nav>
      ) : null}
    </Section>
  );
};
