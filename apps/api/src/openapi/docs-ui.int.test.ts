import { chromium } from 'playwright-core';
import type { Browser } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath, describeWithChromium } from '@inferq/testkit';
import { KEY_ACME, startTestApi } from '../test/harness';
import type { TestApi } from '../test/harness';
import type { OpenApiDocument } from './build-openapi';

let t: TestApi;
beforeAll(async () => {
  t = await startTestApi('docs-ui');
});
afterAll(() => t.close());

describe('GET /docs', () => {
  it('serves a page whose scripts and styles all come from this server', async () => {
    const page = await t.http.get('/docs');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    const refs = [...page.text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '');
    expect(refs).toHaveLength(4);
    for (const ref of refs) {
      expect(ref).toMatch(/^\/docs\//); // no CDN
      const asset = await t.http.get(ref).buffer(true);
      expect({ ref, status: asset.status }).toEqual({ ref, status: 200 });
      expect(asset.headers['content-type']).toMatch(/^text\/(css|javascript)/);
    }
    const init = await t.http.get('/docs/swagger-initializer.js');
    expect(init.text).toContain("url: '/openapi.json'");
  });

  it('answers 404 not_found for a file it does not serve', async () => {
    const res = await t.http.get('/docs/package.json');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'not_found' } });
  });
});

describeWithChromium('Swagger UI in a browser', () => {
  it('renders every operation in a real browser and runs a call with Try it out', async () => {
    const doc = (await t.http.get('/openapi.json')).body as OpenApiDocument;
    const operations = Object.values(doc.paths).flatMap((p) => Object.keys(p)).length;
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
      const page = await browser.newPage();
      const foreign: string[] = [];
      page.on('request', (r) => {
        if (!r.url().startsWith(t.api.url)) foreign.push(r.url());
      });
      await page.goto(`${t.api.url}/docs`);
      // A string, not a function: the test's tsconfig has no DOM types.
      await page.waitForFunction(`document.querySelectorAll('.opblock').length === ${operations}`, undefined, {
        timeout: 20_000,
      });

      await page.click('button.authorize');
      await page.fill('.auth-container input', KEY_ACME);
      await page.click('.auth-btn-wrapper button.authorize');
      await page.click('.btn-done');

      const models = page.locator('#operations-models-get_v1_models');
      await models.locator('.opblock-summary').click();
      await models.locator('button.try-out__btn').click();
      await models.locator('button.execute').click();
      const status = models.locator('.live-responses-table tbody .response-col_status').first();
      await status.waitFor({ timeout: 10_000 });
      expect((await status.textContent())?.trim()).toBe('200');
      expect(await models.locator('.live-responses-table').textContent()).toContain('sim/echo');
      expect(foreign).toEqual([]);
    } finally {
      await browser?.close();
    }
  }, 60_000);
});
