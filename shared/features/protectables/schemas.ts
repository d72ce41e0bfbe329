import * as z from 'zod';
import { pageSchema } from '../../http/links';
import { listQuery, projectPath } from '../../kernel/schemas';
import type { ListRules } from '../../kernel/list-options';

export const protectableTypePath = projectPath.extend({ protectable_type: z.string() });
export const protectableInstancePath = protectableTypePath.extend({ protectable_id: z.string() });

// Response bodies, for the OpenAPI document.

const instance = z.object({
  id: z.string(),
  type: z.string(),
  name: z.string().nullable(),
  extra_info: z.record(z.string(), z.unknown()).nullable(),
});

export const instanceViewSchema = instance.extend({ dependent_resources: z.array(instance) }).meta({ title: 'ProtectableInstance' });

export const protectableTypesResponse = z.object({ protectable_type: z.array(z.string()) });
export const protectableTypeResponse = z.object({
  protectable_type: z.object({ name: z.string(), dependent_types: z.array(z.string()) }).meta({ title: 'ProtectableType' }),
});
export const unprotectedPageResponse = pageSchema('instances', instance.meta({ title: 'UnprotectedResource' }));
/** `GET .../unprotected`: Karbor's list parameters (sort keys are checked for direction only), no filters. */
export const unprotectedListRules = { sortKeys: 'any', memberFilters: [] } as const satisfies ListRules;
export const unprotectedListQuery = listQuery(unprotectedListRules);
export const instanceResponse = z.object({ instance: instanceViewSchema });
export const instancePageResponse = pageSchema('instances', instanceViewSchema);

const parameters = z.string().optional().meta({ description: 'Discovery parameters, a Python-style dict literal (validated, then unused).' });

/** `GET .../instances`: Karbor's list parameters (sort keys are checked for direction only) and `parameters`. */
export const instanceListQuery = listQuery({ sortKeys: 'any', memberFilters: ['status'] }).extend({ parameters });
export const instanceQuery = z.object({ parameters }).catchall(z.string());
