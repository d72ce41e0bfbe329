import path from 'node:path';
import { localHost } from '../../infra/local/host';
import type { Settings } from '../../shared/runtime-host';

/**
 * Runs `fn` as a runtime whose settings are `settings` (shared/runtime-host.ts),
 * as the local runtime runs its handlers: what `fn` composes reads these,
 * not the process environment.
 */
export const withSettings = <T>(settings: Settings, fn: () => T): T => localHost(settings, path.resolve(__dirname, '..', '..')).run(fn);
