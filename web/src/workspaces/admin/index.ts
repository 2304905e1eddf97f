import type { MessageKeyOf, Workspace } from '../workspace.js';
import { AdminController } from './controller.js';
import { messages } from './messages.js';
import { adminScreen } from './screen.js';
import { adminResources, initialAdminState, updateAdmin, type AdminAction, type AdminState } from './state.js';
import './styles.css';

/** 管理: admins keep the accounts and read the audit log, on a screen over the map area. */
export const adminWorkspace: Workspace<
  'admin',
  AdminState,
  AdminAction,
  AdminController,
  MessageKeyOf<typeof messages>
> = {
  id: 'admin',
  titleKey: 'workspace.admin',
  descriptionKey: 'workspace.admin.description',
  order: 50,
  roles: ['admin'],
  messages,
  initialState: initialAdminState,
  update: updateAdmin,
  // The accounts, the log and the county's townships, through the resource layer (read afresh when opened).
  resources: adminResources,
  start: ({ store, resources }) => new AdminController(store, resources),
  coverView: ({ locale, state, app, controller, dispatch }) =>
    adminScreen(locale, app.user!, state, app, controller, dispatch),
};
