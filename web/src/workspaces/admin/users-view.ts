import type { CreateUserRequest, UpdateUserRequest, UserAccount } from '../../../../server/auth/api-types.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import { ROLES, type Role, type SessionUser } from '../../session.js';
import { el } from '../../ui/dom.js';
import { roleName } from '../../ui/user-menu.js';

/** A township an admin can give a planner. */
export interface TownshipChoice {
  code: string;
  name: string;
}

export interface UsersViewState {
  users: UserAccount[] | null;
  loading: boolean;
  error: string | null;
  /** The user whose new password is being typed. */
  resetting: number | null;
  /** Every township of the county; null while unknown (codes are then typed). */
  townships: TownshipChoice[] | null;
}

export interface UsersCommands {
  refresh(): void;
  create(request: CreateUserRequest, done: () => void): void;
  update(user: UserAccount, change: UpdateUserRequest): void;
  startReset(userId: number | null): void;
}

/** Township codes as names, or '全部乡镇' for null. */
function townshipsText(
  t: (key: MessageKey) => string,
  codes: string[] | null,
  townships: TownshipChoice[] | null,
): string {
  if (codes === null) return t('admin.users.townships.all');
  const names = new Map((townships ?? []).map((tw) => [tw.code, tw.name]));
  return codes.map((code) => names.get(code) ?? code).join('、') || t('admin.users.townships.none');
}

function roleSelect(locale: Locale, name: string, selected: Role, testId: string): HTMLSelectElement {
  return el(
    'select',
    { name, 'data-testid': testId },
    ...ROLES.map((role) => el('option', { value: role, selected: role === selected }, roleName(locale, role))),
  );
}

function userRow(
  locale: Locale,
  me: SessionUser,
  user: UserAccount,
  state: UsersViewState,
  commands: UsersCommands,
): HTMLElement[] {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  const self = user.id === me.id;
  const role = roleSelect(locale, 'role', user.role, 'user-role-select');
  // Admins cannot take away their own role or account here (they would lock themselves out).
  role.disabled = self;
  role.addEventListener('change', () => {
    const next = role.value as Role;
    if (!window.confirm(t('admin.users.roleConfirm', { username: user.username, role: roleName(locale, next) }))) {
      role.value = user.role;
      return;
    }
    // Only planners are limited to townships.
    commands.update(user, next === 'planner' ? { role: next } : { role: next, townships: null });
  });
  const toggle = el(
    'button',
    { type: 'button', disabled: self, 'data-testid': user.disabled ? 'user-enable' : 'user-disable' },
    user.disabled ? t('admin.users.enable') : t('admin.users.disable'),
  );
  toggle.addEventListener('click', () => {
    if (!user.disabled && !window.confirm(t('admin.users.disableConfirm', { username: user.username }))) return;
    commands.update(user, { disabled: !user.disabled });
  });
  const reset = el(
    'button',
    { type: 'button', 'data-testid': 'user-reset', 'aria-expanded': state.resetting === user.id ? 'true' : 'false' },
    t('admin.users.resetPassword'),
  );
  reset.addEventListener('click', () => commands.startReset(state.resetting === user.id ? null : user.id));
  const row = el(
    'tr',
    { 'data-username': user.username, class: user.disabled ? 'disabled' : '' },
    el('td', {}, user.username, self ? el('span', { class: 'muted' }, t('admin.users.you')) : null),
    el('td', {}, user.displayName),
    el('td', {}, role),
    el('td', {}, townshipsText(t, user.townships, state.townships)),
    el(
      'td',
      { class: user.disabled ? 'bad-text' : '', 'data-testid': 'user-status' },
      user.disabled ? t('admin.users.disabled') : t('admin.users.enabled'),
    ),
    el(
      'td',
      { class: 'nowrap' },
      user.lastLoginAt ? new Date(user.lastLoginAt).toLocaleString(locale) : t('admin.users.never'),
    ),
    el('td', { class: 'row' }, toggle, reset),
  );
  if (state.resetting !== user.id) return [row];
  const password = el('input', {
    type: 'password',
    name: 'new-password',
    autocomplete: 'new-password',
    required: true,
    minlength: '10',
    'data-testid': 'user-reset-password',
  });
  const form = el(
    'form',
    { class: 'row reset-form' },
    el('label', {}, t('admin.users.resetPrompt', { username: user.username }), password),
    el(
      'button',
      { type: 'submit', class: 'primary', 'data-testid': 'user-reset-submit' },
      t('admin.users.resetPassword'),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    commands.update(user, { password: password.value });
  });
  return [row, el('tr', { class: 'reset-row' }, el('td', { colspan: '7' }, form))];
}

