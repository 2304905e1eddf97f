/**
 * The accounts API's types and cookie names, now in `contracts/auth.ts` (types inferred from its
 * schemas); kept here as re-exports while the server and web modules still import this path.
 */
export { CSRF_COOKIE, CSRF_HEADER, SESSION_COOKIE } from '../../contracts/auth-names.js';
export type {
  AuditEntry,
  AuditPage,
  ChangePasswordRequest,
  CreateUserRequest,
  LoginRequest,
  SessionInfo,
  SessionUser,
  UpdateUserRequest,
  UserAccount,
  UserList,
} from '../../contracts/auth.js';
