import type {
  AuditPage,
  CreateUserRequest,
  UpdateUserRequest,
  UserAccount,
} from '../../../../server/auth/api-types.js';
import type { RiskMeta } from '../../../../server/risk/api-types.js';
import { requestJson } from '../../api.js';
import { translate, type Locale, type MessageKey } from '../../i18n/index.js';
import type { SessionUser } from '../../session.js';
import { auditView, type AuditViewState } from './audit-view.js';
import { createUserForm, usersView, type TownshipChoice, type UsersViewState } from './users-view.js';
import { el } from '../../ui/dom.js';

const AUDIT_PAGE_SIZE = 50;

/**
 * The admin workspace (`#/admin`): the accounts and the audit log, drawn over the map area. It
 * keeps its own small state (nothing of it touches the map) and asks the server when opened.
 */
export class AdminScreen {
  readonly element = el('div', { class: 'admin-screen', 'data-testid': 'admin-screen' });
  private locale: Locale;
  private readonly usersBox = el('div', {});
  private readonly createBox = el('div', {});
  private readonly auditBox = el('div', {});
  private readonly noticeBox = el('div', { class: 'admin-notice', 'aria-live': 'polite' });
  private users: UsersViewState = { users: null, loading: false, error: null, resetting: null, townships: null };
  private audit: AuditViewState = {
    page: null,
    loading: false,
    error: null,
    filter: { username: '', action: '' },
    before: null,
  };
  private opened = false;
  /** Answers to an older audit request are dropped. */
  private auditRequest = 0;

  constructor(
    locale: Locale,
    private readonly me: SessionUser,
  ) {
    this.locale = locale;
    this.element.append(this.noticeBox, this.usersBox, this.createBox, this.auditBox);
  }

  /** Shown (again): draw in the language of the app, and read the users and log afresh. */
  show(locale: Locale): void {
    const relabel = locale !== this.locale || !this.opened;
    this.locale = locale;
    if (relabel) {
      this.drawCreate();
      this.drawUsers();
      this.drawAudit();
    }
    if (!this.opened) {
      this.opened = true;
      void this.loadTownships();
    }
    this.refreshUsers();
    this.loadAudit(this.audit.before);
  }

  private t(key: MessageKey, values?: Record<string, string | number>): string {
    return translate(this.locale, key, values);
  }

  private say(text: string | null, bad = false): void {
    this.noticeBox.replaceChildren(
      ...(text
        ? [
            el(
              'p',
              { class: `notice-line ${bad ? 'error' : 'ok'}`, role: 'status', 'data-testid': 'admin-notice' },
              text,
            ),
          ]
        : []),
    );
  }

  private drawUsers(): void {
    this.usersBox.replaceChildren(
      usersView(this.locale, this.me, this.users, {
        refresh: () => this.refreshUsers(),
        create: (request, done) => this.create(request, done),
        update: (user, change) => this.update(user, change),
        startReset: (userId) => {
          this.users = { ...this.users, resetting: userId };
          this.drawUsers();
          this.usersBox.querySelector<HTMLInputElement>('[data-testid=user-reset-password]')?.focus();
        },
      }),
    );
  }

  private drawCreate(): void {
    this.createBox.replaceChildren(
      createUserForm(this.locale, this.users.townships, { create: (request, done) => this.create(request, done) }),
    );
  }

  private drawAudit(): void {
    this.auditBox.replaceChildren(
      auditView(this.locale, this.audit, {
        filter: (username, action) => {
          this.audit = { ...this.audit, filter: { username, action } };
          this.loadAudit(null);
        },
        page: (before) => this.loadAudit(before),
      }),
    );
  }

  private refreshUsers(): void {
    this.users = { ...this.users, loading: true };
    this.drawUsers();
    requestJson<{ users: UserAccount[] }>('/api/auth/users')
      .then(({ users }) => {
        this.users = { ...this.users, users, loading: false, error: null };
      })
      .catch((err: unknown) => {
        this.users = { ...this.users, loading: false, error: (err as Error).message };
      })
      .finally(() => this.drawUsers());
  }

  /** The county's townships, for giving planners theirs (none yet: codes are typed). */
  private async loadTownships(): Promise<void> {
    try {
      const meta = await requestJson<RiskMeta>('/api/risk/meta');
      const townships: TownshipChoice[] = meta.townships.map((tw) => ({ code: tw.code, name: tw.name }));
      this.users = { ...this.users, townships };
      // The form is rebuilt only while nothing has been typed into it.
      const typed = [...this.createBox.querySelectorAll<HTMLInputElement>('input')].some((input) =>
        input.type === 'checkbox' ? input.checked : input.value !== '',
      );
      if (!typed) this.drawCreate();
      this.drawUsers();
    } catch {
      // No county yet: township codes are typed.
    }
  }

  private loadAudit(before: number | null): void {
    const request = ++this.auditRequest;
    this.audit = { ...this.audit, loading: true };
    this.drawAudit();
    const query = new URLSearchParams({ limit: String(AUDIT_PAGE_SIZE) });
    if (before !== null) query.set('before', String(before));
    if (this.audit.filter.username) query.set('username', this.audit.filter.username);
    if (this.audit.filter.action) query.set('action', this.audit.filter.action);
    requestJson<AuditPage>(`/api/audit?${query.toString()}`)
      .then((page) => {
        if (request !== this.auditRequest) return;
        this.audit = { ...this.audit, page, before, loading: false, error: null };
        this.drawAudit();
      })
      .catch((err: unknown) => {
        if (request !== this.auditRequest) return;
        this.audit = { ...this.audit, loading: false, error: (err as Error).message };
        this.drawAudit();
      });
  }

  private create(request: CreateUserRequest, done: () => void): void {
    this.say(null);
    requestJson<UserAccount>('/api/auth/users', { method: 'POST', json: request })
      .then((user) => {
        done();
        this.say(this.t('admin.create.done', { username: user.username }));
        this.refreshUsers();
        this.loadAudit(null);
      })
      .catch((err: unknown) => this.say(this.t('admin.failed', { message: (err as Error).message }), true));
  }

  private update(user: UserAccount, change: UpdateUserRequest): void {
    this.say(null);
    requestJson<UserAccount>(`/api/auth/users/${user.id}`, { method: 'PATCH', json: change })
      .then((updated) => {
        this.say(
          change.password !== undefined
            ? this.t('admin.users.resetDone', { username: updated.username })
            : this.t('admin.users.saved', { username: updated.username }),
        );
        this.users = { ...this.users, resetting: null };
        this.refreshUsers();
        this.loadAudit(null);
      })
      .catch((err: unknown) => {
        this.say(this.t('admin.failed', { message: (err as Error).message }), true);
        // A refused role change leaves the list as it was (the select shows the role again).
        this.drawUsers();
      });
  }
}
