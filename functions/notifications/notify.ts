import { perRuntime } from '../../shared/runtime-host';
import { notifyDeps } from '../../shared/features/notifications/deps';
import type { NotifiedEvent } from '../../shared/features/notifications/model';
import { notify } from '../../shared/features/notifications/use-cases';

const deps = perRuntime(() => notifyDeps());

/**
 * The operators' notifier (shared/workers.ts `notifications.notify`): each
 * failed job, failed verification and late plan on the karbor bus, to the
 * stack's alarm topic, de-duplicated per kind (docs/operations.md "Notifications").
 */
export const handler = (event: NotifiedEvent) => notify(deps(), event);
