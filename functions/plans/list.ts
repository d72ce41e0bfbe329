import { perRuntime } from '../../shared/runtime-host';
import { parseListOptions } from '../../shared/kernel/list-options';
import { listPlans } from '../../shared/features/plans/use-cases';
import { planListRules } from '../../shared/features/plans/model';
import { planView } from '../../shared/features/plans/views';
import { nextLinks, withLinks } from '../../shared/http/links';
import { route } from '../../shared/http/route';
import { planDeps } from '../../shared/features/plans/deps';
import { listQuery } from '../../shared/kernel/schemas';
import { regexCompilerFor } from '../../shared/kernel/regex-compiler';
import { planPageResponse } from '../../shared/features/plans/schemas';

const deps = perRuntime(() => planDeps());

export const handler = route(
  'plans.list',
  { query: listQuery(planListRules), response: planPageResponse },
  async ({ query, identity }) => {
    const options = parseListOptions(query, planListRules, identity.isAdmin);
    return listPlans(deps(), identity, options, await regexCompilerFor(options));
  },
  (page, { event, identity }) => {
    const views = page.items.map(planView);
    const path = `/v1/${identity.projectId}/plans`;
    // A full page links on from its last plan (Karbor); a page the read budget cut short links on from where reading stopped.
    const links =
      nextLinks(
        event,
        path,
        views.map((v) => v.id),
        page.limit,
      ) ?? (page.resumeAfter !== undefined ? nextLinks(event, path, [page.resumeAfter], 1) : undefined);
    return withLinks('plans', views, links);
  },
);
