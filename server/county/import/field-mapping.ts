/**
 * Which of a file's columns feed which field of a layer, for the preview; and an explicit mapping
 * (`名称:name,代码:code`) for columns the layer does not recognise by itself.
 */
import { type FieldSpec, propertyKeys } from './fields.js';
import { LAYER_FIELDS } from './layers.js';
import { normaliseKey, type SourceFeature } from './parse.js';
import type { ImportLayer } from './report.js';

/** One recognised field and the column it is read from (null: none found). */
export interface FieldMatch {
  field: string;
  column: string | null;
  expected: string;
  /** The Chinese and English names the field is recognised by. */
  aliases: readonly string[];
}

export interface FieldMapping {
  fields: FieldMatch[];
  /** Columns no field reads (a mapping can name them). */
  unrecognised: string[];
}

/**
 * Parse an explicit mapping: `列名:field,列名:field` (a query or CLI option) into column → field.
 * Throws with the reason when it is malformed or names a field the layer does not have.
 */
export function parseFieldMapping(text: string, layer: ImportLayer): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const pair of text.split(',')) {
    if (pair.trim() === '') continue;
    const at = pair.lastIndexOf(':');
    if (at <= 0) throw new Error(`字段映射格式应为 列名:字段（a field mapping is column:field, got "${pair}"）`);
    mapping[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
  }
  checkFieldMapping(mapping, layer);
  return mapping;
}

/** Throws when a mapping names a field the layer does not read. */
export function checkFieldMapping(mapping: Record<string, string>, layer: ImportLayer): void {
  const known = LAYER_FIELDS[layer].map((spec) => spec.name);
  for (const field of Object.values(mapping)) {
    if (!known.includes(field)) {
      throw new Error(
        `图层 ${layer} 没有字段 "${field}"（the ${layer} layer has no field "${field}"; it reads ${known.join(', ')}）`,
      );
    }
  }
}

/** Copies of the features with each mapped column also under its field's own name (which wins). */
export function applyFieldMapping(
  features: readonly SourceFeature[],
  mapping: Record<string, string>,
): SourceFeature[] {
  const pairs = Object.entries(mapping);
  return features.map((feature) => {
    const properties = { ...feature.properties };
    const keys = propertyKeys(feature.properties);
    for (const [column, field] of pairs) {
      const key = keys.get(normaliseKey(column));
      if (key !== undefined) properties[field] = feature.properties[key];
    }
    return { ...feature, properties };
  });
}

function findColumn(columns: readonly string[], spec: FieldSpec<unknown>): string | null {
  for (const alias of [spec.name, ...spec.aliases]) {
    const column = columns.find((c) => normaliseKey(c) === normaliseKey(alias));
    if (column !== undefined) return column;
  }
  return null;
}

/** The columns of the first features, and which layer field each one feeds (after `mapping`). */
export function describeFieldMapping(
  layer: ImportLayer,
  features: readonly SourceFeature[],
  mapping: Record<string, string> = {},
): FieldMapping {
  const columns: string[] = [];
  for (const feature of features.slice(0, 100)) {
    for (const key of Object.keys(feature.properties)) if (!columns.includes(key)) columns.push(key);
  }
  const mapped = new Map(Object.entries(mapping).map(([column, field]) => [field, column]));
  const used = new Set<string>();
  const fields = LAYER_FIELDS[layer].map((spec): FieldMatch => {
    const explicit = mapped.get(spec.name);
    const column = explicit !== undefined && columns.includes(explicit) ? explicit : findColumn(columns, spec);
    if (column !== null) used.add(column);
    return { field: spec.name, column, expected: spec.expected, aliases: spec.aliases };
  });
  return { fields, unrecognised: columns.filter((c) => !used.has(c) && !mapped.has(c)) };
}
