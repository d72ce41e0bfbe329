import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { fileURLToPath } from 'node:url';

/*
 * V8's sampling CPU profiler (what `node --cpu-prof` writes) around a piece of
 * the bench, in this process: the local server, the handlers and the bench's
 * client all run here, DynamoDB Local does not. Self time is attributed to the
 * source module each frame comes from: the .build bundles are unminified, and
 * esbuild heads each module's code with a `// <path>` comment.
 */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Frame {
  /** Repo path (shared/http/route.ts), package (zod), `node:<area>` or a V8 pseudo frame such as (garbage collector). */
  module: string;
  fn: string;
  ms: number;
}

const moduleLines = new Map<string, string[]>();

/** The module a line of a bundle belongs to, by the nearest `// path` comment above it. */
const moduleAt = (file: string, line: number): string => {
  let modules = moduleLines.get(file);
  if (!modules) {
    modules = [];
    let current = file;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const m = /^\/\/ ((?:\.\.\/)*[\w@.-][\w@./-]*\.(?:ts|js|mjs|cjs|json))$/.exec(text);
        if (m) current = m[1];
        modules![i] = current;
      });
    moduleLines.set(file, modules);
  }
  return modules[line] ?? file;
};

const moduleOf = ({ url, lineNumber, functionName }: ProfileNode['callFrame']): string => {
  if (url === '') return functionName.startsWith('(') ? functionName : `(${functionName || 'native'})`;
  if (url.startsWith('node:'))
    return `node:${
      url
        .slice(5)
        .replace(/^internal\//, '')
        .split('/')[0]
    }`;
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  const inModules = file.split('node_modules/').pop()!;
  if (inModules !== file)
    return inModules
      .split('/')
      .slice(0, inModules.startsWith('@') ? 2 : 1)
      .join('/');
  if (file.includes('/.build/')) return moduleAt(file, lineNumber);
  return file;
};

/** Runs `work` under the profiler (100 µs sampling); returns self time per frame, idle and the profiler's own left out. */
export const profile = async (work: () => Promise<void>): Promise<Frame[]> => {
  const session = new Session();
  session.connect();
  try {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 100 });
    await session.post('Profiler.start');
    await work();
    const { profile: p } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
    const byNode = new Map<number, number>();
    p.samples.forEach((id, i) => {
      byNode.set(id, (byNode.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000);
    });
    const frames = new Map<string, Frame>();
    for (const node of p.nodes) {
      const ms = byNode.get(node.id);
      // (idle) is no work; `dispatch` with no script is the inspector session answering Profiler.stop and
      // this module waits on it: the profiler's own cost.
      if (!ms || node.callFrame.functionName === '(idle)' || (node.callFrame.functionName === 'dispatch' && node.callFrame.url === '')) continue;
      const module = moduleOf(node.callFrame);
      if (module === 'bench/profile.ts') continue;
      const fn = node.callFrame.functionName || '(anonymous)';
      const key = `${module} ${fn}`;
      const frame = frames.get(key) ?? { module, fn, ms: 0 };
      frame.ms += ms;
      frames.set(key, frame);
    }
    return [...frames.values()].sort((a, b) => b.ms - a.ms);
  } finally {
    session.disconnect();
  }
};

/** Milliseconds per group of frames, largest first. */
export const groupFrames = (frames: Frame[], groupOf: (f: Frame) => string): Array<[string, number]> => {
  const groups = new Map<string, number>();
  for (const f of frames) groups.set(groupOf(f), (groups.get(groupOf(f)) ?? 0) + f.ms);
  return [...groups].sort((a, b) => b[1] - a[1]);
};
