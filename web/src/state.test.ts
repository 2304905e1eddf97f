import { describe, expect, it } from 'vitest';
import './workspaces/registry.js';
import type { Role, SessionUser } from './session.js';
import {
  initialState,
  mayEditTownship,
  Store,
  permissionsOf,
  update,
  workspaceFromHash,
  workspacesOf,
  type Action,
  type AppState,
} from './state.js';
import { deepFreeze } from '../../test/deep-freeze.js';

const userOf = (role: Role, townships: string[] | null = null): SessionUser =>
  deepFreeze({ id: 1, username: `u-${role}`, displayName: role, role, townships });

describe('app state', () => {
  const start: AppState = deepFreeze(initialState('zh-CN', '#/policing'));

  it('opens the workspace named in the address, grid planning otherwise', () => {
    expect(start.workspace).toBe('policing');
    expect(workspaceFromHash('#/risk')).toBe('risk');
    expect(workspaceFromHash('risk')).toBe('risk');
    expect(workspaceFromHash('')).toBe('grids');
    expect(workspaceFromHash('#/admin')).toBe('admin');
    expect(workspaceFromHash('#/nowhere')).toBe('grids');
  });

  it('shows each role only its workspaces, and opens its first when the address names another', () => {
    expect(workspacesOf(userOf('admin'))).toEqual(['grids', 'policing', 'risk', 'holidays', 'onboarding', 'admin']);
    expect(workspacesOf(userOf('planner'))).toEqual(['grids', 'risk']);
    expect(workspacesOf(userOf('commander'))).toEqual(['policing', 'risk', 'holidays']);
    expect(workspacesOf(userOf('leader'))).toEqual(['grids', 'policing', 'risk', 'holidays']);
    expect(workspacesOf(null)).toEqual([]);
    expect(initialState('zh-CN', '', userOf('admin')).workspace).toBe('grids');
    expect(initialState('zh-CN', '', userOf('commander')).workspace).toBe('policing');
    expect(initialState('zh-CN', '', userOf('leader')).workspace).toBe('risk');
    expect(initialState('zh-CN', '#/admin', userOf('planner')).workspace).toBe('grids');
    expect(initialState('zh-CN', '#/holidays', userOf('leader')).workspace).toBe('holidays');
    const planner = deepFreeze(initialState('zh-CN', '#/risk', userOf('planner')));
    expect(update(planner, { type: 'openWorkspace', workspace: 'policing' }).workspace).toBe('grids');
    expect(update(planner, { type: 'openWorkspace', workspace: 'admin' }).workspace).toBe('grids');
  });

  it('lets only planners and admins edit grids, only commanders and admins edit policing', () => {
    expect(permissionsOf(userOf('leader'))).toEqual({
      editGrids: false,
      importLayers: false,
      editPolicing: false,
      administer: false,
    });
    expect(permissionsOf(userOf('planner'))).toMatchObject({
      editGrids: true,
      importLayers: true,
      editPolicing: false,
    });
    expect(permissionsOf(userOf('commander'))).toMatchObject({
      editGrids: false,
      importLayers: false,
      editPolicing: true,
    });
    expect(permissionsOf(userOf('admin'))).toEqual({
      editGrids: true,
      importLayers: true,
      editPolicing: true,
      administer: true,
    });
    const limited = userOf('planner', ['330329101']);
    expect(permissionsOf(limited)).toMatchObject({ editGrids: true, importLayers: false });
    expect(mayEditTownship(limited, '330329101')).toBe(true);
    expect(mayEditTownship(limited, '330329102')).toBe(false);
    expect(mayEditTownship(userOf('planner'), '330329102')).toBe(true);
    expect(mayEditTownship(userOf('admin'), '330329102')).toBe(true);
    expect(mayEditTownship(userOf('leader'), '330329101')).toBe(false);
  });

  it('changes only what an action names, without mutating the old state', () => {
    const next = update(start, { type: 'openWorkspace', workspace: 'risk' });
    expect(next).toEqual({ ...start, workspace: 'risk' });
    expect(start.workspace).toBe('policing');
  });

  it('returns the same object when nothing changes, so nothing re-renders', () => {
    expect(update(start, { type: 'openWorkspace', workspace: 'policing' })).toBe(start);
    expect(update(start, { type: 'setLocale', locale: 'zh-CN' })).toBe(start);
  });

  it('records the service and map status', () => {
    const offline = update(start, { type: 'serviceChecked', status: { kind: 'offline', message: 'HTTP 502' } });
    expect(offline.service).toEqual({ kind: 'offline', message: 'HTTP 502' });
    const failed = update(offline, { type: 'mapStatus', status: { kind: 'error', message: 'WebGL' } });
    expect(failed.map).toEqual({ kind: 'error', message: 'WebGL' });
  });

  it('has every resource asked for again after an accepted import or in another county, still showing the last answer', () => {
    const key = '/api/policing/no-trip';
    const loaded = [
      { type: 'resource/requested', name: 'policing/report', key },
      { type: 'resource/loaded', name: 'policing/report', key, data: { villages: [] } },
    ].reduce((state, action) => deepFreeze(update(state, action as Action)), start);
    expect(loaded.resources['policing/report']).toMatchObject({ key, status: 'ready' });
    const report = {
      accepted: true,
      layer: 'villages',
      counts: { features: 1, imported: 1, repaired: 0, rejected: 0 },
      problems: [],
    };
    const imported = update(loaded, { type: 'importChanged', state: { kind: 'accepted', report } });
    expect(imported.resources['policing/report']).toEqual({
      key: null,
      status: 'ready',
      data: { villages: [] },
      dataKey: key,
      message: null,
    });
    expect(imported.dataChange).toEqual({ version: 1, prefixes: ['/api/'] });
    const moved = update(loaded, { type: 'chooseCounty', countyCode: '520102' });
    expect([moved.countyCode, moved.resources['policing/report']!.key]).toEqual(['520102', null]);
  });

  it('tells every listener of each change in order, also of changes a listener dispatches', () => {
    const store = new Store(start);
    const seen: string[][] = [[], []];
    // The first listener answers the change of workspace with another (as the resource layer does).
    store.subscribe((state, previous) => {
      seen[0]!.push(`${previous.workspace}→${state.workspace}`);
      if (state.workspace === 'risk') store.dispatch({ type: 'setLocale', locale: 'en' });
    });
    store.subscribe((state, previous) => seen[1]!.push(`${previous.workspace}→${state.workspace} ${state.locale}`));
    store.dispatch({ type: 'openWorkspace', workspace: 'risk' });
    expect(seen[0]).toEqual(['policing→risk', 'risk→risk']);
    // Never the older state after the newer one.
    expect(seen[1]).toEqual(['policing→risk zh-CN', 'risk→risk en']);
    expect(store.current.locale).toBe('en');
  });
});
