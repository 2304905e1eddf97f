import { describe, expect, it } from 'vitest';
import { initialState, update, workspaceFromHash, type AppState } from './state.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

describe('app state', () => {
  const start: AppState = deepFreeze(initialState('zh-CN', '#/policing'));

  it('opens the workspace named in the address, grid planning otherwise', () => {
    expect(start.workspace).toBe('policing');
    expect(workspaceFromHash('#/risk')).toBe('risk');
    expect(workspaceFromHash('risk')).toBe('risk');
    expect(workspaceFromHash('')).toBe('grids');
    expect(workspaceFromHash('#/admin')).toBe('grids');
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
});
