import { route } from '../../shared/http/route';
import { parseInstanceParameters, showProtectableInstance } from '../../shared/domain/protectables';
import { instanceSourcesFromEnv } from '../../shared/runtime/protectables';
import { queryStrings } from '../../shared/schemas/common';
import { protectableInstancePath } from '../../shared/schemas/protectables';

const sources = instanceSourcesFromEnv();

export const handler = route(
  'protectables.showInstance',
  { params: protectableInstancePath, query: queryStrings },
  async ({ params, query, identity }) => {
    parseInstanceParameters(query.parameters);
    return showProtectableInstance(sources, identity, params.protectable_type, params.protectable_id);
  },
  (instance) => ({ instance }),
);
