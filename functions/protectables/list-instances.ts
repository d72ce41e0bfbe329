import { presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/domain/list-options';
import { listProtectableInstances, parseInstanceParameters, InstanceView } from '../../shared/domain/protectables';
import { instanceSourcesFromEnv } from '../../shared/runtime/protectables';
import { queryStrings } from '../../shared/schemas/common';
import { protectableTypePath } from '../../shared/schemas/protectables';

const sources = instanceSourcesFromEnv();

export const handler = route(
  'protectables.listInstances',
  { params: protectableTypePath, query: queryStrings },
  async ({ params, query, identity }) => {
    parseInstanceParameters(query.parameters);
    // Sort keys are validated for direction only, then ignored, as Karbor does.
    const options = parseListOptions(query, { sortKeys: 'any', memberFilters: ['status'] }, identity.isAdmin);
    const page = { limit: options.limit, marker: options.marker };
    return { items: await listProtectableInstances(sources, identity, params.protectable_type, page), limit: options.limit };
  },
  (page, input) =>
    presentPage('instances', (i: InstanceView) => i, `protectables/${input.params.protectable_type}/instances`)(page, input),
);
