import type { AuditPage, UserAccount } from '../../../../contracts/auth.js';
import type { RiskMeta } from '../../../../contracts/risk.js';
import { resource } from '../../frame/resource.js';
import type { Role } from '../../session.js';

/** How many audit entries a page shows. */
export const AUDIT_PAGE_SIZE = 50;

/** The admin screen's server data, through the resource layer. */
export const adminData = {
  users: resource<{ users: UserAccount[] }>('admin/users'),
  audit: resource<AuditPage>('admin/audit'),
  /** The county's townships, for giving planners theirs (none yet: codes are typed). */
  townships: resource<RiskMeta>('admin/townships'),
};

/** What the admin has chosen on the screen (the accounts and the log are resources). */
export interface AdminState {
  /** The user whose new password is being typed. */
  resetting: number | null;
  /** The role chosen in the new-account form (planners get townships). */
  createRole: Role;
  auditFilter: { username: string; action: string };
  /** The `before` of the audit page shown (null: the newest). */
  auditBefore: number | null;
  /** The last command's outcome, shown at the top. */
  notice: { text: string; bad: boolean } | null;
}

export type AdminAction =
  | { type: 'admin/startReset'; userId: number | null }
  | { type: 'admin/createRole'; role: Role }
  | { type: 'admin/auditFilter'; username: string; action: string }
  | { type: 'admin/auditPage'; before: number | null }
  | { type: 'admin/notice'; notice: { text: string; bad: boolean } | null };

export function initialAdminState(): AdminState {
  return {
    resetting: null,
    createRole: 'planner',
    auditFilter: { username: '', action: '' },
    auditBefore: null,
    notice: null,
  };
}

/** Pure transitions of the admin screen. */
export function updateAdmin(state: AdminState, action: AdminAction): AdminState {
  switch (action.type) {
    case 'admin/startReset':
      return state.resetting === action.userId ? state : { ...state, resetting: action.userId };
    case 'admin/createRole':
      return state.createRole === action.role ? state : { ...state, createRole: action.role };
    case 'admin/auditFilter':
      // Another filter starts at the newest entries.
      return { ...state, auditFilter: { username: action.username, action: action.action }, auditBefore: null };
    case 'admin/auditPage':
      return state.auditBefore === action.before ? state : { ...state, auditBefore: action.before };
    case 'admin/notice':
      return { ...state, notice: action.notice };
  }
}

/** The audit log's URL for the filter and page chosen. */
export function auditUrl(state: AdminState): string {
  const query = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
  if (state.auditBefore !== null) query.set('before', String(state.auditBefore));
  if (state.auditFilter.username) query.set('username', state.auditFilter.username);
  if (state.auditFilter.action) query.set('action', state.auditFilter.action);
  return `/api/audit?${query.toString()}`;
}

/** What the admin screen asks the server for (the townships only once a county is there to have them). */
export function adminResources(
  state: AdminState,
  app: { county: { state: string } | null },
): Record<string, string | null> {
  return {
    [adminData.users.name]: '/api/auth/users',
    [adminData.audit.name]: auditUrl(state),
    [adminData.townships.name]: app.county?.state === 'ready' || app.county?.state === 'idle' ? '/api/risk/meta' : null,
  };
}

/** What the screen touches when it changes an account: the list and the log. */
export const ACCOUNTS_CHANGED = ['/api/auth/users', '/api/audit'];
