import { route } from '../../shared/http/route';
import { matchRoute } from '../../shared/http/route-match';
import { MethodNotAllowedError, NotFoundError } from '../../shared/kernel/errors';

/**
 * API Gateway's `$default` route and the local server's miss: a JSON 404, or
 * 405 for a known path (docs/decisions.md §10; Karbor answers a plain-text 404).
 */
export const handler = route('fallback', {}, async ({ event }) => {
  const method = event.requestContext.http.method;
  if (matchRoute(method, event.rawPath).kind === 'method-not-allowed') {
    throw new MethodNotAllowedError(`The method ${method} is not allowed for this resource.`);
  }
  throw new NotFoundError('The resource could not be found.');
});
