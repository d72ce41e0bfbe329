import { protectionServiceOver } from '../checkpoints/use-cases';
import type { ProtectionService } from './protection-port';
import { checkpointDeps } from '../protection/deps';

/**
 * The real ProtectionService for the scheduler (fire-trigger): checkpoints on
 * the table, work requests on the karbor bus (or the local bus). Build it once
 * at module scope.
 */
export const protectionService = (env: NodeJS.ProcessEnv = process.env): ProtectionService => protectionServiceOver(checkpointDeps(env));
