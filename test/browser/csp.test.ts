import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  browserAvailable,
  logInThroughScreen,
  openAnonymousApp,
  waitForApp,
  waitForMapIdle,
  type AppSession,
} from '../browser.js';
import { createTestUser } from '../http.js';

interface CspWindow {
  cspViolations: string[];
}

/**
 * The Content-Security-Policy (server/http/security-headers.ts) against the built app: from the
 * login screen through every workspace, Chromium refuses nothing, and the UI's inline styles
 * (legend swatches, meters) still apply, set through the CSSOM.
 */
describe.skipIf(!browserAvailable())('the Content-Security-Policy in Chromium', { timeout: 300_000 }, () => {
  let app: AppSession;
  const console: string[] = [];

  beforeAll(async () => {
    app = await openAnonymousApp({ withCounty: true });
    const { page } = app;
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) console.push(message.text());
    });
    await page.addInitScript(() => {
      (window as unknown as CspWindow).cspViolations = [];
      document.addEventListener('securitypolicyviolation', (event) =>
        (window as unknown as CspWindow).cspViolations.push(
          `${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`,
        ),
      );
    });
    await page.reload();
    await page.getByTestId('login-form').waitFor();
  });
  afterAll(async () => {
    await app?.close();
  });

  const violations = () => app.page.evaluate(() => (window as unknown as CspWindow).cspViolations);

  it('is sent with the page, without any unsafe-inline', async () => {
    const response = await app.server.fetch('/', { as: 'anonymous' });
    const policy = response.headers.get('content-security-policy')!;
    expect(policy).toContain("style-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
  });

  it('refuses nothing on the login screen and through every workspace of an admin', async () => {
    const { page } = app;
    expect(await violations()).toEqual([]);
    const user = await createTestUser(app.database, 'admin');
    await logInThroughScreen(page, user.username, user.password);
    await waitForApp(page);
    for (const workspace of ['grids', 'policing', 'risk', 'holidays', 'admin']) {
      await page.click(`a[data-workspace="${workspace}"]`);
      await page.waitForSelector(`[data-testid=panel][data-workspace="${workspace}"]`);
      await waitForMapIdle(page);
    }
    // The risk panel's category dots are coloured by a style set through the CSSOM.
    await page.click('a[data-workspace="risk"]');
    const dot = page.locator('.risk .dot').first();
    await dot.waitFor({ timeout: 60_000 });
    expect(await dot.evaluate((e) => getComputedStyle(e).backgroundColor)).not.toBe('rgba(0, 0, 0, 0)');
    await page.getByTestId('user-menu').locator('summary').click();
    await page.getByTestId('user-password').click();
    await page.getByTestId('password-dialog').waitFor();
    expect(await violations()).toEqual([]);
    expect(console).toEqual([]);
  });
});
