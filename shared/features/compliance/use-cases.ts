import { LIFECYCLE_EVENTS } from '../../events/names';
import { karborTime } from '../../kernel/karbor-text';
import { judgeCompliance } from '../plans/model';
import type { Evaluation, EvaluatorDeps } from './model';

/**
 * Evaluates every plan's compliance (docs/decisions.md §20).
 * 1. reads every live plan with its compliance item, a page at a time (one
 *    Query of the plan index and one BatchGetItem per 100 plans, never a Scan);
 * 2. judges each at the clock's now with the API's rules;
 * 3. where the verdict (late or not) differs from the one stored, records the
 *    new one conditional on the old, and only the writer that wins sends the
 *    event naming the plan (`Plan Late`, `Plan Recovered`): one per
 *    transition, however many evaluators run. A plan first seen not late is
 *    recorded without an event (nothing recovered);
 * 4. publishes the count of late plans (`LatePlans`), 0 included, so the
 *    alarm's missing data means the evaluator stopped.
 */
export const evaluateCompliance = async (deps: EvaluatorDeps): Promise<Evaluation> => {
  const now = deps.clock.now();
  const at = now.toISOString();
  const result: Evaluation = { plans: 0, late: 0, transitions: [] };
  for await (const page of deps.fleet.pages()) {
    for (const { plan, record } of page) {
      result.plans += 1;
      const c = judgeCompliance(plan, record, now);
      const late = c.status === 'late';
      if (late) result.late += 1;
      if (record.evaluated?.late === late) continue;
      const won = await deps.fleet.markEvaluated(plan.id, record.evaluated, { late, at });
      if (!won || (!late && record.evaluated === null)) continue;
      const event = late ? LIFECYCLE_EVENTS.planLate : LIFECYCLE_EVENTS.planRecovered;
      const detail = {
        plan_id: plan.id,
        project_id: plan.projectId,
        status: c.status,
        last_good_checkpoint_at: c.lastGoodAt === null ? null : karborTime(c.lastGoodAt),
        expected_interval_seconds: c.expectedIntervalSeconds,
        late_since: c.lateSince === null ? null : karborTime(c.lateSince),
      };
      try {
        await deps.events.publish([{ detailType: event, detail }]);
      } catch (error) {
        // The verdict is stored: a lost event is logged, not retried (the next transition sends the next one).
        deps.log({ level: 'ERROR', message: 'publishing a compliance event failed', plan_id: plan.id, detailType: event, error: String(error) });
      }
      result.transitions.push({ planId: plan.id, projectId: plan.projectId, event });
    }
  }
  deps.latePlans(result.late);
  deps.log({ message: 'compliance evaluated', plans: result.plans, late: result.late, transitions: result.transitions.length });
  return result;
};
