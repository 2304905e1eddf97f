import { translate, type Locale, type MessageKey } from '../i18n/index.js';
import { logIn, type LoginOutcome, type SessionInfo } from '../session.js';
import { el } from './dom.js';

/** Why the login screen is shown, said above the form. */
export type LoginNotice = { kind: 'expired' } | { kind: 'loggedOut' } | { kind: 'unreachable'; message: string } | null;

export interface LoginViewOptions {
  locale: Locale;
  notice: LoginNotice;
  /** The language was switched on the login screen (remembered by the app). */
  onLocale: (locale: Locale) => void;
  onLoggedIn: (session: SessionInfo) => void;
}

/** The message for a login that did not succeed (or for the notice the screen opens with). */
export function loginMessage(
  locale: Locale,
  outcome: Exclude<LoginOutcome, { kind: 'loggedIn' }> | NonNullable<LoginNotice>,
): string {
  const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
  switch (outcome.kind) {
    case 'wrongPassword':
      return t('login.wrongPassword');
    case 'rateLimited':
      return t('login.rateLimited', { seconds: outcome.retryAfterSeconds });
    case 'unreachable':
      return t('login.unreachable', { message: outcome.message });
    case 'failed':
      return t('login.failed', { message: outcome.message });
    case 'expired':
      return t('login.expired');
    case 'loggedOut':
      return t('login.loggedOut');
  }
}

/**
 * The login screen, in place of the app: username and password. Nothing of the app (map, tiles,
 * data) is asked for until the server has accepted the login.
 */
export function showLoginView(host: HTMLElement, options: LoginViewOptions): void {
  let locale = options.locale;
  /** What the message line says (kept as a reason, so it follows a switch of language). */
  type Shown = Exclude<LoginOutcome, { kind: 'loggedIn' }> | NonNullable<LoginNotice> | { kind: 'missing' };
  let shown: Shown | null = options.notice;
  /** Until when (ms) the server refuses attempts after too many failures. */
  let blockedUntilMs = 0;
  let typedUsername = '';

  const draw = (busy = false) => {
    const t = (key: MessageKey, values?: Record<string, string | number>) => translate(locale, key, values);
    const message = shown && {
      text: shown.kind === 'missing' ? t('login.missing') : loginMessage(locale, shown),
      bad: shown.kind !== 'loggedOut',
    };
    document.documentElement.lang = locale;
    document.title = `${t('login.heading')} · ${t('app.name')}`;
    const username = el('input', {
      type: 'text',
      name: 'username',
      autocomplete: 'username',
      required: true,
      maxlength: '100',
      autocapitalize: 'none',
      spellcheck: 'false',
      value: typedUsername,
      'data-testid': 'login-username',
    });
    const password = el('input', {
      type: 'password',
      name: 'password',
      autocomplete: 'current-password',
      required: true,
      maxlength: '1024',
      'data-testid': 'login-password',
    });
    const blocked = Date.now() < blockedUntilMs;
    const submit = el(
      'button',
      { type: 'submit', class: 'primary', disabled: busy || blocked, 'data-testid': 'login-submit' },
      busy ? t('login.submitting') : t('login.submit'),
    );
    const localeButton = el(
      'button',
      { type: 'button', class: 'locale', title: t('locale.switch.title') },
      t('locale.switch'),
    );
    localeButton.addEventListener('click', () => {
      locale = locale === 'zh-CN' ? 'en' : 'zh-CN';
      typedUsername = username.value;
      options.onLocale(locale);
      draw();
    });
    const form = el(
      'form',
      { class: 'login-form', 'data-testid': 'login-form', 'aria-busy': busy ? 'true' : 'false' },
      el('h1', {}, t('login.heading')),
      el('label', {}, t('login.username'), username),
      el('label', {}, t('login.password'), password),
      message
        ? el(
            'p',
            { class: `login-message ${message.bad ? 'bad' : 'ok'}`, role: 'alert', 'data-testid': 'login-message' },
            message.text,
          )
        : null,
      submit,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      typedUsername = username.value.trim();
      if (!typedUsername || !password.value) {
        shown = { kind: 'missing' };
        draw();
        return;
      }
      const attempt = { username: typedUsername, password: password.value };
      shown = null;
      draw(true);
      void logIn(attempt).then((outcome) => {
        if (outcome.kind === 'loggedIn') {
          options.onLoggedIn(outcome.session);
          return;
        }
        if (outcome.kind === 'rateLimited') {
          blockedUntilMs = Date.now() + outcome.retryAfterSeconds * 1000;
          setTimeout(() => {
            if (host.querySelector('[data-testid=login-submit]')) {
              host.querySelector<HTMLButtonElement>('[data-testid=login-submit]')!.disabled = false;
            }
          }, outcome.retryAfterSeconds * 1000);
        }
        shown = outcome;
        draw();
        host.querySelector<HTMLInputElement>('[data-testid=login-password]')?.focus();
      });
    });
    host.replaceChildren(
      el(
        'div',
        { class: 'login-screen', 'data-testid': 'login-screen' },
        el(
          'div',
          { class: 'login-card' },
          el(
            'div',
            { class: 'login-brand' },
            el('strong', {}, t('app.name')),
            el('span', {}, t('app.tagline')),
            localeButton,
          ),
          form,
        ),
      ),
    );
    if (!busy) (typedUsername ? password : username).focus();
  };

  draw();
}

/** The screen shown while the app asks the server whether someone is logged in. */
export function showConnecting(host: HTMLElement, locale: Locale): void {
  host.replaceChildren(
    el(
      'div',
      { class: 'login-screen', 'data-testid': 'connecting' },
      el('p', { class: 'muted' }, translate(locale, 'login.checking')),
    ),
  );
}
