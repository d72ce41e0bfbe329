import { perRuntime } from '../../shared/runtime-host';
import { presentPage } from '../../shared/http/links';
import { verificationPageResponse } from '../../shared/features/verifications/schemas';
import { route } from '../../shared/http/route';
import { parseListOptions } from '../../shared/kernel/list-options';
import { listVerifications } from '../../shared/features/verifications/use-cases';
import { type Verification, verificationListRules } from '../../shared/features/verifications/model';
import { verificationView } from '../../shared/features/verifications/views';
import { verificationDeps } from '../../shared/features/verifications/deps';
import { listQuery, projectPath } from '../../shared/kernel/schemas';

const deps = perRuntime(() => verificationDeps());

export const handler = route(
  'verifications.list',
  { params: projectPath, query: listQuery(verificationListRules), response: verificationPageResponse },
  async ({ query, identity }) => {
    const options = parseListOptions(query, verificationListRules, identity.isAdmin);
    return { items: await listVerifications(deps(), identity, options), limit: options.limit };
  },
  presentPage('verifications', (v: Verification) => verificationView(v, deps().clock.now().toISOString()), 'verifications'),
);
