import { createHash } from 'node:crypto';

/**
 * Items of every project on one index partition, a project's items one SK
 * range of it (plans, scheduled operations): the range starts with a digest
 * of the project id of fixed width (22 base64url characters, 132 bits), so no
 * project's range holds another's and any project id fits the key.
 */
export const projectPrefix = (projectId: string) => `${createHash('sha256').update(projectId).digest('base64url').slice(0, 22)}#`;

/** The inclusive SK bounds of a project's range ('$' follows '#' and is no base64url character). */
export const projectRange = (projectId: string): [string, string] => {
  const prefix = projectPrefix(projectId);
  return [prefix, `${prefix.slice(0, -1)}$`];
};
