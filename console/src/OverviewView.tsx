import { formatBytes, type Overview } from './api';
import type { ProjectData } from './data';
import { hrefOf } from './router';
import { Section } from './ui';

type Day = Overview['days'][number];
const KINDS = ['protect', 'copy', 'restore', 'verify', 'delete'] as const;

const totals = (d: Day) => ({
  success: KINDS.reduce((n, k) => n + d[k].success, 0),
  error: KINDS.reduce((n, k) => n + d[k].error, 0),
});

/** What one day's bar says (its tooltip and its accessible text). */
const dayText = (d: Day): string => {
  const t = totals(d);
  const kinds = KINDS.filter((k) => d[k].success + d[k].error > 0).map((k) => `${k} ${d[k].success} ok, ${d[k].error} failed`);
  return `${d.date}: ${t.success} succeeded, ${t.error} failed${kinds.length ? ` (${kinds.join('; ')})` : ''}`;
};

const W = 620;
const H = 170;
const TOP = 10;
const BOTTOM = 24;
const LEFT = 30;

/** Jobs per day over 30 days, succeeded below failed, one bar a day with its numbers as a tooltip; a fixed size, so polling never moves the page. */
export const JobsChart = ({ days }: { days: Day[] }) => {
  const max = Math.max(1, ...days.map((d) => totals(d).success + totals(d).error));
  const plot = H - TOP - BOTTOM;
  const step = (W - LEFT) / days.length;
  const y = (n: number) => (n / max) * plot;
  const all = days.reduce((n, d) => n + totals(d).success + totals(d).error, 0);
  const failed = days.reduce((n, d) => n + totals(d).error, 0);
  return (
    <figure class="chart">
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-labelledby="chart-title chart-desc">
        <title id="chart-title">Jobs per day, last 30 days</title>
        <desc id="chart-desc">
          {all} jobs finished in 30 days, {failed} of them failed.
        </desc>
        <line class="axis" x1={LEFT} x2={W} y1={H - BOTTOM} y2={H - BOTTOM} />
        <text class="tick" x={LEFT - 4} y={TOP + 4} text-anchor="end">
          {max}
        </text>
        <text class="tick" x={LEFT - 4} y={H - BOTTOM} text-anchor="end">
          0
        </text>
        {days.map((d, i) => {
          const t = totals(d);
          const x = LEFT + i * step + 2;
          const ok = y(t.success);
          const bad = y(t.error);
          return (
            <g key={d.date} class="bar" data-date={d.date}>
              <title>{dayText(d)}</title>
              {/* A transparent full-height target, so the tooltip shows on days without jobs too. */}
              <rect class="hit" x={x} y={TOP} width={step - 4} height={plot} />
              {t.success ? <rect class="ok" x={x} y={H - BOTTOM - ok} width={step - 4} height={ok} /> : null}
              {t.error ? <rect class="failed" x={x} y={H - BOTTOM - ok - bad} width={step - 4} height={bad} /> : null}
            </g>
          );
        })}
        {[0, Math.floor(days.length / 2), days.length - 1].map((i) =>
          days[i] ? (
            <text key={i} class="tick" x={LEFT + i * step + step / 2} y={H - 6} text-anchor="middle">
              {days[i].date.slice(5)}
            </text>
          ) : null,
        )}
      </svg>
      <figcaption>
        <span class="swatch ok" /> succeeded <span class="swatch failed" /> failed · hover a day for its jobs by kind
      </figcaption>
    </figure>
  );
};

const Figure = ({ label, value, sub, href }: { label: string; value: string | number; sub?: string; href?: string }) => (
  <div class="figure">
    <dt>{href ? <a href={href}>{label}</a> : label}</dt>
    <dd>
      <strong>{value}</strong>
      {sub ? <div class="sub">{sub}</div> : null}
    </dd>
  </div>
);

/** The first view: plans by compliance, jobs running, the last 24 hours, 30 days of jobs and the bank's size (GET /overview). */
export const OverviewView = ({ data }: { data: ProjectData }) => {
  const o = data.overview;
  return (
    <Section id="overview" title="Overview">
      <dl class="figures">
        <Figure
          label="Plans compliant"
          value={o.plans.compliant}
          sub={`${o.plans.late} late · ${o.plans.unprotected} never protected`}
          href={hrefOf('plans')}
        />
        <Figure label="Late plans" value={o.plans.late} sub="no good checkpoint within two intervals" href={hrefOf('plans')} />
        <Figure label="Jobs running" value={o.jobs_running} sub="checkpoints, restores, verifications" href={hrefOf('jobs')} />
        <Figure label="Last 24 hours" value={`${o.last_24h.success} ok`} sub={`${o.last_24h.error} failed`} href={hrefOf('log')} />
        <Figure label="Bank size" value={o.bank_bytes === null ? '—' : formatBytes(o.bank_bytes)} sub="as protects and deletes recorded it" />
      </dl>
      <h3>Jobs per day</h3>
      <JobsChart days={o.days} />
    </Section>
  );
};
