import { InvalidInputError } from '../../kernel/errors';
import { pyJson } from '../../kernel/karbor-text';
import { type GraphResource, resourceKey } from './plugins';

/** A resource and the resources it depends on (its children, protected first). */
export interface GraphNode {
  resource: GraphResource;
  children: GraphNode[];
}

/**
 * Builds the resource graph as Karbor's `build_graph` does: every start
 * resource with its dependents found recursively, each resource once, a loop
 * refused; the roots are the start resources nobody else depends on.
 */
export const buildResourceGraph = async (start: GraphResource[], childrenOf: (r: GraphResource) => Promise<GraphResource[]>): Promise<GraphNode[]> => {
  const finished = new Map<string, GraphNode>();
  const entered = new Set<string>();
  const sources = new Set(start.map(resourceKey));
  const visit = async (r: GraphResource): Promise<GraphNode> => {
    const key = resourceKey(r);
    if (entered.has(key)) throw new InvalidInputError('A loop was found in the graph');
    const done = finished.get(key);
    if (done) return done;
    entered.add(key);
    const children = await childrenOf(r);
    for (const c of children) sources.delete(resourceKey(c));
    const node: GraphNode = { resource: r, children: [] };
    for (const c of children) node.children.push(await visit(c));
    entered.delete(key);
    finished.set(key, node);
    return node;
  };
  const roots: GraphNode[] = [];
  for (const r of start) roots.push(await visit(r));
  const seen = new Set<string>();
  return roots.filter((n) => {
    const key = resourceKey(n.resource);
    if (!sources.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
};

/**
 * Karbor's serialised graph: `[nodes, adjacency]`, serial ids `0x0`, `0x1`...
 * given in post-order (children before parents), as Python's json.dumps writes it.
 */
export const packResourceGraph = (roots: GraphNode[]): string => {
  const sid = new Map<GraphNode, string>();
  const nodes: Record<string, unknown[]> = {};
  const adjacency: unknown[] = [];
  const walk = (n: GraphNode): void => {
    if (sid.has(n)) return;
    n.children.forEach(walk);
    const id = `0x${sid.size.toString(16)}`;
    sid.set(n, id);
    nodes[id] = [n.resource.type, n.resource.id, n.resource.name, n.resource.extraInfo];
    if (n.children.length > 0) adjacency.push([id, n.children.map((c) => sid.get(c))]);
  };
  roots.forEach(walk);
  return pyJson([nodes, adjacency]);
};

/** Reads a packed graph back into nodes; the roots are the nodes no one lists as a child. */
export const unpackResourceGraph = (packed: string): GraphNode[] => {
  const [nodes, adjacency] = JSON.parse(packed) as [Record<string, [string, string, string | null, string | null]>, [string, string[]][]];
  const bySid = new Map<string, GraphNode>();
  for (const [sid, [type, id, name, extraInfo]] of Object.entries(nodes)) {
    bySid.set(sid, { resource: { type, id, name, extraInfo }, children: [] });
  }
  const childSids = new Set<string>();
  for (const [parent, children] of adjacency) {
    const node = bySid.get(parent);
    if (!node) continue;
    for (const c of children) {
      const child = bySid.get(c);
      if (child) node.children.push(child);
      childSids.add(c);
    }
  }
  return [...bySid.entries()].filter(([sid]) => !childSids.has(sid)).map(([, n]) => n);
};

/** Every node once, children before parents. */
export const flattenGraph = (roots: GraphNode[]): GraphNode[] => {
  const out: GraphNode[] = [];
  const seen = new Set<GraphNode>();
  const walk = (n: GraphNode): void => {
    if (seen.has(n)) return;
    seen.add(n);
    n.children.forEach(walk);
    out.push(n);
  };
  roots.forEach(walk);
  return out;
};

export type NodeOutcome = 'done' | 'failed';

/**
 * Starts every node at once, children before parents (flattenGraph's order,
 * the same on every run: a durable replay meets its steps in the same order),
 * each with `ready`: whether all its children finished `done`. Independent
 * nodes run in parallel; `start` waits on `ready` itself.
 */
export const walkGraphInOrder = async <R extends { outcome: NodeOutcome }>(
  roots: GraphNode[],
  start: (n: GraphNode, ready: Promise<boolean>) => Promise<R>,
): Promise<Map<string, R>> => {
  const started = new Map<string, Promise<R>>();
  for (const n of flattenGraph(roots)) {
    const key = resourceKey(n.resource);
    if (started.has(key)) continue;
    const children = n.children.map((c) => started.get(resourceKey(c.resource))!);
    const ready = Promise.all(children).then((results) => results.every((r) => r.outcome === 'done'));
    started.set(key, start(n, ready));
  }
  // All at once: a failure anywhere (a lost lease) is the walk's, none is left unhandled.
  const results = await Promise.all(started.values());
  return new Map([...started.keys()].map((k, i) => [k, results[i]]));
};

/**
 * Runs `run` for every node in dependency order: a node starts once all its
 * children finished; independent nodes run in parallel. A node whose child
 * failed is not run: `skip` records why.
 */
export const walkGraph = async (
  roots: GraphNode[],
  run: (n: GraphNode) => Promise<NodeOutcome>,
  skip: (n: GraphNode) => Promise<void>,
): Promise<Map<string, NodeOutcome>> => {
  const results = await walkGraphInOrder(roots, async (n, ready) => {
    if (await ready) return { outcome: await run(n) };
    await skip(n);
    return { outcome: 'failed' as const };
  });
  return new Map([...results].map(([k, r]) => [k, r.outcome]));
};
