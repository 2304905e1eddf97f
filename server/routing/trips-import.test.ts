import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../test/deep-freeze.js';
import { metresBetween, readDuration, readTripFile, type TripPlace } from './trips-import.js';

const PLACES: TripPlace[] = deepFreeze([
  { kind: 'station', code: '330329001', name: '城关派出所', lon: 120, lat: 27.5 },
  { kind: 'village', code: '330329001001', name: '东村', lon: 120.05, lat: 27.5 },
  { kind: 'village', code: '330329001002', name: '西村', lon: 119.95, lat: 27.5 },
  { kind: 'village', code: '330329002001', name: '新村', lon: 120, lat: 27.55 },
  { kind: 'village', code: '330329003001', name: '新村', lon: 120, lat: 27.45 },
]);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('observed trip files', () => {
  it('reads durations in minutes, seconds, H:MM and with their unit', () => {
    expect(readDuration('45', 'minutes')).toBe(2700);
    expect(readDuration('45.5', 'minutes')).toBe(2730);
    expect(readDuration('300', 'seconds')).toBe(300);
    expect(readDuration('1:05', 'any')).toBe(3900);
    expect(readDuration('1:05:30', 'minutes')).toBe(3930);
    expect(readDuration('45分钟', 'any')).toBe(2700);
    expect(readDuration('1小时5分', 'any')).toBe(3900);
    expect(readDuration('45 min', 'any')).toBe(2700);
    expect(readDuration(new Date(Date.UTC(1899, 11, 30, 1, 5)), 'any')).toBe(3900);
    expect(readDuration('45', 'any')).toMatch(/没有单位.*has no unit/);
    expect(readDuration('1:75', 'any')).toMatch(/不是用时/);
    expect(readDuration(new Date(Date.UTC(2026, 4, 1)), 'minutes')).toMatch(/是日期/);
  });

  it('reads a CSV of trips by code, name and lon,lat with Chinese headers', async () => {
    const csv = [
      '出发地,目的地,用时（分钟）',
      '330329001,东村,12',
      '城关派出所,330329001002,"15.5"',
      '"120.0001,27.5001",西村,9',
    ].join('\r\n');
    const result = await readTripFile(utf8(csv), 'trips.csv', PLACES);
    expect(result.problems).toEqual([]);
    expect(result.format).toBe('csv');
    expect(result.trips.map((t) => [t.row, t.fromLabel, t.toLabel, t.observedSeconds])).toEqual([
      [2, '城关派出所 330329001', '东村 330329001001', 720],
      [3, '城关派出所 330329001', '西村 330329001002', 930],
      [4, '120.0001,27.5001', '西村 330329001002', 540],
    ]);
    expect(result.trips[0]).toMatchObject({ fromLon: 120, fromLat: 27.5, toLon: 120.05, toLat: 27.5 });
  });

  it('reports every hostile row with its field, value and reason, and keeps only good rows', async () => {
    const long = 'x'.repeat(500);
    const csv = [
      'from,to,time',
      '330329001,东村,0:12',
      `"=cmd|' /C calc'!A0",东村,0:12`,
      '330329001,,0:12',
      '330329001,新村,0:20',
      '330329001,东村,-5分钟',
      '330329001,东村,13:00',
      '330329001,330329001,0:10',
      '"10,10",东村,0:10',
      `330329001,${long},0:10`,
      '330329001,东村,12',
    ].join('\n');
    const result = await readTripFile(utf8(csv), 'bad.csv', PLACES);
    expect(result.trips.map((t) => t.row)).toEqual([2]);
    expect(result.badRows).toEqual([3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const byRow = (row: number) => result.problems.filter((p) => p.row === row);
    expect(byRow(3)[0]).toMatchObject({ file: 'bad.csv', field: 'from', value: "=cmd|' /C calc'!A0" });
    expect(byRow(3)[0]!.reason).toMatch(/出发地.*no station or village code or name/);
    expect(byRow(4)[0]).toMatchObject({ field: 'to', reason: '目的地为空（is empty）' });
    expect(byRow(5)[0]!.reason).toMatch(/有 2 处同名.*give the code/);
    expect(byRow(6)[0]).toMatchObject({ field: 'time', value: '-5分钟' });
    expect(byRow(7)[0]!.reason).toMatch(/30 秒到 12 小时/);
    expect(byRow(8)[0]!.reason).toMatch(/相同.*same place/);
    expect(byRow(9)[0]!.reason).toMatch(/50 公里.*50 km/);
    expect(byRow(10)[0]!.value).toHaveLength(81);
    expect(byRow(11)[0]!.reason).toMatch(/has no unit/);
  });

  it('refuses a table without its columns as a problem of the whole file', async () => {
    const result = await readTripFile(utf8('村,分钟\n东村,5\n'), 'cols.csv', PLACES);
    expect(result.trips).toEqual([]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ row: 0 });
    expect(result.problems[0]!.reason).toMatch(/出发地\/from/);
  });

  it('reads an XLSX with a title row and an H:MM time cell', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('行程');
    sheet.addRow(['2026 年 5 月民警出警用时']);
    sheet.addRow(['出发地', '目的地', '用时']);
    sheet.addRow(['城关派出所', '东村', new Date(Date.UTC(1899, 11, 30, 0, 25))]);
    sheet.getCell('C3').numFmt = 'h:mm';
    sheet.addRow(['城关派出所', '西村', '40分钟']);
    sheet.addRow(['城关派出所', '南村', '40分钟']);
    const bytes = new Uint8Array(await workbook.xlsx.writeBuffer());
    const result = await readTripFile(bytes, 'trips.xlsx', PLACES);
    expect(result.format).toBe('xlsx');
    expect(result.trips.map((t) => [t.row, t.toLabel, t.observedSeconds])).toEqual([
      [1, '东村 330329001001', 1500],
      [2, '西村 330329001002', 2400],
    ]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ row: 3, field: '目的地', value: '南村' });
  });

  /** A GPX track: idle at `from`, driving in `steps` to `to`, idle there; a point a minute. */
  const track = (name: string, from: [number, number], to: [number, number], steps: number, startMinute = 0) => {
    const points: string[] = [];
    let minute = startMinute;
    const point = (lon: number, lat: number) => {
      const time = new Date(Date.UTC(2026, 4, 1, 8, 0) + minute++ * 60_000).toISOString();
      points.push(`<trkpt lat="${lat}" lon="${lon}"><time>${time}</time></trkpt>`);
    };
    for (let i = 0; i < 5; i++) point(from[0] + i * 0.0001, from[1]); // within 50 m: idling in the yard
    for (let i = 1; i <= steps; i++)
      point(from[0] + ((to[0] - from[0]) * i) / steps, from[1] + ((to[1] - from[1]) * i) / steps);
    for (let i = 0; i < 3; i++) point(to[0], to[1] + i * 0.0001);
    return `<trk><name>${name}</name><trkseg>${points.join('')}</trkseg></trk>`;
  };

  it('reads GPX tracks: first to last moving point, snapped to places within the distance', async () => {
    const gpx = `<?xml version="1.0"?><gpx version="1.1" creator="test">
      ${track('巡逻 1', [120.0005, 27.5005], [120.0498, 27.5003], 10)}
      ${track('巡逻 2', [120.0005, 27.5005], [120.2, 27.6], 10)}
      ${track('停车', [120.0005, 27.5005], [120.0005, 27.5005], 1)}
    </gpx>`;
    const result = await readTripFile(utf8(gpx), 'patrol.gpx', PLACES);
    expect(result.format).toBe('gpx');
    // Idle from minute 0 to 4 (moving from 4, the last point within 50 m), 10 minutes' drive, idle after.
    expect(result.trips).toHaveLength(1);
    expect(result.trips[0]).toMatchObject({
      row: 1,
      fromLabel: '城关派出所 330329001',
      toLabel: '东村 330329001001',
      observedSeconds: 600,
    });
    expect(result.problems.map((p) => [p.row, p.reason.slice(0, 12)])).toEqual([
      [2, '终点 300 米内没有派'],
      [3, '车辆没有移动超过 50 '],
    ]);
    expect(metresBetween(120, 27.5, 120.0498, 27.5003)).toBeGreaterThan(4900);
  });

  it('refuses a GPX with a DOCTYPE and a point without time', async () => {
    const entity = await readTripFile(
      utf8('<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x "y">]><gpx><trk></trk></gpx>'),
      'evil.gpx',
      PLACES,
    );
    expect(entity.problems[0]!.reason).toMatch(/DOCTYPE/);
    const untimed = await readTripFile(
      utf8('<gpx><trk><trkseg><trkpt lat="27.5" lon="120"/><trkpt lat="27.5" lon="120.05"/></trkseg></trk></gpx>'),
      'untimed.gpx',
      PLACES,
    );
    expect(untimed.trips).toEqual([]);
    expect(untimed.problems[0]).toMatchObject({ row: 1, field: 'trkpt' });
    expect(untimed.problems[0]!.reason).toMatch(/时间无法读取/);
  });

  it('reads a CSV of GPS points as tracks by track id, in time order', async () => {
    const rows = ['轨迹,时间,经度,纬度'];
    // Written out of order: sorted by time per track.
    rows.push('A,2026-05-01T08:10:00Z,119.9502,27.5');
    rows.push('A,2026-05-01T08:00:00Z,120.0001,27.5');
    rows.push('A,2026-05-01T08:05:00Z,119.975,27.5');
    rows.push('B,2026-05-01T09:00:00Z,120.0001,27.5');
    rows.push('B,not a time,120.01,27.5');
    const result = await readTripFile(utf8(rows.join('\n')), 'points.csv', PLACES);
    expect(result.format).toBe('track-csv');
    expect(result.trips.map((t) => [t.fromLabel, t.toLabel, t.observedSeconds])).toEqual([
      ['城关派出所 330329001', '西村 330329001002', 600],
    ]);
    expect(result.problems.map((p) => p.row)).toEqual([6, 5]);
    expect(result.problems[1]!.reason).toMatch(/少于 2 个点/);
  });
});
