import { html, nothing, type TemplateResult } from 'lit-html';
import { live } from 'lit-html/directives/live.js';
import type { CreateUserRequest, UserAccount } from '../../../../contracts/auth.js';
import type { Resource } from '../../frame/resource.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import { ROLES, type Role, type SessionUser } from '../../session.js';
import type { Action } from '../../state.js';
import { roleName } from '../../ui/user-menu.js';
import type { AdminCommands } from './controller.js';
import type { AdminState } from './state.js';

type T = (key: MessageKey, values?: Record<string, string | number>) => string;
type Dispatch = (action: Action) => void;

/** A township an admin can give a planner. */
export interface TownshipChoice {
  code: string;
  name: string;
}

/** Township codes as names, or '全部乡镇' for null. */
function townshipsText(t: T, codes: string[] | null, townships: TownshipChoice[] | null): string {
  if (codes === null) return t('admin.users.townships.all');
  const names = new Map((townships ?? []).map((tw) => [tw.code, tw.name]));
  return codes.map((code) => names.get(code) ?? code).join('、') || t('admin.users.townships.none');
}

/** A role select; `live` sets the shown role back when a change was cancelled or refused. */
function roleOptions(locale: Locale, selected: Role): TemplateResult[] {
  return ROLES.map(
    (role) => html`<option value=${role} .selected=${live(role === selected)}>${roleName(locale, role)}</option>`,
  );
}

function userRows(
  locale: Locale,
  me: SessionUser,
  user: UserAccount,
  state: AdminState,
  townships: TownshipChoice[] | null,
  commands: AdminCommands | null,
  dispatch: Dispatch,
): TemplateResult {
  const t: T = (key, values) => translate(locale, key, values);
  const self = user.id === me.id;
  const changeRole = (event: Event) => {
    const select = event.currentTarget as HTMLSelectElement;
    const next = select.value as Role;
    if (!window.confirm(t('admin.users.roleConfirm', { username: user.username, role: roleName(locale, next) }))) {
      select.value = user.role;
      return;
    }
    // Only planners are limited to townships.
    commands?.update(user, next === 'planner' ? { role: next } : { role: next, townships: null });
  };
  const toggle = () => {
    if (!user.disabled && !window.confirm(t('admin.users.disableConfirm', { username: user.username }))) return;
    commands?.update(user, { disabled: !user.disabled });
  };
  const startReset = () => {
    dispatch({ type: 'admin/startReset', userId: state.resetting === user.id ? null : user.id });
    // The store draws synchronously: the password box is there now.
    document.querySelector<HTMLInputElement>('[data-testid=user-reset-password]')?.focus();
  };
  // Admins cannot take away their own role or account here (they would lock themselves out).
  return html`<tr data-username=${user.username} class=${user.disabled ? 'disabled' : ''}>
      <td>${user.username}${self ? html`<span class="muted">${t('admin.users.you')}</span>` : nothing}</td>
      <td>${user.displayName}</td>
      <td>
        <select name="role" data-testid="user-role-select" ?disabled=${self} @change=${changeRole}>
          ${roleOptions(locale, user.role)}
        </select>
      </td>
      <td>${townshipsText(t, user.townships, townships)}</td>
      <td class=${user.disabled ? 'bad-text' : ''} data-testid="user-status">
        ${user.disabled ? t('admin.users.disabled') : t('admin.users.enabled')}
      </td>
      <td class="nowrap">
        ${user.lastLoginAt ? new Date(user.lastLoginAt).toLocaleString(locale) : t('admin.users.never')}
      </td>
      <td class="row">
        <button
          type="button"
          ?disabled=${self}
          data-testid=${user.disabled ? 'user-enable' : 'user-disable'}
          @click=${toggle}
        >
          ${user.disabled ? t('admin.users.enable') : t('admin.users.disable')}
        </button>
        <button
          type="button"
          data-testid="user-reset"
          aria-expanded=${state.resetting === user.id ? 'true' : 'false'}
          @click=${startReset}
        >
          ${t('admin.users.resetPassword')}
        </button>
      </td>
    </tr>
    ${
      state.resetting === user.id
        ? html`<tr class="reset-row">
            <td colspan="7">
              <form
                class="row reset-form"
                @submit=${(event: SubmitEvent) => {
                  event.preventDefault();
                  const form = event.currentTarget as HTMLFormElement;
                  const password = (form.elements.namedItem('new-password') as HTMLInputElement).value;
                  commands?.update(user, { password });
                }}
              >
                <label
                  >${t('admin.users.resetPrompt', { username: user.username })}<input
                    type="password"
                    name="new-password"
                    autocomplete="new-password"
                    required
                    minlength="10"
                    data-testid="user-reset-password"
                /></label>
                <button type="submit" class="primary" data-testid="user-reset-submit">
                  ${t('admin.users.resetPassword')}
                </button>
              </form>
            </td>
          </tr>`
        : nothing
    }`;
}

