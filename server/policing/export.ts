import type { ExportColumn } from '../lib/table-export.js';
import type { ConstantsInUse } from '../routing/calibration-service.js';
import type { NoTripSettings } from './no-trip.js';
import type { NoTripGroups } from './places.js';
import type { NoTripReport, NoTripVillage } from './service.js';

/** Reasons in the export, in Chinese (the sheets are read by officials). */
const REASON_TEXT = { drive: '车程超限', no_bus: '无公交', designated: '人工认定' } as const;

const GROUP_HEADERS: Record<keyof NoTripGroups, string> = {
  aged70Plus: '70岁以上老人',
  disabled: '残疾等行动不便',
  leftBehind: '留守妇女儿童',
  lowIncome: '低保困难家庭',
  needsAssistance: '需帮扶帮教',
};

/** One column per no-trip group. */
function groupColumns<Row>(groups: (row: Row) => NoTripGroups): ExportColumn<Row>[] {
  return (Object.keys(GROUP_HEADERS) as (keyof NoTripGroups)[]).map((key) => ({
    header: GROUP_HEADERS[key],
    value: (row: Row) => groups(row)[key],
  }));
}

/** Columns of the no-trip village list. */
export const noTripColumns: ExportColumn<NoTripVillage>[] = [
  { header: '村代码', value: (v) => v.code, width: 15 },
  { header: '村名', value: (v) => v.name, width: 16 },
  { header: '乡镇', value: (v) => v.townshipName, width: 10 },
  { header: '派出所', value: (v) => v.stationName, width: 14 },
  { header: '免跑原因', value: (v) => v.reasons.map((r) => REASON_TEXT[r]).join('、'), width: 18 },
  { header: '认定理由', value: (v) => v.designation?.reason ?? null, width: 20 },
  { header: '车程（分钟）', value: (v) => v.driveMinutes, numberFormat: '0.0' },
  {
    header: '车程范围（分钟）',
    value: (v) => (v.driveRangeMinutes ? `${v.driveRangeMinutes.low}–${v.driveRangeMinutes.high}` : null),
    width: 14,
  },
  { header: '临界', value: (v) => (v.borderline ? '临界' : null), width: 6 },
  { header: '最远户车程（分钟）', value: (v) => v.farthestHouseholdMinutes, numberFormat: '0.0' },
  { header: '步行至公交站（米）', value: (v) => v.busWalkMetres, numberFormat: '0' },
  { header: '户数', value: (v) => v.households },
  ...groupColumns<NoTripVillage>((v) => v.groups),
];

/**
 * The no-trip list's columns with the constants its drives were computed with on every row (a CSV
 * has no other place for them): 'default' or the calibration's id and date.
 */
export function noTripColumnsUsing(constants: ConstantsInUse): ExportColumn<NoTripVillage>[] {
  return [...noTripColumns, { header: '车程参数', value: () => constantsText(constants), width: 24 }];
}

/** The constants in words: 默认 (default), or 校准 N（date）. */
export function constantsText(constants: ConstantsInUse): string {
  return constants.calibrationId === null
    ? '默认（default）'
    : `校准 ${constants.calibrationId}（calibration of ${constants.calibratedAt?.slice(0, 10) ?? ''}）`;
}

/** The sheet stating the constants and the range of the drives. */
export function constantsRows(constants: ConstantsInUse): { item: string; value: string | number }[] {
  return [
    { item: '车程参数（constants）', value: constantsText(constants) },
    { item: '应用时间（applied at）', value: constants.appliedAt ?? '—' },
    { item: '设计速度系数（speed factor）', value: constants.constants.speedFactor },
    { item: '横向力系数（side friction e + f）', value: constants.constants.sideFriction },
    { item: '路口车速（junction km/h）', value: constants.constants.junctionKmh },
    { item: '爬坡功率（climbing W/kg）', value: constants.constants.climbingWattsPerKg },
    { item: '车程范围下限（range low × model）', value: constants.ratioLow },
    { item: '车程范围上限（range high × model）', value: constants.ratioHigh },
    { item: '范围来源（range from）', value: constants.rangeSource },
  ];
}

/** Columns of the constants sheet. */
export const constantsColumns: ExportColumn<{ item: string; value: string | number }>[] = [
  { header: '项目', value: (r) => r.item, width: 34 },
  { header: '值', value: (r) => r.value, width: 30 },
];

/** Columns of the per-station totals. */
export const stationColumns: ExportColumn<NoTripReport['stations'][number]>[] = [
  { header: '派出所代码', value: (s) => s.code, width: 14 },
  { header: '派出所', value: (s) => s.name, width: 14 },
  { header: '战区', value: (s) => s.warZone, width: 10 },
  { header: '辖区村数', value: (s) => s.villages },
  { header: '免跑村数', value: (s) => s.noTripVillages },
  { header: '临界村数', value: (s) => s.borderlineVillages },
  { header: '免跑村户数', value: (s) => s.noTripHouseholds },
  ...groupColumns<NoTripReport['stations'][number]>((s) => s.noTripGroups),
];

/** The download's file name, stating the rules it was made under. */
export function noTripExportName(settings: NoTripSettings, format: 'csv' | 'xlsx'): string {
  return `免跑村_${settings.maxDriveMinutes}分钟_${settings.maxBusWalkMetres}米.${format}`;
}
