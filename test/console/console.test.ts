/**
 * The console (/ui) in real Chromium against real llmux: sign-in, the overview drawn from known traffic,
 * a key created in the console and used with the openai SDK, its request in the log and its detail,
 * revocation refusing the next call, a streamed playground chat, keyboard use and a 390 px screen.
 * Screenshots of every page at 1280×800 and 390×844 land in test-results/console/.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { chromiumMissing, DESKTOP, launchChromium, PHONE, screenshot } from './browser.ts';
import { ensureUiBuilt } from './build-ui.ts';
import {
  ADMIN_KEY,
  type ConsoleBench,
  expectedTotals,
  STREAM_PIECES,
  STREAM_USAGE,
  sendSeedTraffic,
  startConsoleBench,
  TRAFFIC,
} from './console-support.ts';

// .ci/run installs Debian's chromium; only where it cannot be had do these tests skip, loudly.
const missing = chromiumMissing();
if (missing) console.warn(`\n*** SKIPPING the console browser tests: ${missing} ***\n`);

/** The text a person sees (rendered, with the layout's line breaks), which is what the assertions read. */
// biome-ignore lint/performance/useDomNodeTextContent: rendered text is the point here.
const shown = (locator: Locator) => locator.innerText();

/** Signs in on the sign-in page (sessionStorage is per tab, so every new page signs in). */
async function signIn(page: Page, origin?: string): Promise<void> {
  if (origin !== undefined) await page.goto(`${origin}/ui/`);
  await page.getByLabel('Admin key').fill(ADMIN_KEY);
  await page.getByLabel('Admin key').press('Enter');
  await page.locator('#content').waitFor();
}

