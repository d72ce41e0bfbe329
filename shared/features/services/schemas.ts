import * as z from 'zod';
import { projectPath } from '../../kernel/schemas';

export const servicePath = projectPath.extend({ service_id: z.string() });

/** Not enveloped and without a schema in Karbor: `{"status": ..., "disabled_reason": ...}`. */
export const updateServiceBody = z.record(z.string(), z.unknown());

export const serviceQuery = z.record(z.string(), z.string());
