import { perRuntime } from '../../shared/runtime-host';
import { evaluatorDeps } from '../../shared/features/compliance/deps';
import { evaluateCompliance } from '../../shared/features/compliance/use-cases';

const deps = perRuntime(() => evaluatorDeps());

/**
 * The compliance evaluator (docs/decisions.md §20): a schedule on AWS (every
 * 15 minutes), every minute under `npm start`. Answers what it found.
 */
export const handler = async () => {
  const { plans, late, transitions } = await evaluateCompliance(deps());
  return { plans, late, transitions };
};
