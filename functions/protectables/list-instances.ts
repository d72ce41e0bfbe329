import { perRuntime } from '../../shared/runtime-host';
import { presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/kernel/list-options';
import { listProtectableInstances, parseInstanceParameters } from '../../shared/features/protectables/use-cases';
import type { InstanceView } from '../../shared/features/protectables/model';
import { instanceSources } from '../../shared/features/protectables/deps';
import { instanceListQuery, instancePageResponse, protectableTypePath } from '../../shared/features/protectables/schemas';

const sources = perRuntime(() => instanceSources());

export const handler = route(
  'protectables.listInstances',
  { params: protectableTypePath, query: instanceListQuery, response: instancePageResponse },
  async ({ params, query, identity }) => {
    parseInstanceParameters(query.parameters);
    // Sort keys are validated for direction only, then ignored, as Karbor does.
    const options = parseListOptions(query, { sortKeys: 'any', memberFilters: ['status'] }, identity.isAdmin);
    const page = { limit: options.limit, marker: options.marker };
    return { items: await listProtectableInstances(sources(), identity, params.protectable_type, page), limit: options.limit };
  },
  (page, input) => presentPage('instances', (i: InstanceView) => i, `protectables/${input.params.protectable_type}/instances`)(page, input),
);
