/**
 * The road graph held in memory as compressed adjacency (CSR) on typed arrays: for node i its
 * outgoing arcs are `arcTarget[arcStart[i] .. arcStart[i + 1])`, each with its travel time and
 * the road edge it belongs to. Built once from the edges, read by every search.
 */
export interface RoadGraph {
  nodeCount: number;
  /** External node id (road_nodes.id) of each node index: any integer up to 2⁵³ (OSM ids pass 2³¹). */
  nodeIds: Float64Array;
  arcStart: Int32Array;
  arcTarget: Int32Array;
  arcSeconds: Float64Array;
  /** Index into the input edge list of each arc. */
  arcEdge: Int32Array;
}

/** One road edge as the graph builder takes it: travel times each way (Infinity = one-way). */
export interface GraphEdgeInput {
  source: number;
  target: number;
  forwardSeconds: number;
  backwardSeconds: number;
}

/** Build the graph; node ids may be any integers up to 2⁵³, they are indexed in ascending order. */
export function buildRoadGraph(edges: readonly GraphEdgeInput[]): RoadGraph {
  const ids = new Set<number>();
  for (const edge of edges) {
    if (!Number.isSafeInteger(edge.source) || !Number.isSafeInteger(edge.target)) {
      throw new RangeError(`Edge ${edge.source}→${edge.target} has a node id that is not an integer below 2⁵³`);
    }
    ids.add(edge.source);
    ids.add(edge.target);
  }
  const nodeIds = Float64Array.from([...ids].sort((a, b) => a - b));
  const indexOf = new Map<number, number>();
  nodeIds.forEach((id, index) => indexOf.set(id, index));

  const nodeCount = nodeIds.length;
  const degree = new Int32Array(nodeCount + 1);
  for (const edge of edges) {
    if (!(edge.forwardSeconds >= 0) || !(edge.backwardSeconds >= 0)) {
      throw new RangeError(`Edge ${edge.source}→${edge.target} has a negative or missing travel time`);
    }
    if (Number.isFinite(edge.forwardSeconds)) degree[indexOf.get(edge.source)! + 1]!++;
    if (Number.isFinite(edge.backwardSeconds)) degree[indexOf.get(edge.target)! + 1]!++;
  }
  const arcStart = new Int32Array(nodeCount + 1);
  for (let i = 0; i < nodeCount; i++) arcStart[i + 1] = arcStart[i]! + degree[i + 1]!;
  const arcCount = arcStart[nodeCount]!;
  const arcTarget = new Int32Array(arcCount);
  const arcSeconds = new Float64Array(arcCount);
  const arcEdge = new Int32Array(arcCount);
  const fill = arcStart.slice(0, nodeCount);
  const addArc = (from: number, to: number, seconds: number, edge: number) => {
    const at = fill[from]!++;
    arcTarget[at] = to;
    arcSeconds[at] = seconds;
    arcEdge[at] = edge;
  };
  edges.forEach((edge, index) => {
    const s = indexOf.get(edge.source)!;
    const t = indexOf.get(edge.target)!;
    if (Number.isFinite(edge.forwardSeconds)) addArc(s, t, edge.forwardSeconds, index);
    if (Number.isFinite(edge.backwardSeconds)) addArc(t, s, edge.backwardSeconds, index);
  });
  return { nodeCount, nodeIds, arcStart, arcTarget, arcSeconds, arcEdge };
}

/** The index of an external node id, or -1. */
export function nodeIndex(graph: RoadGraph, id: number): number {
  let lo = 0;
  let hi = graph.nodeCount - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const value = graph.nodeIds[mid]!;
    if (value === id) return mid;
    if (value < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
