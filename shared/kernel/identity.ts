import { createHash } from 'node:crypto';

/** Who is calling: the one thing handlers learn from authentication. */
export interface Identity {
  userId: string;
  projectId: string;
  roles: string[];
  isAdmin: boolean;
}

/** What an STS session tag value may hold: up to 256 letters, digits, spaces and `_.:/=+-@` (STS TagSession). */
const SESSION_TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/**
 * The value of the project tag for a project id: the id itself when it fits
 * an STS session tag value, else `karbor-sha256-<hex of the id's SHA-256>`
 * (deterministic, 78 characters, valid as an EC2, DynamoDB and session tag
 * value). The worker's tenant session tag, what the plugins tag and what
 * discovery looks for all use it, so IAM compares like with like
 * (docs/operations.md, Tenant isolation).
 */
export const projectTagValue = (projectId: string): string =>
  SESSION_TAG_VALUE.test(projectId) ? projectId : `karbor-sha256-${createHash('sha256').update(projectId, 'utf8').digest('hex')}`;
