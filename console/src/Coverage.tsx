import { useCallback, useEffect, useState } from 'preact/hooks';
import { type Answer, call, formatTime, parseTime, type Session } from './api';
import { hrefOf } from './router';
import { Section, Table } from './ui';

type Unprotected = Answer<'protectables.listUnprotected'>['instances'][number] & { type: string };
type Report = Answer<'reports.create'>['report'];

/** At most this many per type on the page: the API pages further (decisions §21), the view says there are more. */
const PER_TYPE = 50;

/**
 * What no plan protects, and reports (extensions: docs/decisions.md §21 and
 * §22). Read when the view opens and on Refresh, never polled: each type's
 * list is a discovery call.
 */
export const Coverage = ({ session }: { session: Session }) => {
  const [found, setFound] = useState<{ items: Unprotected[]; more: string[]; failed: string[] } | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const load = useCallback(async () => {
    setProblem(undefined);
    try {
      const { protectable_type: types } = await call<'protectables.list'>(session, 'GET', '/protectables');
      // Each type on its own: one whose discovery fails (no EC2 reachable, say) leaves the others listed.
      const lists = await Promise.allSettled(
        types.map(async (type) => {
          const page = await call<'protectables.listUnprotected'>(session, 'GET', `/protectables/${encodeURIComponent(type)}/unprotected?limit=${PER_TYPE}`);
          return { type, instances: page.instances.map((i) => ({ ...i, type })), more: page.instances.length >= PER_TYPE };
        }),
      );
      const listed = lists.flatMap((l) => (l.status === 'fulfilled' ? [l.value] : []));
      const failed = lists.flatMap((l, i) => (l.status === 'rejected' ? [`${types[i]} (${(l.reason as Error).message})`] : []));
      setFound({ items: listed.flatMap((l) => l.instances), more: listed.filter((l) => l.more).map((l) => l.type), failed });
    } catch (e) {
      setProblem((e as Error).message);
    }
  }, [session]);
  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Section id="coverage" title="Coverage">
      <section id="unprotected" aria-labelledby="unprotected-title">
        <h3 id="unprotected-title">Unprotected resources</h3>
        <p class="sub">Resources discovery finds in this project that no plan covers (an instance's attached volumes count as covered).</p>
        <p>
          <button type="button" onClick={() => void load()}>
            Refresh
          </button>{' '}
          <a href={hrefOf('plans')}>Protect them with a new plan</a>
        </p>
        {problem ? <p role="alert">Could not list them: {problem}</p> : null}
        {!found ? (
          <p aria-busy="true">Looking…</p>
        ) : found.items.length === 0 ? (
          <p>Every discovered resource is covered by a plan.</p>
        ) : (
          <Table columns={['Type', 'Name', 'Id']}>
            {found.items.map((r) => (
              <tr key={`${r.type}#${r.id}`}>
                <td>{r.type}</td>
                <th scope="row">{r.name}</th>
                <td>
                  <code>{r.id}</code>
                </td>
              </tr>
            ))}
          </Table>
        )}
        {found?.failed.length ? <p class="sub">Could not list {found.failed.join('; ')}.</p> : null}
        {found?.more.length ? <p class="sub">More of {found.more.join(', ')} than shown: the API pages through them.</p> : null}
      </section>
      <Reports session={session} />
    </Section>
  );
};

/** Makes a report of the last 24 hours and links its files (the links expire: make another for fresh ones). */
const Reports = ({ session }: { session: Session }) => {
  const [report, setReport] = useState<Report | undefined>();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | undefined>();
  const make = async () => {
    setBusy(true);
    setProblem(undefined);
    try {
      setReport((await call<'reports.create'>(session, 'POST', '/reports', { report: {} })).report);
    } catch (e) {
      setProblem((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section id="reports" aria-labelledby="reports-title">
      <h3 id="reports-title">Reports</h3>
      <p class="sub">Every job of the last 24 hours and each plan's compliance, as JSON and CSV in the bank.</p>
      <p>
        <button type="button" onClick={() => void make()} disabled={busy} aria-busy={busy}>
          Make a report
        </button>
      </p>
      {problem ? <p role="alert">Could not make the report: {problem}</p> : null}
      {report ? (
        <div class="report">
          <p>
            {report.job_count} jobs and {report.plan_count} plans, {formatTime(parseTime(report.since))} to {formatTime(parseTime(report.until))}. The links
            expire at {formatTime(parseTime(report.links_expire_at))}.
          </p>
          <ul class="plain">
            {report.links.map((l) => (
              <li key={l.rel}>
                <a href={l.href} download>
                  {l.rel}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
};