/** Polls `check` until it holds (the page updates asynchronously); fails with `message` after `timeoutMs`. */
async function eventually(check: () => Promise<boolean>, message: string, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    assert.ok(Date.now() < until, message);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const PAGES = ['/', '/keys', '/requests', '/models', '/playground'] as const;

describe('console (/ui) in Chromium', { skip: missing, timeout: 300_000 }, () => {
  let bench: ConsoleBench;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  /** Secret of the key created through the console (set by the create test). */
  let createdSecret = '';
  let url = '';

  before(async () => {
    ensureUiBuilt();
    bench = await startConsoleBench();
    url = bench.llmux.url;
    await sendSeedTraffic(url);
    await bench.waitForLogged('', expectedTotals().requests);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: DESKTOP });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await bench?.close();
  });

  test('sign-in with the admin key keeps it in sessionStorage, never in the URL', async () => {
    await page.goto(`${url}/ui/`);
    await screenshot(page, 'signin');
    await signIn(page);
    assert.equal(
      await page.evaluate<string | null>("sessionStorage.getItem('llmux.adminKey')"),
      ADMIN_KEY,
      'key kept in sessionStorage',
    );
    assert.ok(!page.url().includes(ADMIN_KEY), `the admin key never appears in the URL (${page.url()})`);
  });

  test('the overview draws the generated traffic: figures, six charts, grouping and top keys', async () => {
    const want = expectedTotals();
    const summary = await bench.admin<{ requests: number; errors: number; inputTokens: number; costUsd: number }>(
      '/admin/stats/summary?range=1h',
    );
    const logged = await bench.admin<{ data: Array<Record<string, unknown>> }>('/admin/requests?limit=100');
    const rows = logged.data
      .map((r) => `${r.status} ${r.keyName} ${r.publicModel} ${r.surface} ${r.errorCode}`)
      .join('\n');
    assert.equal(summary.requests, want.requests, `the API counts the traffic the test sent:\n${rows}`);
    assert.equal(summary.errors, want.errors, 'the API counts the refused request as an error');

    await page.goto(`${url}/ui/`);
    await page.getByRole('radio', { name: '1 h' }).check();
    await page.locator('[data-testid=chart-requests] canvas').first().waitFor();
    const stat = (id: string) => shown(page.getByTestId(id));
    assert.match(await stat('stat-requests'), new RegExp(`^Requests\\s+${want.requests}\\b`, 'i'), 'requests shown');
    assert.match(await stat('stat-errors'), /10%/, 'error rate shown (1 of 10)');
    const tokens = (want.inputTokens + want.outputTokens).toLocaleString('en-US');
    assert.ok((await stat('stat-tokens')).includes(tokens), `tokens shown: ${tokens} in ${await stat('stat-tokens')}`);
    const cost = `$${want.costUsd.toFixed(6).replace(/0+$/, '')}`;
    assert.ok((await stat('stat-cost')).includes(cost), `cost shown: ${cost} in ${await stat('stat-cost')}`);
    assert.match(await stat('stat-latency'), /\d+ ms/, 'latency percentiles shown');

    for (const chart of ['requests', 'errors', 'latency', 'ttft', 'tokens', 'cost']) {
      const card = page.getByTestId(`chart-${chart}`);
      assert.ok((await card.locator('canvas').count()) >= 1, `chart ${chart} has a canvas`);
      const box = await card.locator('canvas').first().boundingBox();
      assert.ok(box && box.width > 200 && box.height > 100, `chart ${chart} is drawn at a usable size`);
    }
    // uPlot's legend lists one entry per series: grouped by model it names both models.
    await page.getByRole('radio', { name: 'Model' }).check();
    await page.getByTestId('chart-requests').locator('.u-legend', { hasText: 'fast' }).waitFor();
    const legend = await shown(page.getByTestId('chart-requests').locator('.u-legend'));
    for (const model of Object.keys(TRAFFIC)) assert.ok(legend.includes(model), `legend names ${model}: ${legend}`);

    const topKeys = await shown(page.getByTestId('top-keys'));
    assert.match(topKeys, /seed/, 'the seed key is the top spender');
    await page.getByRole('radio', { name: 'All' }).check();
    await page.waitForTimeout(200);
    await screenshot(page, 'overview-1h');
  });

  test('a key created in the console works with the openai SDK and its request shows in the log', async () => {
    await page.goto(`${url}/ui/keys`);
    await page.getByRole('button', { name: 'Create key' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('console-client');
    await dialog.getByLabel('Models (comma-separated, * = all)').fill('smart');
    await dialog.getByLabel('Budget (USD)').fill('5');
    await dialog.getByLabel('Budget (USD)').press('Enter');
    const secretField = dialog.getByLabel('New key secret');
    await secretField.waitFor();
    createdSecret = await secretField.inputValue();
    assert.match(createdSecret, /^sk-/, 'the new secret is shown once');
    await dialog.getByRole('button', { name: 'Copy' }).click();
    await dialog.getByRole('button', { name: 'Copied' }).waitFor();
    assert.equal(
      await page.evaluate<string>('navigator.clipboard.readText()'),
      createdSecret,
      'copy puts the secret on the clipboard',
    );
    await screenshot(page, 'keys-created');
    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.locator('tr[data-key-name="console-client"]');
    await row.waitFor();
    assert.match(await shown(row), /\$5\.00/, 'the budget shows in the list');

    const client = new OpenAI({ apiKey: createdSecret, baseURL: `${url}/v1`, maxRetries: 0 });
    const completion = await client.chat.completions.create({
      model: 'smart',
      messages: [{ role: 'user', content: 'hi' }],
    });
    assert.equal(
      completion.choices[0]?.message.content,
      `answer from ${TRAFFIC.smart.upstream}`,
      'the SDK call is served',
    );
    await bench.waitForLogged('keyName=console-client', 1);

    await page.goto(`${url}/ui/requests`);
    await page.getByLabel('Key').fill('console-client');
    await page.getByLabel('Key').press('Enter');
    const logRow = page.locator('[data-testid=requests-table] tbody tr');
    await eventually(async () => (await logRow.count()) === 1, 'the filter leaves the one request of the new key');
    assert.match(await shown(logRow), /console-client[\s\S]*smart[\s\S]*200/, 'the row shows key, model and status');
    await screenshot(page, 'requests-filtered');
    await logRow.click();
    const detail = page.getByTestId('request-detail');
    await detail.waitFor();
    const text = await shown(detail);
    assert.match(text, /console-client/, 'detail names the key');
    assert.match(text, new RegExp(TRAFFIC.smart.upstream), 'detail names the upstream model');
    assert.match(text, /openai-chat/i, 'detail names the API surface');
    const attempts = page.locator('[data-testid=attempts-table] tbody tr');
    assert.equal(await attempts.count(), 1, 'one upstream attempt');
    assert.match(await shown(attempts), /smart#0[\s\S]*ok/, 'the attempt names its deployment and outcome');
    const usage = TRAFFIC.smart.usage;
    const cost = (usage.prompt_tokens * TRAFFIC.smart.input + usage.completion_tokens * TRAFFIC.smart.output) / 1e6;
    assert.ok(text.includes(`$${cost.toFixed(6).replace(/0+$/, '')}`), `detail shows the cost $${cost}: ${text}`);
    await screenshot(page, 'request-detail');
  });

  test('a team created in the console, the key edited into it with a rate limit, then rotated', async () => {
    await page.goto(`${url}/ui/keys`);
    await page.getByRole('button', { name: 'Create team' }).click();
    const teamDialog = page.getByRole('dialog');
    await teamDialog.getByLabel('Name').fill('research');
    await teamDialog.getByLabel('Budget (USD)').fill('10');
    await teamDialog.getByRole('button', { name: 'Create team' }).click();
    await teamDialog.waitFor({ state: 'detached' });
    const teamRow = page.getByTestId('teams-table').locator('tr', { hasText: 'research' });
    await teamRow.waitFor();
    assert.match(await shown(teamRow), /\$10\.00/, 'the team shows its budget');

    await page.getByRole('button', { name: 'Edit console-client' }).click();
    const keyDialog = page.getByRole('dialog');
    await keyDialog.getByLabel('Team').selectOption('research');
    await keyDialog.getByLabel('Requests / min').fill('zero');
    await keyDialog.getByLabel('Requests / min').press('Enter');
    assert.match(await shown(keyDialog.getByRole('alert')), /whole number/, 'a bad limit is named before sending');
    await keyDialog.getByLabel('Requests / min').fill('30');
    await keyDialog.getByRole('button', { name: 'Save' }).click();
    await keyDialog.waitFor({ state: 'detached' });
    const keyRow = page.locator('tr[data-key-name="console-client"]');
    await eventually(
      async () => /research[\s\S]*30 rpm/.test(await shown(keyRow)),
      'the list shows the new team and limit',
    );
    const stored = await bench.admin<{ data: Array<{ name: string; rpm: number | null; team: string | null }> }>(
      '/admin/keys',
    );
    const edited = stored.data.find((key) => key.name === 'console-client');
    assert.deepEqual({ rpm: edited?.rpm, team: edited?.team }, { rpm: 30, team: 'research' }, 'the edit is stored');

    await page.getByRole('button', { name: 'Rotate console-client' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Rotate secret' }).click();
    const secretField = page.getByRole('dialog').getByLabel('New key secret');
    await secretField.waitFor();
    const rotated = await secretField.inputValue();
    assert.ok(rotated.startsWith('sk-') && rotated !== createdSecret, 'rotation shows a new secret');
    await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();
    const ask = (apiKey: string) =>
      new OpenAI({ apiKey, baseURL: `${url}/v1`, maxRetries: 0 }).chat.completions.create({
        model: 'smart',
        messages: [{ role: 'user', content: 'hi' }],
      });
    await assert.rejects(
      ask(createdSecret),
      (error: unknown) => error instanceof OpenAI.APIError && error.status === 401,
      'the old secret is refused after rotation',
    );
    const answer = await ask(rotated);
    assert.ok(answer.choices[0]?.message.content, 'the new secret works');
    createdSecret = rotated;
  });

  test('revoking the key in the console makes the next SDK call fail with 401', async () => {
    assert.ok(createdSecret !== '', 'the create test made a key');
    // The two served requests (one before, one after the rotation) are spent against the key's budget.
    const row = page.locator('tr[data-key-name="console-client"]');
    await eventually(async () => {
      await page.goto(`${url}/ui/keys`);
      await row.locator('.budget-text').waitFor();
      return (await shown(row)).includes('$0.0012 / $5.00');
    }, 'the key list shows the spend of its two requests against the budget');
    await page.getByRole('button', { name: 'Revoke console-client' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke key' }).click();
    await page.locator('tr[data-key-name="console-client"]').waitFor({ state: 'detached' });
    const client = new OpenAI({ apiKey: createdSecret, baseURL: `${url}/v1`, maxRetries: 0 });
    await assert.rejects(
      client.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'hi' }] }),
      (error: unknown) => error instanceof OpenAI.APIError && error.status === 401,
      'a revoked key is refused with 401',
    );
    await page.getByLabel('Show revoked').check();
    const revoked = page.locator('tr[data-key-name="console-client"]');
    await revoked.waitFor();
    assert.match(await shown(revoked), /revoked/, 'the list marks it revoked');
    await screenshot(page, 'keys-revoked');
  });

  test('the playground streams a reply and shows its usage and cost', async () => {
    await page.goto(`${url}/ui/playground`);
    await page.getByLabel('Model').selectOption('smart');
    const message = page.getByLabel('Message');
    await message.fill('Say hello');
    const before = bench.sim.requests.length;
    await message.press('Enter');
    const reply = page.locator('[data-role=assistant]').last();
    await page.locator('[data-role=assistant]', { hasText: STREAM_PIECES.join('') }).waitFor({ timeout: 15_000 });
    const usage = reply.getByTestId('reply-usage');
    await usage.waitFor();
    const cost =
      (STREAM_USAGE.prompt_tokens * TRAFFIC.smart.input + STREAM_USAGE.completion_tokens * TRAFFIC.smart.output) / 1e6;
    const meta = await shown(usage);
    assert.match(
      meta,
      new RegExp(`${STREAM_USAGE.prompt_tokens} in · ${STREAM_USAGE.completion_tokens} out`),
      `usage: ${meta}`,
    );
    assert.ok(meta.includes(`$${cost.toFixed(6).replace(/0+$/, '')}`), `cost $${cost} in: ${meta}`);
    const upstream = bench.sim.requests[before];
    assert.equal(
      (upstream?.json as { stream?: boolean } | undefined)?.stream,
      true,
      'the upstream was asked to stream',
    );
    await bench.waitForLogged('keyName=admin', 1);
    await screenshot(page, 'playground-chat');
  });

  test('keyboard: focus is visible, Enter opens a dialog, Escape closes it', async () => {
    await page.goto(`${url}/ui/keys`);
    await page.getByRole('button', { name: 'Create key' }).waitFor();
    await page.keyboard.press('Tab');
    const first = await page.evaluate<string>("document.activeElement?.textContent ?? ''");
    assert.match(first, /llmux/, 'the first Tab lands on the brand link');
    let focusedCreate = false;
    for (let i = 0; i < 15 && !focusedCreate; i++) {
      await page.keyboard.press('Tab');
      focusedCreate = await page.evaluate<boolean>("document.activeElement?.textContent === 'Create key'");
    }
    assert.ok(focusedCreate, 'Tab reaches the Create key button');
    const outline = await page.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle');
    assert.notEqual(outline, 'none', 'the focused button shows a focus ring');
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.equal(await page.evaluate<string>('document.activeElement.name'), 'name', 'focus moves into the dialog');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });

  // After the overview's exact figures: a refused sign-in is itself a request the log records.
  test('sign-in refuses a wrong admin key with a clear message', async () => {
    const fresh = await context.newPage();
    try {
      await fresh.goto(`${url}/ui/`);
      const keyField = fresh.getByLabel('Admin key');
      await keyField.fill('not-the-admin-key');
      await keyField.press('Enter');
      const alert = fresh.getByRole('alert');
      await alert.waitFor();
      assert.match(await shown(alert), /admin key is not right/i, 'a wrong key says so');
      assert.equal(
        await fresh.evaluate<string | null>("sessionStorage.getItem('llmux.adminKey')"),
        null,
        'nothing stored',
      );
      await screenshot(fresh, 'signin-error');
    } finally {
      await fresh.close();
    }
  });

  test('at 390 px the navigation collapses behind a menu button and every page fits the width', async () => {
    const phone = await context.newPage();
    phone.on('pageerror', (error) => pageErrors.push(error.message));
    await phone.setViewportSize(PHONE);
    try {
      await signIn(phone, url);
      await phone.locator('[data-testid=chart-requests] canvas').first().waitFor();
      const links = phone.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' });
      assert.equal(await links.isVisible(), false, 'nav links are hidden on a phone');
      const menu = phone.getByRole('button', { name: 'Menu' });
      await menu.click();
      assert.equal(await menu.getAttribute('aria-expanded'), 'true', 'the menu button says it is open');
      await screenshot(phone, 'menu');
      await phone.keyboard.press('Escape');
      assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'Escape closes the menu');
      await menu.click();
      await links.click();
      await phone.getByTestId('requests-table').waitFor();
      assert.equal(await links.isVisible(), false, 'the menu closes after navigating');
      for (const path of PAGES) {
        await phone.goto(`${url}/ui${path}`);
        await phone.waitForLoadState('networkidle');
        const overflow = await phone.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
        assert.ok(overflow <= 0, `${path} does not scroll sideways at 390 px (overflow ${overflow}px)`);
        await screenshot(phone, path === '/' ? 'overview' : path.slice(1));
      }
      await phone.goto(`${url}/ui/requests`);
      await phone.locator('[data-testid=requests-table] tbody tr a').first().click();
      await phone.getByTestId('request-detail').waitFor();
      await screenshot(phone, 'request-detail');
      await phone.goto(`${url}/ui/playground`);
      await phone.getByLabel('Message').fill('Hello from a phone');
      await phone.getByLabel('Message').press('Enter');
      await phone.getByTestId('reply-usage').waitFor({ timeout: 15_000 });
      await screenshot(phone, 'playground-chat');
    } finally {
      await phone.close();
    }
  });

  test('every page renders at 1280×800 without script errors', async () => {
    for (const path of PAGES) {
      await page.goto(`${url}/ui${path}`);
      await page.waitForLoadState('networkidle');
      assert.equal(await page.locator('.state-error').count(), 0, `${path} shows no error box`);
      await screenshot(page, path === '/' ? 'overview' : path.slice(1));
    }
    await page.goto(`${url}/ui/models`);
    await page.getByRole('region', { name: 'Model smart' }).waitFor();
    const models = await shown(page.locator('main'));
    assert.match(models, /up-smart[\s\S]*healthy/, 'the models page shows the deployment and its state');
    assert.match(models, /\$2\.00 \/ \$8\.00/, 'the models page shows the price');
    assert.deepEqual(pageErrors, [], 'no uncaught script error on any page');
  });
});
