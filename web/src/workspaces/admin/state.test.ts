import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../../../../test/deep-freeze.js';
import { adminData, adminResources, auditUrl, initialAdminState, updateAdmin } from './state.js';

describe('the admin screen’s state', () => {
  const start = deepFreeze(initialAdminState());

  it('asks for the accounts, the newest log page and, once a county is there, its townships', () => {
    expect(adminResources(start, { county: { state: 'ready' } })).toEqual({
      [adminData.users.name]: '/api/auth/users',
      [adminData.audit.name]: '/api/audit?limit=50',
      [adminData.townships.name]: '/api/risk/meta',
    });
    expect(adminResources(start, { county: null })[adminData.townships.name]).toBeNull();
  });

  it('pages the log, and starts a new filter at the newest entries', () => {
    const older = updateAdmin(start, { type: 'admin/auditPage', before: 120 });
    expect(auditUrl(older)).toBe('/api/audit?limit=50&before=120');
    const filtered = updateAdmin(older, { type: 'admin/auditFilter', username: 'li', action: 'POST /api/auth/users' });
    expect(filtered.auditBefore).toBeNull();
    expect(auditUrl(filtered)).toBe('/api/audit?limit=50&username=li&action=POST+%2Fapi%2Fauth%2Fusers');
    expect(updateAdmin(filtered, { type: 'admin/auditPage', before: null })).toBe(filtered);
  });

  it('opens one password reset at a time and keeps the new account’s role', () => {
    const resetting = updateAdmin(start, { type: 'admin/startReset', userId: 3 });
    expect(resetting.resetting).toBe(3);
    expect(updateAdmin(resetting, { type: 'admin/startReset', userId: 3 })).toBe(resetting);
    expect(updateAdmin(start, { type: 'admin/createRole', role: 'commander' }).createRole).toBe('commander');
    expect(updateAdmin(start, { type: 'admin/notice', notice: { text: 'ok', bad: false } }).notice).toEqual({
      text: 'ok',
      bad: false,
    });
  });
});
