import type { Access, Role } from '../http/route.js';

/** Every role, in the order the UI lists them. */
export const ROLES: readonly Role[] = ['admin', 'planner', 'commander', 'leader'];

/** Whether a string names a role (for values read from the database or the command line). */
export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/**
 * Whether a user of `role` (null: not logged in) may call a route declared with `access`. Literal:
 * a route lists every role it admits, admin included; no role implies another.
 */
export function can(role: Role | null, access: Access): boolean {
  if (access === 'public') return true;
  return role !== null && access.includes(role);
}

/** What the auth layer answers: go on, 401 (log in first) or 403 (logged in, not allowed). */
export type AccessDecision = 'allowed' | 'unauthenticated' | 'forbidden';

/** The status a request gets for a route: public routes are open; others need a login, then the role. */
export function accessDecision(role: Role | null, access: Access): AccessDecision {
  if (can(role, access)) return 'allowed';
  return role === null ? 'unauthenticated' : 'forbidden';
}

/** The part of a user that decides grid edits: planners may be limited to some townships. */
export interface PlannerScope {
  role: Role;
  /** Township codes this user may edit; null means every township. */
  townships: readonly string[] | null;
}

/** Whether this user may edit grids in the township: planners only, within their townships. */
export function plannerMayEdit(user: PlannerScope, townshipCode: string): boolean {
  if (user.role !== 'planner') return false;
  return user.townships === null || user.townships.includes(townshipCode);
}

/**
 * Which households a user may see one by one (positions, persons, codes): admins all of them,
 * planners those of their townships (all when not limited), commanders and leaders none (they
 * read only figures aggregated over villages, grids or hexagons).
 */
export function householdScope(user: PlannerScope | null): 'all' | 'none' | readonly string[] {
  if (user?.role === 'admin') return 'all';
  if (user?.role === 'planner') return user.townships ?? 'all';
  return 'none';
}
