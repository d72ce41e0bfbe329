import { perRuntime } from '../../shared/runtime-host';
import { route } from '../../shared/http/route';
import { parseInstanceParameters, showProtectableInstance } from '../../shared/features/protectables/use-cases';
import { instanceSources } from '../../shared/features/protectables/deps';
import { instanceQuery, instanceResponse, protectableInstancePath } from '../../shared/features/protectables/schemas';

const sources = perRuntime(() => instanceSources());

export const handler = route(
  'protectables.showInstance',
  { params: protectableInstancePath, query: instanceQuery, response: instanceResponse },
  async ({ params, query, identity }) => {
    parseInstanceParameters(query.parameters);
    return showProtectableInstance(sources(), identity, params.protectable_type, params.protectable_id);
  },
  (instance) => ({ instance }),
);
