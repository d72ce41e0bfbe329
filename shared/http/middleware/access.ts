import type { MiddlewareObj } from '@middy/core';
import { ForbiddenError, InvalidInputError } from '../../kernel/errors';
import type { KarborEvent, KarborResult } from '../event';

/** Keystone's project ids are 64 characters; noauth project names get Karbor's 255. */
const MAX_PROJECT_ID_LENGTH = 255;

/** Karbor's text for a URL project it refuses; ours goes on to say why (docs/decisions.md, "Faults"). */
export const MALFORMED_URL = 'Malformed request url';

/**
 * The URL's project against the token's: Karbor's 400, admins included. An id longer
 * than any project id would only fail later, at DynamoDB's key size limit.
 */
export const projectFault = (urlProject: string, tokenProject: string): InvalidInputError | undefined => {
  if (urlProject.length > MAX_PROJECT_ID_LENGTH) return new InvalidInputError(MALFORMED_URL);
  if (urlProject !== tokenProject) {
    return new InvalidInputError(`${MALFORMED_URL}: the token is for project '${tokenProject}', not the URL's project '${urlProject}'.`);
  }
  return undefined;
};

/**
 * Who may go on, once the body is parsed (Karbor's pipeline, contract §1.2): the
 * project check first, then an admin-only route refuses a member (403 naming the
 * policy) before the body schema is checked.
 */
export const access = (opts: { adminPolicy?: string } = {}): MiddlewareObj<KarborEvent, KarborResult> => {
  const accessBefore: MiddlewareObj<KarborEvent, KarborResult>['before'] = async ({ event }) => {
    const identity = event.identity;
    if (!identity) return; // a public route
    const urlProject = event.pathParameters?.project_id;
    const fault = urlProject === undefined ? undefined : projectFault(urlProject, identity.projectId);
    if (fault) throw fault;
    // Deliberate difference: Karbor checks the body schema first; a member's body never costs an admin route a validation.
    if (opts.adminPolicy !== undefined && !identity.isAdmin) throw new ForbiddenError(`Policy doesn't allow ${opts.adminPolicy} to be performed.`);
  };
  return { before: accessBefore };
};
