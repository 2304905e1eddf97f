import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../test/deep-freeze.js';
import { translate, type MessageKey } from '../i18n/index.js';
import type { Role, SessionUser } from '../session.js';
import { initialState, update, workspaceFromHash, workspacesOf, type Action, type AppState } from '../state.js';
import './registry.js';
import { registerWorkspace, type Workspace } from './workspace.js';

const userOf = (role: Role): SessionUser =>
  deepFreeze({ id: 1, username: `u-${role}`, displayName: role, role, townships: null });

/** A workspace of this test only (not in the app): one folder's worth, registered with one line. */
type TallyAction = { type: 'tally/add'; by: number } | { type: 'tally/clear' };
const tally: Workspace<
  'tally',
  { count: number },
  TallyAction,
  null,
  'workspace.tally' | 'workspace.tally.description'
> = {
  id: 'tally',
  titleKey: 'workspace.tally' as MessageKey,
  descriptionKey: 'workspace.tally.description' as MessageKey,
  order: 25,
  roles: ['commander', 'admin'],
  messages: {
    'zh-CN': { 'workspace.tally': '计数', 'workspace.tally.description': '数一数。' },
    en: { 'workspace.tally': 'Tally', 'workspace.tally.description': 'Count things.' },
  },
  initialState: () => ({ count: 0 }),
  update: (state, action) =>
    action.type === 'tally/add' ? { count: state.count + action.by } : state.count === 0 ? state : { count: 0 },
  afterImport: () => ({ count: 0 }),
};
registerWorkspace(tally);

const dispatchAll = (state: AppState, ...actions: unknown[]) =>
  actions.reduce<AppState>((current, action) => update(current, action as Action), state);
const sliceOf = (state: AppState) => (state as unknown as { tally: { count: number } }).tally;

describe('the workspace registry', () => {
  it('gives a registered workspace a tab for its roles only, in its order', () => {
    expect(workspacesOf(userOf('commander'))).toEqual(['policing', 'tally', 'risk', 'holidays']);
    expect(workspacesOf(userOf('admin'))).toEqual([
      'grids',
      'policing',
      'tally',
      'risk',
      'holidays',
      'onboarding',
      'admin',
    ]);
    expect(workspacesOf(userOf('planner'))).toEqual(['grids', 'risk']);
    expect(workspacesOf(userOf('leader'))).not.toContain('tally');
    expect(workspaceFromHash('#/tally')).toBe('tally');
    expect(initialState('en', '#/tally', userOf('commander')).workspace).toBe('tally');
    // A role that does not see it is sent to its own first workspace.
    expect(initialState('en', '#/tally', userOf('leader')).workspace).toBe('risk');
    const planner = deepFreeze(initialState('en', '#/grids', userOf('planner')));
    expect(update(planner, { type: 'openWorkspace', workspace: 'tally' as never }).workspace).toBe('grids');
  });

  it('titles it in both languages from its own text', () => {
    expect(translate('zh-CN', tally.titleKey)).toBe('计数');
    expect(translate('en', tally.titleKey)).toBe('Tally');
    expect(translate('en', tally.descriptionKey)).toBe('Count things.');
  });

  it('routes its actions to its reducer alone, and the others to theirs', () => {
    const start = deepFreeze(initialState('en', '#/tally', userOf('commander')));
    expect(sliceOf(start)).toEqual({ count: 0 });
    const next = dispatchAll(start, { type: 'tally/add', by: 2 }, { type: 'tally/add', by: 3 });
    expect(sliceOf(next)).toEqual({ count: 5 });
    expect({ ...next, tally: null }).toEqual({ ...start, tally: null });
    // Unchanged slice, unchanged state: nothing re-renders.
    expect(update(start, { type: 'tally/clear' } as unknown as Action)).toBe(start);
    // Another workspace's action leaves this slice as it was.
    const selected = update(next, { type: 'policing/selectStation', station: 'S1' });
    expect(selected.policing.station).toBe('S1');
    expect(sliceOf(selected)).toBe(sliceOf(next));
  });

  it('starts it again after an import, with the other workspaces', () => {
    const counted = dispatchAll(initialState('en', '#/tally', userOf('commander')), { type: 'tally/add', by: 4 });
    const report = { accepted: true, layer: 'roads', counts: { features: 1, imported: 1, repaired: 0, rejected: 0 } };
    const imported = update(counted, {
      type: 'importChanged',
      state: { kind: 'accepted', report: { ...report, problems: [] } },
    });
    expect(sliceOf(imported)).toEqual({ count: 0 });
    expect(imported.import.kind).toBe('accepted');
  });

  it('refuses an action of no registered workspace, and a workspace registered twice or named like the frame', () => {
    const start = initialState('en', '', userOf('admin'));
    expect(() => update(start, { type: 'nowhere/go' } as unknown as Action)).toThrow(/No workspace "nowhere"/);
    expect(() => registerWorkspace(tally)).toThrow(/registered twice/);
    expect(() => registerWorkspace({ ...tally, id: 'map' })).toThrow(/key of the frame/);
  });
});