/** Every account, with what an admin may change on each. */
export function usersView(
  locale: Locale,
  me: SessionUser,
  state: UsersViewState,
  commands: UsersCommands,
): HTMLElement {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  const refresh = el('button', { type: 'button', disabled: state.loading }, t('admin.users.refresh'));
  refresh.addEventListener('click', () => commands.refresh());
  const root = el(
    'section',
    { class: 'admin-users', 'data-testid': 'admin-users' },
    el('div', { class: 'row' }, el('h2', {}, t('admin.users.title')), refresh),
  );
  if (state.error)
    root.append(el('p', { class: 'bad-text', role: 'alert' }, t('admin.failed', { message: state.error })));
  if (!state.users) {
    if (state.loading) root.append(el('p', { class: 'muted' }, t('admin.users.loading')));
    return root;
  }
  root.append(
    el(
      'table',
      { class: 'admin-table', 'data-testid': 'users-table' },
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          ...(
            [
              'admin.users.username',
              'admin.users.name',
              'admin.users.role',
              'admin.users.townships',
              'admin.users.status',
              'admin.users.lastLogin',
              'admin.users.actions',
            ] as const
          ).map((key) => el('th', {}, t(key))),
        ),
      ),
      el('tbody', {}, ...state.users.flatMap((user) => userRow(locale, me, user, state, commands))),
    ),
  );
  return root;
}

/** The form that makes a new account (built once per language, so typing survives list refreshes). */
export function createUserForm(
  locale: Locale,
  townships: TownshipChoice[] | null,
  commands: Pick<UsersCommands, 'create'>,
): HTMLElement {
  const t = (key: MessageKey) => translate(locale, key);
  const input = (name: string, attributes: Record<string, string | boolean> = {}) =>
    el('input', { type: 'text', name, 'data-testid': `create-${name}`, ...attributes });
  const username = input('username', { required: true, maxlength: '100', autocomplete: 'off' });
  const displayName = input('displayName', { maxlength: '100', autocomplete: 'off' });
  const role = roleSelect(locale, 'role', 'planner', 'create-role');
  const password = input('password', {
    type: 'password',
    required: true,
    minlength: '10',
    autocomplete: 'new-password',
  });
  const townshipBox =
    townships && townships.length > 0
      ? el(
          'fieldset',
          { class: 'townships', 'data-testid': 'create-townships' },
          el('legend', {}, t('admin.create.townships')),
          ...townships.map((tw) =>
            el(
              'label',
              { class: 'check' },
              el('input', { type: 'checkbox', name: 'township', value: tw.code }),
              tw.name,
            ),
          ),
        )
      : el('label', {}, t('admin.create.townshipsCodes'), input('townshipCodes', { pattern: '[0-9, ，]*' }));
  const showTownships = () => {
    townshipBox.hidden = role.value !== 'planner';
  };
  role.addEventListener('change', showTownships);
  showTownships();
  const form = el(
    'form',
    { class: 'card create-user', 'data-testid': 'create-user' },
    el('h2', {}, t('admin.create.title')),
    el(
      'div',
      { class: 'row' },
      el('label', {}, t('admin.create.username'), username),
      el('label', {}, t('admin.create.name'), displayName),
    ),
    el(
      'div',
      { class: 'row' },
      el('label', {}, t('admin.create.role'), role),
      el('label', {}, t('admin.create.password'), password),
    ),
    townshipBox,
    el('button', { type: 'submit', class: 'primary', 'data-testid': 'create-submit' }, t('admin.create.submit')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen =
      townshipBox instanceof HTMLFieldSetElement
        ? [...townshipBox.querySelectorAll<HTMLInputElement>('input:checked')].map((box) => box.value)
        : (form.querySelector<HTMLInputElement>('[name=townshipCodes]')?.value ?? '')
            .split(/[\s,，]+/)
            .filter((code) => code !== '');
    const request: CreateUserRequest = {
      username: username.value.trim(),
      role: role.value as Role,
      password: password.value,
      ...(displayName.value.trim() ? { displayName: displayName.value.trim() } : {}),
      ...(role.value === 'planner' && chosen.length > 0 ? { townships: chosen } : {}),
    };
    commands.create(request, () => {
      form.reset();
      showTownships();
    });
  });
  return form;
}
