import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { HOST_STORE_KEY, type RuntimeHost, type Settings } from '../../shared/runtime-host';

/**
 * A local runtime's host (shared/runtime-host.ts): its settings, built once
 * before any handler loads, and the in-process parts its handlers reach.
 * Every handler load and invocation of the runtime runs inside it, and what
 * they start (a delivery, a timer) inherits it, so two runtimes in one
 * process never see each other's settings, bus or schedules.
 */
export interface LocalHost extends RuntimeHost {
  /** Runs `fn` as this runtime. */
  run<T>(fn: () => T): T;
  /** A handler module under the module root (`functions/plans/show`), loaded as this runtime. */
  load<T>(module: string): T;
}

/** One store for every host in the process: each handler bundle reads it through its own copy of shared/runtime-host.ts. */
const hostStore = (): AsyncLocalStorage<RuntimeHost> => {
  const holder = globalThis as { [HOST_STORE_KEY]?: AsyncLocalStorage<RuntimeHost> };
  holder[HOST_STORE_KEY] ??= new AsyncLocalStorage<RuntimeHost>();
  return holder[HOST_STORE_KEY];
};

export const localHost = (settings: Settings, moduleRoot: string): LocalHost => {
  const host: LocalHost = {
    settings: Object.freeze({ ...settings }),
    parts: {},
    run: (fn) => hostStore().run(host, fn),
    load: (module) => host.run(() => require(path.join(moduleRoot, module))),
  };
  return host;
};
