import { useEffect, useRef, useState } from 'preact/hooks';
import { extraOf, formatTime, parseTime, type Plan } from './api';
import { type ProjectData, schedulesOf } from './data';
import { outcome } from './ui';

type Kind = 'ok' | 'failed' | 'running' | 'other' | 'deleted' | 'retention' | 'scheduled';

interface Mark {
  at: number;
  kind: Kind;
  label: string;
}

const LEGEND: Record<Kind, string> = {
  ok: 'available',
  failed: 'failed',
  running: 'running',
  other: 'skipped or other',
  deleted: 'deleted',
  retention: 'deleted by retention',
  scheduled: 'scheduled run',
};

const AXIS = 44;
const PAD = 24;

/** Every run of a plan: its checkpoints (taken, failed, deleted by hand or by retention) and its next scheduled runs. */
const marksOf = (plan: Plan, d: ProjectData, times: Map<string, number | undefined>): Mark[] => {
  const existing = new Map(d.checkpoints.filter((c) => c.protection_plan.id === plan.id).map((c) => [c.id, c]));
  const pruned = new Set(
    d.logs.flatMap((l) => {
      const retention = extraOf(l).retention as { deleted?: string[] } | undefined;
      return retention?.deleted ?? [];
    }),
  );
  const marks: Mark[] = [];
  const seen = new Set<string>();
  for (const log of d.logs) {
    if (log.plan_id !== plan.id || !log.operation_type.endsWith('protect')) continue;
    // One mark per checkpoint, however many logs name it (a scheduled run's and its protect's): counts match the table.
    if (log.checkpoint_id && seen.has(log.checkpoint_id)) continue;
    const at = parseTime(log.started_at);
    if (at === undefined) continue;
    const c = log.checkpoint_id ? existing.get(log.checkpoint_id) : undefined;
    if (log.checkpoint_id) seen.add(log.checkpoint_id);
    const kind: Kind = c ? outcome(c.status) : log.checkpoint_id ? (pruned.has(log.checkpoint_id) ? 'retention' : 'deleted') : outcome(log.status);
    marks.push({ at, kind, label: `${formatTime(at)}: ${LEGEND[kind]}${c ? ` (${c.status})` : log.error_info ? ` (${log.error_info})` : ''}` });
  }
  for (const c of existing.values()) {
    const at = times.get(c.id);
    if (!seen.has(c.id) && at !== undefined) marks.push({ at, kind: outcome(c.status), label: `${formatTime(at)}: checkpoint ${c.status}` });
  }
  for (const { op, trigger } of schedulesOf(d, plan.id)) {
    const runs = trigger?.next_runs ?? (op.next_run ? [op.next_run] : []);
    for (const run of runs) {
      const at = parseTime(run);
      if (at !== undefined) marks.push({ at, kind: 'scheduled', label: `${formatTime(at)}: scheduled (${op.name})` });
    }
  }
  return marks.sort((a, b) => a.at - b.at);
};

const summary = (plan: Plan, marks: Mark[]): string => {
  const counts = new Map<Kind, number>();
  for (const m of marks) counts.set(m.kind, (counts.get(m.kind) ?? 0) + 1);
  const parts = [...counts].map(([k, n]) => `${n} ${LEGEND[k]}`);
  return `Timeline of plan ${plan.name}: ${parts.length ? parts.join(', ') : 'no runs yet'}.`;
};

/** The plan's runs on a time axis (inline SVG), coloured by outcome, with a legend and a text summary for screen readers. */
export const Timeline = ({ plan, data, times }: { plan: Plan; data: ProjectData; times: Map<string, number | undefined> }) => {
  const marks = marksOf(plan, data, times);
  // Drawn at the figure's own width, so marks and labels keep their size on a phone.
  const figure = useRef<HTMLElement>(null);
  const [W, setW] = useState(640);
  useEffect(() => {
    const observer = new ResizeObserver(([entry]) => setW(Math.max(240, Math.round(entry.contentRect.width))));
    if (figure.current) observer.observe(figure.current);
    return () => observer.disconnect();
  }, []);
  const now = Date.now();
  // The axis spans the plan's runs and now, a little wider on each side; with no run yet, the last hour.
  const lo = Math.min(now, ...marks.map((m) => m.at));
  const hi = Math.max(now, ...marks.map((m) => m.at));
  const pad = Math.max((hi - lo) * 0.08, 60_000);
  const [from, to] = marks.length === 0 ? [now - 3600_000, now + 600_000] : [lo - pad, hi + pad];
  const x = (t: number) => PAD + ((t - from) / (to - from)) * (W - 2 * PAD);
  const kinds = [...new Set(marks.map((m) => m.kind))];
  // Runs closer than a mark's width stack upwards (three high at most) rather than hide each other.
  let lastX = Number.NEGATIVE_INFINITY;
  let lane = 0;
  const placed = marks.map((m) => {
    const cx = x(m.at);
    lane = cx - lastX < 12 ? (lane + 1) % 3 : 0;
    if (lane === 0) lastX = cx;
    return { m, cx, cy: AXIS - lane * 13 };
  });
  return (
    <figure class="timeline" ref={figure}>
      <svg viewBox={`0 0 ${W} 84`} role="img" aria-label={summary(plan, marks)} width={W} height={84}>
        <line x1={PAD} x2={W - PAD} y1={AXIS} y2={AXIS} class="axis" />
        <line x1={x(now)} x2={x(now)} y1={12} y2={AXIS + 14} class="now" />
        <text x={x(now)} y={10} text-anchor="middle" class="tick">
          now
        </text>
        {placed.map(({ m, cx, cy }) =>
          m.kind === 'scheduled' ? (
            <rect key={`${m.at}-s`} x={cx - 5} y={cy - 5} width={10} height={10} transform={`rotate(45 ${cx} ${cy})`} class="mark scheduled">
              <title>{m.label}</title>
            </rect>
          ) : (
            <g key={`${m.at}-${m.kind}-${cy}`} class={`mark ${m.kind}`}>
              <title>{m.label}</title>
              <circle cx={cx} cy={cy} r={6} />
              {m.kind === 'deleted' || m.kind === 'retention' ? <path d={`M${cx - 4} ${cy - 4}l8 8m0 -8l-8 8`} /> : null}
            </g>
          ),
        )}
        <text x={PAD} y={76} class="tick">
          {formatTime(from)}
        </text>
        <text x={W / 2} y={76} text-anchor="middle" class="tick">
          {formatTime((from + to) / 2)}
        </text>
        <text x={W - PAD} y={76} text-anchor="end" class="tick">
          {formatTime(to)}
        </text>
      </svg>
      <figcaption>
        <ul class="legend">
          {kinds.map((k) => (
            <li key={k}>
              <span class={`swatch ${k}`} aria-hidden="true" /> {LEGEND[k]}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
};
