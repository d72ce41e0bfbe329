import { eventPublisher } from '../../events/publisher';
import { systemClock } from '../../kernel/ports';
import { jsonLog } from '../../observability/log';
import { publishGauge } from '../../observability/metrics';
import { complianceFleet } from '../plans/deps';
import type { EvaluatorDeps } from './model';

/** The compliance evaluator's ports (functions/compliance/evaluate.ts), built once per runtime. */
export const evaluatorDeps = (): EvaluatorDeps => ({
  fleet: complianceFleet(),
  events: eventPublisher(),
  latePlans: (count) => publishGauge('LatePlans', count),
  clock: systemClock,
  log: jsonLog,
});
