import { Logger } from '@aws-lambda-powertools/logger';

export interface RequestLogEntry {
  message: string;
  method?: string;
  route: string;
  status: number;
  latencyMs: number;
  requestId?: string;
  apiRequestId?: string;
  project?: string;
  user?: string;
  fault?: string;
}

/**
 * What the local runtime may install to print request lines its own way
 * (human-readable on a terminal, infra/local/main.ts). On globalThis: every
 * handler bundle has its own copy of this module. Never set on Lambda.
 */
const LOG_HOOK = Symbol.for('karbor.requestLogHook');
type WithHook = typeof globalThis & { [LOG_HOOK]?: (entry: RequestLogEntry, level: 'INFO' | 'WARN' | 'ERROR') => void };

export const setRequestLogHook = (hook: ((entry: RequestLogEntry, level: 'INFO' | 'WARN' | 'ERROR') => void) | undefined): void => {
  (globalThis as WithHook)[LOG_HOOK] = hook;
};

let logger: Logger | undefined;

/**
 * Powertools Logger: JSON lines with timestamp, level, service (the stack,
 * POWERTOOLS_SERVICE_NAME) and the Lambda context; 5xx at ERROR, 4xx at WARN.
 */
export const requestLogger =
  () =>
  (entry: RequestLogEntry): void => {
    const level = entry.status >= 500 ? 'ERROR' : entry.status >= 400 ? 'WARN' : 'INFO';
    const hook = (globalThis as WithHook)[LOG_HOOK];
    if (hook) {
      hook(entry, level);
      return;
    }
    logger ??= new Logger();
    const { message, ...rest } = entry;
    if (level === 'ERROR') logger.error(message, rest);
    else if (level === 'WARN') logger.warn(message, rest);
    else logger.info(message, rest);
  };
