import { describe, expect, it } from 'vitest';
import type { Access, Role } from '../http/route.js';
import { accessDecision, can, isRole, plannerMayEdit, ROLES } from './roles.js';

describe('can and accessDecision', () => {
  const plannersAndLeaders: Access = ['planner', 'leader'];

  it('lets everyone, logged in or not, call a public route', () => {
    for (const role of [null, ...ROLES]) {
      expect(can(role, 'public')).toBe(true);
      expect(accessDecision(role, 'public')).toBe('allowed');
    }
  });

  it('admits exactly the listed roles, admin only when listed', () => {
    const table: [Role | null, boolean, string][] = [
      [null, false, 'unauthenticated'],
      ['admin', false, 'forbidden'],
      ['planner', true, 'allowed'],
      ['commander', false, 'forbidden'],
      ['leader', true, 'allowed'],
    ];
    for (const [role, allowed, decision] of table) {
      expect(can(role, plannersAndLeaders), String(role)).toBe(allowed);
      expect(accessDecision(role, plannersAndLeaders), String(role)).toBe(decision);
    }
    expect(can('admin', ['admin'])).toBe(true);
  });

  it('admits nobody to a route with an empty list, and says 401 before 403', () => {
    expect(ROLES.map((role) => can(role, []))).toEqual([false, false, false, false]);
    expect(accessDecision(null, [])).toBe('unauthenticated');
    expect(accessDecision('admin', [])).toBe('forbidden');
  });

  it('recognises role names exactly', () => {
    expect(ROLES).toEqual(['admin', 'planner', 'commander', 'leader']);
    expect(['admin', 'leader'].map(isRole)).toEqual([true, true]);
    expect(['Admin', 'root', '', null, 1, 'public'].map(isRole)).toEqual([false, false, false, false, false, false]);
  });
});

describe('plannerMayEdit', () => {
  it('lets an unlimited planner edit every township', () => {
    expect(plannerMayEdit({ role: 'planner', townships: null }, '330329101')).toBe(true);
  });

  it('limits a planner to their townships', () => {
    const planner = { role: 'planner' as const, townships: ['330329101', '330329102'] };
    expect(plannerMayEdit(planner, '330329101')).toBe(true);
    expect(plannerMayEdit(planner, '330329102')).toBe(true);
    expect(plannerMayEdit(planner, '330329103')).toBe(false);
    expect(plannerMayEdit(planner, '33032910')).toBe(false);
    expect(plannerMayEdit(planner, '')).toBe(false);
    expect(plannerMayEdit({ role: 'planner', townships: [] }, '330329101')).toBe(false);
  });

  it('refuses every other role, whatever their townships', () => {
    for (const role of ['admin', 'commander', 'leader'] as const) {
      expect(plannerMayEdit({ role, townships: null }, '330329101')).toBe(false);
      expect(plannerMayEdit({ role, townships: ['330329101'] }, '330329101')).toBe(false);
    }
  });
});
