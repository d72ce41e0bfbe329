import type { Identity } from './identity';
import { ForbiddenError, InvalidInputError, NotFoundError } from './errors';
import { isUuidLike } from './uuid';

/** How a resource names itself in Karbor's messages: `Invalid <idName> id provided.`, `<name> <id> could not be found.` */
export interface ResourceNames {
  idName: string;
  name: string;
}

/**
 * Loads an item the caller may act on, as Karbor's trigger and
 * scheduled-operation controllers do: uuid-like id (400), existing (404),
 * own project or admin (403 naming the policy).
 */
export const findOwned = async <T extends { projectId: string }>(
  get: (id: string) => Promise<T | undefined>,
  names: ResourceNames,
  identity: Identity,
  id: string,
  policy: string,
): Promise<T> => {
  if (!isUuidLike(id)) throw new InvalidInputError(`Invalid ${names.idName} id provided.`);
  const item = await get(id);
  if (!item) throw new NotFoundError(`${names.name} ${id} could not be found.`);
  if (item.projectId !== identity.projectId && !identity.isAdmin) {
    throw new ForbiddenError(`Policy doesn't allow ${policy} to be performed.`);
  }
  return item;
};
