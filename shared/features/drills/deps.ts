import * as config from '../../config';
import { documentClient, tableName } from '../../dynamo/client';
import { randomIds, systemClock } from '../../kernel/ports';
import { protectionService } from '../checkpoints/deps';
import { providerCatalog } from '../providers/deps';
import { verificationStarter } from '../verifications/deps';
import type { DrillDeps, DrillService } from './model';
import { dynamoDrillGuardStore } from './store';
import { runDrill } from './use-cases';

/**
 * The DrillService port for the operation engine (fire-trigger): the plan's
 * checkpoints, verifications started as the API starts them, the guard items
 * on the table. Build it once at module scope (with the engine's ProtectionService, when it has one).
 */
export const drillService = (checkpoints: DrillDeps['checkpoints'] = protectionService()): DrillService => {
  const deps = {
    checkpoints,
    verifications: verificationStarter(),
    providers: providerCatalog(),
    guards: dynamoDrillGuardStore(documentClient(), tableName()),
    concurrency: config.drillConcurrency(),
    clock: systemClock,
    ids: randomIds,
  };
  return { drill: (op) => runDrill(deps, op) };
};
