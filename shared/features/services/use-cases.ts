import { InvalidInputError, NotFoundError } from '../../kernel/errors';
import { SERVICE_BINARIES, SERVICE_IDS, type Service, type ServiceStore } from './model';
import type { Clock } from '../../kernel/ports';

/**
 * Every service row, never-reported ones included, by id; exact host/binary
 * filters. The API answering this request is its own heartbeat: its row is
 * shown as seen `now` (reads stay read-only; PUT os-services reports it).
 */
export const listServices = async (
  deps: { services: ServiceStore; clock: Clock },
  host: string,
  filters: { host?: string; binary?: string },
): Promise<Service[]> => {
  const now = deps.clock.now();
  const stored = new Map((await deps.services.list()).map((s) => [s.binary, s]));
  const all = Object.entries(SERVICE_IDS).map(([binary, id]): Service => {
    const row = stored.get(binary) ?? { id, binary, host, disabled: false, disabledReason: null, reportCount: 0, updatedAt: null, createdAt: null };
    return binary === SERVICE_BINARIES.api ? { ...row, updatedAt: now.toISOString() } : row;
  });
  return all
    .filter((s) => (filters.host === undefined || s.host === filters.host) && (filters.binary === undefined || s.binary === filters.binary))
    .sort((a, b) => a.id - b.id);
};

const MAX_REASON_LENGTH = 255;

/**
 * Enables or disables a service (docs/contract.md §10.4):
 * 1. the id must name a row (404; Karbor's text is an unformatted template);
 * 2. only the operation engine may change (400);
 * 3. `enabled` with a reason is 400; `enabled` clears the reason; `disabled`
 *    sets it (or null); any other status changes nothing.
 */
export const updateService = async (
  deps: { services: ServiceStore; clock: Clock },
  host: string,
  rawId: string,
  body: { status?: unknown; disabled_reason?: unknown },
): Promise<Service> => {
  await deps.services.report(SERVICE_BINARIES.api, host, deps.clock.now());
  const service = (await listServices(deps, host, {})).find((s) => String(s.id) === rawId);
  if (!service) throw new NotFoundError(`Service ${rawId} could not be found.`);
  if (service.binary !== SERVICE_BINARIES.operationEngine) {
    throw new InvalidInputError(`Updating a ${service.binary} service is not supported. Only karbor-operationengine services can be updated.`);
  }
  const reason = body.disabled_reason === undefined || body.disabled_reason === null ? null : String(body.disabled_reason);
  // Karbor's column holds 255 characters (a longer reason fails its write with a 500).
  if (reason !== null && reason.length > MAX_REASON_LENGTH) throw new InvalidInputError(`disabled_reason must be at most ${MAX_REASON_LENGTH} characters.`);
  if (body.status === 'enabled') {
    if (reason) throw new InvalidInputError("Specifying 'disabled_reason' with status 'enabled' is invalid.");
    return deps.services.setDisabled(service.binary, service.host, false, null, deps.clock.now());
  }
  if (body.status === 'disabled') return deps.services.setDisabled(service.binary, service.host, true, reason, deps.clock.now());
  return service;
};
