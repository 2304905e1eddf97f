/**
 * A network's edges merged back into the long lines a transport bureau draws: one line per road
 * runs on through each junction, where the other roads meet it at a shared interior vertex (the
 * importer nodes them there again: import/noding.ts). Pure: no database.
 */
import type { LonLat, RoadEdgeRecord } from '../model.js';

/** A line of the road file: its vertices and the attributes of the edges it joins. */
export interface RoadLine {
  coordinates: LonLat[];
  roadClass: RoadEdgeRecord['roadClass'];
  name: string | null;
  speedKmh: number;
  /** Only for a line that is one edge: driven in the line's direction only. */
  oneWay: boolean;
  /** The edges it joins, in order. */
  edgeIds: number[];
}

const keyOf = (e: RoadEdgeRecord) => `${e.roadClass}|${e.name ?? ''}|${e.speedKmh}`;

/**
 * Merge edges into lines. An edge joins the next one through a node where three or more edges
 * meet and the two are the same road (class, name, speed): such a node stays a junction, since
 * the side road ends on the line's vertex there. At nodes of two edges lines end, so that the node
 * comes back (as two line ends) even where nothing else marks it. One-way edges stay lines of
 * their own, drawn in their direction of travel.
 */
export function mergeRoadLines(edges: readonly RoadEdgeRecord[]): RoadLine[] {
  const atNode = new Map<number, number[]>();
  edges.forEach((e, i) => {
    for (const node of [e.source, e.target]) {
      const list = atNode.get(node);
      if (list) list.push(i);
      else atNode.set(node, [i]);
    }
  });
  // Pass-through pairs: at a junction, each edge's partner of the same road (first two of a kind).
  const partner = new Map<string, number>();
  const pairKey = (node: number, edge: number) => `${node}:${edge}`;
  for (const [node, list] of atNode) {
    if (list.length < 3) continue;
    const waiting = new Map<string, number>();
    for (const i of list) {
      const e = edges[i]!;
      if (e.oneWay || e.source === e.target) continue;
      const key = keyOf(e);
      const other = waiting.get(key);
      if (other === undefined) waiting.set(key, i);
      else {
        partner.set(pairKey(node, i), other);
        partner.set(pairKey(node, other), i);
        waiting.delete(key);
      }
    }
  }
  const used = new Uint8Array(edges.length);
  const lines: RoadLine[] = [];
  const walk = (start: number, fromNode: number): { ids: number[]; coords: LonLat[] } => {
    // Follow partners away from `fromNode`, starting with edge `start` entered at `fromNode`.
    const ids: number[] = [];
    const coords: LonLat[] = [];
    let edge = start;
    let node = fromNode;
    for (;;) {
      used[edge] = 1;
      const e = edges[edge]!;
      const forward = e.source === node;
      const part = forward ? e.coordinates : [...e.coordinates].reverse();
      coords.push(...(coords.length === 0 ? part : part.slice(1)));
      ids.push(e.id);
      node = forward ? e.target : e.source;
      const next = partner.get(pairKey(node, edge));
      if (next === undefined || used[next]) break;
      edge = next;
    }
    return { ids, coords };
  };
  edges.forEach((e, i) => {
    if (used[i]) return;
    if (e.oneWay) {
      used[i] = 1;
      const coordinates = e.oneWay === 'backward' ? [...e.coordinates].reverse() : e.coordinates;
      lines.push({ ...attributes(e), coordinates, oneWay: true, edgeIds: [e.id] });
      return;
    }
    // Forward from the source, then the stretch that comes before it (walked away from the source, reversed).
    const ahead = walk(i, e.source);
    const beyond = partner.get(pairKey(e.source, i));
    let ids = ahead.ids;
    let coords = ahead.coords;
    if (beyond !== undefined && !used[beyond]) {
      const before = walk(beyond, e.source);
      ids = [...before.ids.reverse(), ...ids];
      coords = [...before.coords.reverse(), ...coords.slice(1)];
    }
    lines.push({ ...attributes(e), coordinates: coords, oneWay: false, edgeIds: ids });
  });
  return lines;
}

function attributes(e: RoadEdgeRecord): Pick<RoadLine, 'roadClass' | 'name' | 'speedKmh'> {
  return { roadClass: e.roadClass, name: e.name, speedKmh: e.speedKmh };
}
