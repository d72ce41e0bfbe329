import { LeaseLostError } from '../../shared/features/jobs/model';
import { ConditionLostError } from '../../shared/kernel/errors';

/**
 * A store command's outcome: done, or refused with the typed error of a lost
 * condition (LeaseLostError is a ConditionLostError, so it is told apart
 * first); any other error fails the test.
 */
export const outcome = (command: Promise<unknown>) =>
  command.then(
    () => 'done',
    (error: unknown) => {
      if (error instanceof LeaseLostError) return 'lease lost';
      if (error instanceof ConditionLostError) return 'condition lost';
      throw error;
    },
  );
