import type { MessageKeyOf, Workspace } from '../workspace.js';
import { messages } from './messages.js';
import { AdminScreen } from './screen.js';
import './styles.css';

/** 管理: admins keep the accounts and read the audit log, on a screen over the map area. */
export const adminWorkspace: Workspace<'admin', null, never, AdminScreen, MessageKeyOf<typeof messages>> = {
  id: 'admin',
  titleKey: 'workspace.admin',
  descriptionKey: 'workspace.admin.description',
  order: 50,
  roles: ['admin'],
  messages,
  // Its small state is the screen's own (nothing of it touches the map or another workspace).
  initialState: () => null,
  update: (state) => state,
  start: ({ locale, user }) => new AdminScreen(locale, user),
  // It reads the server afresh each time it is opened.
  cover: (screen) => screen,
};
