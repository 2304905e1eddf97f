import { translate, type Locale, type MessageKey } from '../i18n/index.js';
import { changePassword, type Role, type SessionUser } from '../session.js';
import { el } from './dom.js';

const ROLE_KEY: Record<Role, MessageKey> = {
  admin: 'role.admin',
  planner: 'role.planner',
  commander: 'role.commander',
  leader: 'role.leader',
};

/** A role's name in the interface language (管理员, 规划员, 指挥员, 领导). */
export function roleName(locale: Locale, role: Role): string {
  return translate(locale, ROLE_KEY[role]);
}

/**
 * The header's account menu: who is logged in and as what, changing the password, logging out.
 * A folding `<details>`, so it needs no script to open and close.
 */
export function userMenu(locale: Locale, user: SessionUser, onLogout: () => void): HTMLElement {
  const t = (key: MessageKey) => translate(locale, key);
  const passwordButton = el('button', { type: 'button', 'data-testid': 'user-password' }, t('user.password'));
  const logoutButton = el('button', { type: 'button', 'data-testid': 'user-logout' }, t('user.logout'));
  const menu = el(
    'details',
    { class: 'user-menu', 'data-testid': 'user-menu' },
    el(
      'summary',
      { 'aria-label': t('user.menu'), title: user.username },
      el('span', { class: 'user-name', 'data-testid': 'user-name' }, user.displayName || user.username),
      el('span', { class: 'user-role', 'data-testid': 'user-role' }, roleName(locale, user.role)),
    ),
    el('div', { class: 'user-menu-items' }, passwordButton, logoutButton),
  );
  passwordButton.addEventListener('click', () => {
    menu.open = false;
    openPasswordDialog(locale);
  });
  logoutButton.addEventListener('click', () => {
    menu.open = false;
    logoutButton.disabled = true;
    onLogout();
  });
  return menu;
}

/** The change-password dialog (`POST /api/auth/password`), modal over the app. */
export function openPasswordDialog(locale: Locale): HTMLDialogElement {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  const input = (name: string, autocomplete: string) =>
    el('input', { type: 'password', name, autocomplete, required: true, maxlength: '1024', 'data-testid': name });
  const current = input('password-current', 'current-password');
  const next = input('password-new', 'new-password');
  const again = input('password-confirm', 'new-password');
  const message = el('p', { class: 'dialog-message', role: 'status', 'data-testid': 'password-message' });
  const submit = el(
    'button',
    { type: 'submit', class: 'primary', 'data-testid': 'password-submit' },
    t('password.submit'),
  );
  const close = el('button', { type: 'button', 'data-testid': 'password-close' }, t('password.close'));
  const form = el(
    'form',
    { class: 'password-form' },
    el('h2', {}, t('password.title')),
    el('label', {}, t('password.current'), current),
    el('label', {}, t('password.new'), next),
    el('label', {}, t('password.confirm'), again),
    message,
    el('div', { class: 'row' }, submit, close),
  );
  const dialog = el('dialog', { class: 'password-dialog', 'data-testid': 'password-dialog' }, form);
  const say = (text: string, bad: boolean) => {
    message.textContent = text;
    message.className = `dialog-message ${bad ? 'bad' : 'ok'}`;
  };
  close.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => dialog.remove());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (next.value !== again.value) {
      say(t('password.mismatch'), true);
      return;
    }
    submit.disabled = true;
    say(t('password.saving'), false);
    changePassword({ currentPassword: current.value, newPassword: next.value })
      .then(() => {
        form.reset();
        say(t('password.saved'), false);
      })
      .catch((err: unknown) => say(t('password.failed', { message: (err as Error).message }), true))
      .finally(() => {
        submit.disabled = false;
      });
  });
  document.body.append(dialog);
  dialog.showModal();
  current.focus();
  return dialog;
}
