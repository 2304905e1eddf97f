import { html, nothing, type TemplateResult } from 'lit-html';
import type { Locale } from '../../i18n/index.js';
import type { SessionUser } from '../../session.js';
import type { Action, AppState } from '../../state.js';
import { auditView } from './audit-view.js';
import type { AdminCommands } from './controller.js';
import { adminData, type AdminState } from './state.js';
import { createUserForm, usersView, type TownshipChoice } from './users-view.js';

/**
 * The admin screen (`#/admin`) over the map area: the outcome of the last change, the accounts,
 * the new-account form and the audit log, as one lit-html template.
 */
export function adminScreen(
  locale: Locale,
  me: SessionUser,
  state: AdminState,
  app: AppState,
  commands: AdminCommands | null,
  dispatch: (action: Action) => void,
): TemplateResult {
  const meta = adminData.townships.of(app).data;
  const townships: TownshipChoice[] | null = meta
    ? meta.townships.map((tw) => ({ code: tw.code, name: tw.name }))
    : null;
  return html`<div class="admin-screen" data-testid="admin-screen">
    <div class="admin-notice" aria-live="polite">
      ${
        state.notice
          ? html`<p class="notice-line ${state.notice.bad ? 'error' : 'ok'}" role="status" data-testid="admin-notice">
              ${state.notice.text}
            </p>`
          : nothing
      }
    </div>
    ${usersView(locale, me, adminData.users.of(app), state, townships, commands, dispatch)}
    ${createUserForm(locale, state, townships, commands, dispatch)}
    ${auditView(locale, adminData.audit.of(app), state, dispatch)}
  </div>`;
}
