import { describe, expect, expectTypeOf, it } from 'vitest';
import { roleSchema } from '../contracts/auth.js';
import type * as errors from '../contracts/errors.js';
import { ERROR_CODES } from '../contracts/errors.js';
import {
  EXPORT_CONTENT_TYPES,
  EXPORT_ENCODINGS,
  EXPORT_FORMATS,
  EXPORT_LAYERS,
  TABLE_CONTENT_TYPES,
} from '../contracts/exports.js';
import type * as policing from '../contracts/policing.js';
import type * as routing from '../contracts/routing.js';
import { CAPABILITIES, READINESS_LAYERS } from '../contracts/county.js';
import { IMPORT_LAYERS, IMPORT_MODES } from '../contracts/imports.js';
import { explainedShortfallSchema, shortReasonSchema } from '../contracts/holidays.js';
import { type emergingLabelSchema, riskCategorySchema } from '../contracts/risk.js';
import { SHORT_REASONS, type Explanation } from './allocation/explain.js';
import {
  CONTENT_TYPES as SERVER_EXPORT_CONTENT_TYPES,
  EXPORT_FORMATS as SERVER_EXPORT_FORMATS,
} from './county/export/export.js';
import { EXPORT_LAYERS as SERVER_EXPORT_LAYERS } from './county/export/layers.js';
import { ENCODINGS as SERVER_ENCODINGS } from './county/export/table.js';
import type { ErrorCode } from './http/errors.js';
import { CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE } from './lib/table-export.js';
import type { NoTripSettings } from './policing/no-trip.js';
import type { NoTripReport } from './policing/service.js';
import type { VisitPlanResult } from './policing/visit-plan.js';
import type { BackpackVisit, VisitTotals } from './policing/visits-repository.js';
import type { StoredCalibration } from './routing/calibration-repository.js';
import type { CalibrationRunReport } from './routing/calibration-service.js';
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

  it('declares the export formats, encodings, layers and media types, and the error codes', () => {
    expect([...EXPORT_FORMATS]).toEqual([...SERVER_EXPORT_FORMATS]);
    expect(EXPORT_CONTENT_TYPES).toEqual(SERVER_EXPORT_CONTENT_TYPES);
    expect([...EXPORT_ENCODINGS]).toEqual([...SERVER_ENCODINGS]);
    expect([...EXPORT_LAYERS]).toEqual([...SERVER_EXPORT_LAYERS]);
    expect(TABLE_CONTENT_TYPES).toEqual({ csv: CSV_CONTENT_TYPE, xlsx: XLSX_CONTENT_TYPE });
    expect(new Set(ERROR_CODES).size).toBe(ERROR_CODES.length);
    expectTypeOf<ErrorCode>().toEqualTypeOf<errors.ErrorCode>();
  });

  /** An intersection as one object type, for a comparison key by key. */
  type Flat<T> = { [K in keyof T]: T[K] };

  // The routes declare these answers with the contracts' schemas; the server's services still
  // build them as their own interfaces, which tsc holds equal to the contracts' types here.
  it("types the policing and calibration answers as the server's services build them", () => {
    expectTypeOf<NoTripSettings>().toEqualTypeOf<policing.NoTripSettings>();
    expectTypeOf<Omit<NoTripReport, 'stations'>>().toEqualTypeOf<Omit<policing.NoTripReport, 'stations'>>();
    // The server's station totals are an intersection (`NoTripTotals & {…}`): compared key by key.
    expectTypeOf<Flat<NoTripReport['stations'][number]>>().toEqualTypeOf<policing.NoTripStation>();
    expectTypeOf<VisitPlanResult>().toEqualTypeOf<policing.VisitPlanResult>();
    expectTypeOf<BackpackVisit>().toEqualTypeOf<policing.BackpackVisit>();
    expectTypeOf<VisitTotals>().toEqualTypeOf<policing.VisitTotals>();
    expectTypeOf<StoredCalibration>().toEqualTypeOf<routing.StoredCalibration>();
    expectTypeOf<CalibrationRunReport>().toEqualTypeOf<routing.CalibrationRunReport>();
  });
});
