/**
 * What a runtime hands the handlers it runs: their settings (the variables
 * shared/config.ts reads) and, under `npm start`, the in-process parts a
 * handler's adapters reach (the local bus, the local schedule registry).
 *
 * On Lambda there is no host: the settings are the function's environment.
 * A local runtime (infra/local/host.ts) builds its settings once, before it
 * loads any handler, and runs every load and invocation inside its host
 * (an AsyncLocalStorage kept on globalThis, since each handler bundle has
 * its own copy of this module). So nothing writes the environment, and two
 * runtimes in one process (the e2e tests start several) each see their own
 * table, bank and limits. This file imports nothing: it is in every bundle.
 */

export type Settings = Readonly<Record<string, string | undefined>>;

export interface RuntimeHost {
  readonly settings: Settings;
  /** The in-process parts, by the key their adapter declares; absent on Lambda. */
  readonly parts: Record<string, unknown>;
}

const HOSTS = Symbol.for('karbor.runtimeHosts');

type WithHosts = typeof globalThis & { [HOSTS]?: { getStore(): RuntimeHost | undefined } };

/** The host whose load or invocation is running, if any (infra/local/host.ts installs the store). */
export const currentHost = (): RuntimeHost | undefined => (globalThis as WithHosts)[HOSTS]?.getStore();

/** An in-process part of the current runtime (e.g. the local bus), by its adapter's key. */
export const hostPart = <T>(key: string): T | undefined => currentHost()?.parts[key] as T | undefined;

/** The global the local runtime installs its host store on; only infra/local/host.ts sets it. */
export const HOST_STORE_KEY: typeof HOSTS = HOSTS;

/** The key of whatever runs outside any local runtime: a Lambda function, a test calling code directly. */
const NO_HOST = {};

/**
 * `compose` run once per runtime, and once right away: a handler's ports are
 * built as its module loads (on Lambda in the init phase, where a bad
 * setting fails the init), and again for each further runtime that invokes
 * the same module in this process.
 */
export const perRuntime = <T>(compose: () => T): (() => T) => {
  const built = new WeakMap<object, T>();
  const forCurrent = (): T => {
    const key = currentHost() ?? NO_HOST;
    if (!built.has(key)) built.set(key, compose());
    return built.get(key) as T;
  };
  forCurrent();
  return forCurrent;
};
