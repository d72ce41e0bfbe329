import * as z from 'zod';

/** Every v1 path carries the project; route() has already checked it against the token. */
export const projectPath = z.object({ project_id: z.string() });

/** A query string as API Gateway hands it over; list rules are applied by the domain. */
export const queryStrings = z.record(z.string(), z.string());
