import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MultiPolygon, Polygon } from 'geojson';
import type { TownshipKind, VillageKind } from '../db/schema.js';

/** The public facts a county is built from: its outline and its official division codes and names. */
export interface CountySources {
  code: string;
  name: string;
  outline: MultiPolygon;
  townships: { code: string; name: string; kind: TownshipKind }[];
  villages: { code: string; name: string; townshipCode: string; kind: VillageKind }[];
}

export const GIS_DATA_DIR = fileURLToPath(new URL('../../gis-data/', import.meta.url));

/** Parse one CSV line with double-quoted fields (RFC 4180, no embedded newlines). */
export function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

/** 镇 (codes 1xx), 乡 (2xx) or a special unit such as a nature reserve (4xx), by GB/T 2260 practice. */
export function townshipKind(code: string): TownshipKind {
  const kind = code.charAt(6);
  if (kind === '1') return 'town';
  if (kind === '2') return 'township';
  return 'reserve';
}

/** 社区 and 居委会 are urban communities (grid standard ~300 households); the rest are villages (~200). */
export function villageKind(name: string): VillageKind {
  return /(社区|居委会)$/.test(name) ? 'community' : 'village';
}

/** Read the Taishun sources from gis-data/sources (see gis-data/README.md for their origin). */
export function readTaishunSources(dir = path.join(GIS_DATA_DIR, 'sources')): CountySources {
  const outlineFile = JSON.parse(fs.readFileSync(path.join(dir, 'taishun-outline.geojson'), 'utf8')) as {
    features: { geometry: Polygon | MultiPolygon; properties: { code: string; name: string } }[];
  };
  const feature = outlineFile.features[0];
  if (!feature) throw new Error('taishun-outline.geojson has no feature');
  const outline: MultiPolygon =
    feature.geometry.type === 'Polygon'
      ? { type: 'MultiPolygon', coordinates: [feature.geometry.coordinates] }
      : feature.geometry;

  const lines = fs.readFileSync(path.join(dir, 'taishun-divisions.csv'), 'utf8').split(/\r?\n/).filter(Boolean);
  const header = parseCsvLine(lines[0]!);
  const column = (name: string) => {
    const index = header.indexOf(name);
    if (index < 0) throw new Error(`taishun-divisions.csv has no column ${name}`);
    return index;
  };
  const [codeAt, nameAt, parentAt, levelAt] = ['code', 'name', 'parent_code', 'level'].map(column) as [
    number,
    number,
    number,
    number,
  ];
  const townships: CountySources['townships'] = [];
  const villages: CountySources['villages'] = [];
  for (const line of lines.slice(1)) {
    const fields = parseCsvLine(line);
    const code = fields[codeAt]!;
    const name = fields[nameAt]!;
    if (fields[levelAt] === 'township') townships.push({ code, name, kind: townshipKind(code) });
    else villages.push({ code, name, townshipCode: fields[parentAt]!, kind: villageKind(name) });
  }
  return { code: feature.properties.code, name: feature.properties.name, outline, townships, villages };
}
