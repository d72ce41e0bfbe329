import {
  buildResourceGraph,
  flattenGraph,
  type GraphNode,
  packResourceGraph,
  unpackResourceGraph,
  walkGraph,
} from '../../../../../shared/features/protection/resource-graph';
import type { GraphResource } from '../../../../../shared/features/protection/plugins';

const r = (type: string, id: string, name: string | null = id, extraInfo: string | null = null): GraphResource => ({ type, id, name, extraInfo });
const SERVER = r('OS::Nova::Server', 's1');
const IMAGE = r('OS::Glance::Image', 'i1');
const VOLUME = r('OS::Cinder::Volume', 'v1', 'vol', '{"availability_zone": "az1"}');

const children: Record<string, GraphResource[]> = { s1: [IMAGE, VOLUME] };
const childrenOf = async (x: GraphResource) => children[x.id] ?? [];

describe('resource graph', () => {
  it('builds roots from the start resources nobody depends on, each resource once', async () => {
    // Act
    const roots = await buildResourceGraph([VOLUME, SERVER], childrenOf);
    // Assess
    expect(roots.map((n) => n.resource.id)).toEqual(['s1']);
    expect(roots[0].children.map((n) => n.resource.id)).toEqual(['i1', 'v1']);
    expect(flattenGraph(roots).map((n) => n.resource.id)).toEqual(['i1', 'v1', 's1']);
  });

  it('refuses a loop', async () => {
    // Prepare
    const loop = async (x: GraphResource) => (x.id === 'a' ? [r('T', 'b')] : [r('T', 'a')]);
    // Act / Assess
    await expect(buildResourceGraph([r('T', 'a')], loop)).rejects.toThrow('A loop was found in the graph');
  });

  it('packs as Karbor does: post-order serial ids, adjacency for parents, python json text', async () => {
    // Prepare
    const roots = await buildResourceGraph([SERVER], childrenOf);
    // Act
    const packed = packResourceGraph(roots);
    // Assess
    expect(packed).toBe(
      '[{"0x0": ["OS::Glance::Image", "i1", "i1", null], "0x1": ["OS::Cinder::Volume", "v1", "vol", "{\\"availability_zone\\": \\"az1\\"}"], ' +
        '"0x2": ["OS::Nova::Server", "s1", "s1", null]}, [["0x2", ["0x0", "0x1"]]]]',
    );
  });

  it('unpacks what it packed', async () => {
    // Prepare
    const roots = await buildResourceGraph([SERVER, r('OS::Manila::Share', 'sh')], childrenOf);
    // Act
    const back = unpackResourceGraph(packResourceGraph(roots));
    // Assess
    expect(back.map((n) => n.resource.id)).toEqual(['s1', 'sh']);
    expect(back[0].children.map((n) => n.resource)).toEqual([IMAGE, VOLUME]);
  });

  it('walks children before parents, independent nodes in parallel, and skips parents of a failed child', async () => {
    // Prepare
    const roots: GraphNode[] = await buildResourceGraph([SERVER, r('OS::Manila::Share', 'sh')], childrenOf);
    const started: string[] = [];
    const skipped: string[] = [];
    let running = 0;
    let maxRunning = 0;
    // Act
    const outcomes = await walkGraph(
      roots,
      async ({ resource }) => {
        started.push(resource.id);
        running += 1;
        maxRunning = Math.max(maxRunning, running);
        await new Promise((res) => setTimeout(res, 5));
        running -= 1;
        return resource.id === 'v1' ? 'failed' : 'done';
      },
      async ({ resource }) => void skipped.push(resource.id),
    );
    // Assess
    expect(started).toEqual(expect.arrayContaining(['i1', 'v1', 'sh']));
    expect(started).not.toContain('s1');
    expect(skipped).toEqual(['s1']);
    expect(maxRunning).toBeGreaterThan(1);
    expect(Object.fromEntries(outcomes)).toEqual({
      'OS::Glance::Image#i1': 'done',
      'OS::Cinder::Volume#v1': 'failed',
      'OS::Nova::Server#s1': 'failed',
      'OS::Manila::Share#sh': 'done',
    });
  });
});
