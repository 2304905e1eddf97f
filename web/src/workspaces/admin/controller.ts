import type { CreateUserRequest, UpdateUserRequest, UserAccount } from '../../../../contracts/auth.js';
import type { ResourceLayer } from '../../frame/resource.js';
import { translate, type MessageKey } from '../../i18n/index.js';
import type { Action, AppState, Store } from '../../state.js';
import { ACCOUNTS_CHANGED } from './state.js';

/** What the admin screen can ask for. */
export interface AdminCommands {
  /** The accounts and the log read again. */
  refresh(): void;
  /** Make an account; resolves to whether the server took it (the form is then emptied). */
  create(request: CreateUserRequest): Promise<boolean>;
  update(user: UserAccount, change: UpdateUserRequest): void;
}

/**
 * The admin workspace's commands: account changes go through the resource layer, which then
 * fetches the accounts and the log again; opening the screen reads both afresh.
 */
export class AdminController implements AdminCommands {
  constructor(
    private readonly store: Store,
    private readonly resources: ResourceLayer<AppState, Action>,
  ) {
    store.subscribe((state, previous) => {
      if (state.workspace === 'admin' && previous.workspace !== 'admin') this.refresh();
    });
  }

  private t(key: MessageKey, values?: Record<string, string | number>): string {
    return translate(this.store.current.locale, key, values);
  }

  private say(text: string | null, bad = false): void {
    this.store.dispatch({ type: 'admin/notice', notice: text === null ? null : { text, bad } });
  }

  refresh(): void {
    this.store.dispatch({ type: 'dataChanged', prefixes: ACCOUNTS_CHANGED });
  }

  async create(request: CreateUserRequest): Promise<boolean> {
    this.say(null);
    try {
      const user = await this.resources.write<UserAccount>(
        '/api/auth/users',
        { method: 'POST', json: request },
        ACCOUNTS_CHANGED,
      );
      this.store.dispatch({ type: 'admin/auditPage', before: null });
      this.say(this.t('admin.create.done', { username: user.username }));
      return true;
    } catch (err) {
      this.say(this.t('admin.failed', { message: (err as Error).message }), true);
      return false;
    }
  }

  update(user: UserAccount, change: UpdateUserRequest): void {
    this.say(null);
    void (async () => {
      try {
        const updated = await this.resources.write<UserAccount>(
          `/api/auth/users/${user.id}`,
          { method: 'PATCH', json: change },
          ACCOUNTS_CHANGED,
        );
        this.store.dispatch({ type: 'admin/startReset', userId: null });
        this.store.dispatch({ type: 'admin/auditPage', before: null });
        this.say(
          change.password !== undefined
            ? this.t('admin.users.resetDone', { username: updated.username })
            : this.t('admin.users.saved', { username: updated.username }),
        );
      } catch (err) {
        // A refused role change: the list shows the role as it is (the select is set back when drawn).
        this.say(this.t('admin.failed', { message: (err as Error).message }), true);
      }
    })();
  }
}