/** Every account, with what an admin may change on each. */
export function usersView(
  locale: Locale,
  me: SessionUser,
  users: Resource<{ users: UserAccount[] }>,
  state: AdminState,
  townships: TownshipChoice[] | null,
  commands: AdminCommands | null,
  dispatch: Dispatch,
): TemplateResult {
  const t: T = (key, values) => translate(locale, key, values);
  const list = users.data?.users ?? null;
  return html`<section class="admin-users" data-testid="admin-users">
    <div class="row">
      <h2>${t('admin.users.title')}</h2>
      <button type="button" ?disabled=${users.status === 'loading'} @click=${() => commands?.refresh()}>
        ${t('admin.users.refresh')}
      </button>
    </div>
    ${
      users.status === 'error'
        ? html`<p class="bad-text" role="alert">${t('admin.failed', { message: users.message ?? '' })}</p>`
        : nothing
    }
    ${
      list
        ? html`<table class="admin-table" data-testid="users-table">
            <thead>
              <tr>
                ${(
                  [
                    'admin.users.username',
                    'admin.users.name',
                    'admin.users.role',
                    'admin.users.townships',
                    'admin.users.status',
                    'admin.users.lastLogin',
                    'admin.users.actions',
                  ] as const
                ).map((key) => html`<th>${t(key)}</th>`)}
              </tr>
            </thead>
            <tbody>
              ${list.map((user) => userRows(locale, me, user, state, townships, commands, dispatch))}
            </tbody>
          </table>`
        : users.status === 'loading'
          ? html`<p class="muted">${t('admin.users.loading')}</p>`
          : nothing
    }
  </section>`;
}

/** The codes typed or ticked in the new-account form. */
function chosenTownships(form: HTMLFormElement): string[] {
  const boxes = [...form.querySelectorAll<HTMLInputElement>('input[name=township]:checked')].map((box) => box.value);
  const typed = (form.querySelector<HTMLInputElement>('[name=townshipCodes]')?.value ?? '')
    .split(/[\s,，]+/)
    .filter((code) => code !== '');
  return [...boxes, ...typed];
}

/** The form that makes a new account (lit keeps what is typed while the lists are read again). */
export function createUserForm(
  locale: Locale,
  state: AdminState,
  townships: TownshipChoice[] | null,
  commands: AdminCommands | null,
  dispatch: Dispatch,
): TemplateResult {
  const t: T = (key, values) => translate(locale, key, values);
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const value = (name: string) => (form.elements.namedItem(name) as HTMLInputElement).value;
    const role = value('role') as Role;
    const chosen = chosenTownships(form);
    const displayName = value('displayName').trim();
    const request: CreateUserRequest = {
      username: value('username').trim(),
      role,
      password: value('password'),
      ...(displayName ? { displayName } : {}),
      ...(role === 'planner' && chosen.length > 0 ? { townships: chosen } : {}),
    };
    void commands?.create(request).then((made) => {
      if (!made) return;
      form.reset();
      dispatch({ type: 'admin/createRole', role: 'planner' });
    });
  };
  const townshipBox =
    townships && townships.length > 0
      ? html`<fieldset class="townships" data-testid="create-townships" ?hidden=${state.createRole !== 'planner'}>
          <legend>${t('admin.create.townships')}</legend>
          ${townships.map(
            (tw) =>
              html`<label class="check"><input type="checkbox" name="township" value=${tw.code} />${tw.name}</label>`,
          )}
        </fieldset>`
      : html`<label ?hidden=${state.createRole !== 'planner'}
          >${t('admin.create.townshipsCodes')}<input
            type="text"
            name="townshipCodes"
            data-testid="create-townshipCodes"
            pattern="[0-9, ，]*"
        /></label>`;
  return html`<form class="card create-user" data-testid="create-user" @submit=${submit}>
    <h2>${t('admin.create.title')}</h2>
    <div class="row">
      <label
        >${t('admin.create.username')}<input
          type="text"
          name="username"
          data-testid="create-username"
          required
          maxlength="100"
          autocomplete="off"
      /></label>
      <label
        >${t('admin.create.name')}<input
          type="text"
          name="displayName"
          data-testid="create-displayName"
          maxlength="100"
          autocomplete="off"
      /></label>
    </div>
    <div class="row">
      <label
        >${t('admin.create.role')}<select
          name="role"
          data-testid="create-role"
          @change=${(event: Event) =>
            dispatch({ type: 'admin/createRole', role: (event.currentTarget as HTMLSelectElement).value as Role })}
        >
          ${roleOptions(locale, state.createRole)}
        </select></label
      >
      <label
        >${t('admin.create.password')}<input
          type="password"
          name="password"
          data-testid="create-password"
          required
          minlength="10"
          autocomplete="new-password"
      /></label>
    </div>
    ${townshipBox}
    <button type="submit" class="primary" data-testid="create-submit">${t('admin.create.submit')}</button>
  </form>`;
}
