import { z } from 'zod';
import { countyCodeSchema } from '../../contracts/json.js';
import {
  applyCalibrationRequestSchema,
  appliedCalibrationSchema,
  calibrationRunReportSchema,
  storedCalibrationSchema,
  type AppliedCalibration,
  type CalibrationRunReport,
  type StoredCalibration,
} from '../../contracts/routing.js';
import type { AppContext } from '../context.js';
import { resolveCounty } from '../county/resolve.js';
import { defineRoute, type AnyRoute, type Role } from '../http/route.js';
import { AppError } from '../http/errors.js';
import { idText } from '../http/params.js';
import { listCalibrations } from './calibration-repository.js';
import { applyCalibration, calibrateFromFile } from './calibration-service.js';

const COMMANDERS: Role[] = ['admin', 'commander'];
const READERS: Role[] = ['admin', 'commander', 'leader'];
export const TRIP_FILE_LIMIT_BYTES = 20 * 1024 * 1024;

const yesNo = z.enum(['true', 'false']).transform((v) => v === 'true');

/**
 * Calibration of the speed model from observed trips: upload a trip file (fit and store), list a
 * county's calibrations, apply one, or go back to the default constants. Applying drops every cache
 * built from the roads, so the next no-trip list uses the new constants.
 */
export function calibrationRoutes(ctx: Pick<AppContext, 'database' | 'onDataChanged'>): AnyRoute[] {
  const db = ctx.database.db;
  return [
    defineRoute({
      method: 'post',
      path: '/api/routing/calibrations',
      summary: 'Fit the speed model to observed trips (CSV/XLSX of trips, or GPS tracks as GPX/CSV) and store it',
      tags: ['routing'],
      access: COMMANDERS,
      query: z.object({
        county: countyCodeSchema.optional().describe('County code; the first county when absent'),
        fileName: z.string().min(1).max(255).optional().describe('Name of the uploaded file, for the record'),
        skipBadRows: yesNo
          .optional()
          .describe('true: leave out rows with problems (listed) instead of refusing the file'),
        apply: yesNo.optional().describe('true: make the new calibration the county’s constants at once'),
        snapMetres: z.coerce
          .number()
          .min(10)
          .max(2000)
          .optional()
          .describe('GPS tracks: how far a track end may lie from its place'),
        evaluationsPerRound: z.coerce
          .number()
          .int()
          .min(4)
          .max(200)
          .optional()
          .describe(
            'Fit budget: Nelder–Mead evaluations per reweighting round (default 40); fewer is faster and rougher',
          ),
      }),
      upload: {
        contentTypes: [
          'text/csv',
          'application/octet-stream',
          'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
          'application/gpx+xml',
          'application/xml',
          'text/xml',
        ],
        limitBytes: TRIP_FILE_LIMIT_BYTES,
        description: 'Trips (from, to, minutes) as CSV or XLSX, or GPS tracks as GPX or CSV (track, time, lon, lat).',
      },
      response: { status: 201, description: 'The calibration report.', schema: calibrationRunReportSchema },
      handler: async ({ query, upload, user, audit }): Promise<CalibrationRunReport> => {
        if (upload.length === 0)
          throw AppError.badRequest('请把文件作为请求体发送（send the file as the request body）');
        const county = await resolveCounty(db, query.county);
        const report = await calibrateFromFile(db, {
          bytes: upload,
          fileName: query.fileName ?? 'upload',
          countyCode: county,
          user: user!.username,
          skipBadRows: query.skipBadRows ?? false,
          apply: query.apply ?? false,
          ...(query.snapMetres === undefined ? {} : { snapMetres: query.snapMetres }),
          ...(query.evaluationsPerRound === undefined ? {} : { evaluationsPerRound: query.evaluationsPerRound }),
        });
        audit({
          target: `speed calibration ${report.calibrationId} of county ${county}`,
          after: { constants: report.constants, trips: report.trips, applied: report.applied, file: report.fileName },
        });
        if (report.applied) ctx.onDataChanged();
        return report;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/routing/calibrations',
      summary: "A county's speed calibrations, newest first (the active one marked)",
      tags: ['routing'],
      access: READERS,
      query: z.object({ county: countyCodeSchema.optional() }),
      response: { description: 'The calibrations.', schema: z.array(storedCalibrationSchema) },
      handler: async ({ query }): Promise<StoredCalibration[]> =>
        listCalibrations(db, await resolveCounty(db, query.county)),
    }),
    defineRoute({
      method: 'post',
      path: '/api/routing/calibrations/default/apply',
      summary: "Go back to the speed model's default constants for a county",
      tags: ['routing'],
      access: COMMANDERS,
      body: applyCalibrationRequestSchema,
      response: { description: 'The county and its constants now (null: default).', schema: appliedCalibrationSchema },
      handler: async ({ body, user, audit }): Promise<AppliedCalibration> => {
        const county = await resolveCounty(db, body.county);
        await applyCalibration(db, county, null, user!.username);
        audit({ target: `speed constants of county ${county}`, after: { calibrationId: null } });
        ctx.onDataChanged();
        return { countyCode: county, calibrationId: null };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/routing/calibrations/:id/apply',
      summary: 'Make a stored calibration the speed constants of its county',
      tags: ['routing'],
      access: COMMANDERS,
      params: z.object({ id: idText('calibration id') }),
      body: applyCalibrationRequestSchema,
      response: { description: 'The county and its constants now.', schema: appliedCalibrationSchema },
      handler: async ({ params, body, user, audit }): Promise<AppliedCalibration> => {
        const county = await resolveCounty(db, body.county);
        await applyCalibration(db, county, params.id, user!.username);
        audit({ target: `speed constants of county ${county}`, after: { calibrationId: params.id } });
        ctx.onDataChanged();
        return { countyCode: county, calibrationId: params.id };
      },
    }),
  ];
}
