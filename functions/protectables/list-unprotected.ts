import { perRuntime } from '../../shared/runtime-host';
import { presentPage } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/kernel/list-options';
import { listUnprotectedInstances } from '../../shared/features/protectables/use-cases';
import type { ProtectableInstance } from '../../shared/features/protectables/model';
import { instanceSources } from '../../shared/features/protectables/deps';
import { projectPlans } from '../../shared/features/plans/deps';
import { protectableTypePath, unprotectedListQuery, unprotectedListRules, unprotectedPageResponse } from '../../shared/features/protectables/schemas';

const ports = perRuntime(() => ({ sources: instanceSources(), plans: projectPlans() }));

export const handler = route(
  'protectables.listUnprotected',
  { params: protectableTypePath, query: unprotectedListQuery, response: unprotectedPageResponse },
  async ({ params, query, identity }) => {
    // Sort keys are validated for direction only, then ignored, as for the instances list.
    const options = parseListOptions(query, unprotectedListRules, identity.isAdmin);
    const page = { limit: options.limit, marker: options.marker };
    return { items: await listUnprotectedInstances(ports(), identity.projectId, params.protectable_type, page), limit: options.limit };
  },
  (page, input) => presentPage('instances', (i: ProtectableInstance) => i, `protectables/${input.params.protectable_type}/unprotected`)(page, input),
);
