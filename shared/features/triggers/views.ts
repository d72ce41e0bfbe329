import type { Trigger } from './model';

/** The trigger view (show/create/update; list items are the same bare object). */
export const triggerView = (t: Trigger) => ({ id: t.id, name: t.name, type: t.type, properties: t.properties });
