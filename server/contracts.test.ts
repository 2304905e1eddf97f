import { describe, expect, expectTypeOf, it } from 'vitest';
import { roleSchema } from '../contracts/auth.js';
import { CAPABILITIES, READINESS_LAYERS } from '../contracts/county.js';
import { IMPORT_LAYERS, IMPORT_MODES } from '../contracts/imports.js';
import { explainedShortfallSchema, shortReasonSchema } from '../contracts/holidays.js';
import { type emergingLabelSchema, riskCategorySchema } from '../contracts/risk.js';
import { SHORT_REASONS, type Explanation } from './allocation/explain.js';
import { ROLES } from './auth/roles.js';
import { IMPORT_LAYERS as SERVER_IMPORT_LAYERS, IMPORT_MODES as SERVER_IMPORT_MODES } from './county/import/report.js';
import {
  CAPABILITIES as SERVER_CAPABILITIES,
  READINESS_LAYERS as SERVER_READINESS_LAYERS,
} from './county/readiness.js';
import type { EmergingLabel } from './risk/emerging.js';
import { RISK_CATEGORIES } from './risk/event-index.js';

// contracts/ imports only zod (the web app imports it). The import layers and modes, readiness
// layers and capabilities live there and the server takes them from it; the other lists are still
// declared on both sides: these say when one side changed alone (or a list is declared again).
describe('contracts agree with the server', () => {
  it('declares the same roles, import layers and modes, readiness layers, capabilities and risk categories', () => {
    expect(roleSchema.options).toEqual([...ROLES]);
    expect([...IMPORT_LAYERS]).toEqual([...SERVER_IMPORT_LAYERS]);
    expect([...IMPORT_MODES]).toEqual([...SERVER_IMPORT_MODES]);
    expect([...READINESS_LAYERS]).toEqual([...SERVER_READINESS_LAYERS]);
    expect([...CAPABILITIES]).toEqual([...SERVER_CAPABILITIES]);
    expect(riskCategorySchema.options).toEqual([...RISK_CATEGORIES]);
    // The server has the emerging-hotspot labels as a type only: tsc checks this line.
    expectTypeOf<EmergingLabel>().toEqualTypeOf<(typeof emergingLabelSchema.options)[number]>();
  });

  it("declares every reason and kind of the allocation's explanations", () => {
    expect(shortReasonSchema.options).toEqual([...SHORT_REASONS]);
    expect(explainedShortfallSchema.options.map((o) => o.shape.kind.value).sort()).toEqual(
      ['all_met', 'extra_officer', 'short', 'station_cover_short', 'zone_minimum_short'].sort(),
    );
    expectTypeOf<Explanation['kind']>().toEqualTypeOf<(typeof explainedShortfallSchema)['_zod']['output']['kind']>();
  });
});
