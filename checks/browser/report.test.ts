/**
 * The compare report in a real browser: `report.html` of the mutex fixture opened in headless Chromium
 * with every network request refused, to show that the page is self-contained, that the matrix and the
 * inlined diagram render, and that a violated cell leads to its counterexample. A screenshot is left
 * under `out/browser/` for a human to look at. Needs `/usr/bin/chromium` (`apt-get install chromium`);
 * without it the test is skipped, and says so.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture, kmc, ROOT, SPAWN_TIMEOUT } from '../cli/kmc.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const OUT = join(ROOT, 'out', 'browser');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`checks/browser: skipped, ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!hasChromium)('report.html in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const outside: string[] = [];

  beforeAll(async () => {
    const run = await kmc(['compare', fixture('mutex'), '--out', OUT, '-q']);
    expect(run.code, run.stderr).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1100, height: 700 } });
    // Anything but the page itself would mean the report is not self-contained.
    await page.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      outside.push(url);
      return route.abort();
    });
    await page.goto(pathToFileURL(join(OUT, 'mutex', 'report.html')).href);
  }, SPAWN_TIMEOUT);
  afterAll(async () => browser?.close());

  it('shows the verdict matrix with a row per proposal', async () => {
    const rows = page.locator('table.matrix tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).locator('th').innerText()).toBe('racy');
    expect(await page.locator('table.matrix').isVisible()).toBe(true);
  });

  it('renders the inlined counterexample diagram with a non-zero size', async () => {
    const box = await page.locator('#cx-racy--mutual-exclusion figure svg').boundingBox();
    expect(box?.width).toBeGreaterThan(50);
    expect(box?.height).toBeGreaterThan(50);
  });

  it('leads from a violated cell to its counterexample', async () => {
    await page.locator('table.matrix a', { hasText: '4 steps' }).click();
    expect(await page.evaluate(() => document.querySelector(':target')?.id)).toBe('cx-racy--mutual-exclusion');
    const target = page.locator('#cx-racy--mutual-exclusion');
    expect(await target.isVisible()).toBe(true);
    // The page scrolled down to it: its top is at the top of the window (to a fraction of a pixel).
    const [top, scrolled] = await target.evaluate((el) => [el.getBoundingClientRect().top, window.scrollY]);
    expect(Math.abs(top!)).toBeLessThan(2);
    expect(scrolled).toBeGreaterThan(0);
    expect(await target.locator('pre').innerText()).toContain('5. set(1)');
  });

  it('asks for nothing outside the page, and leaves a screenshot under out/', async () => {
    mkdirSync(OUT, { recursive: true });
    const shot = join(OUT, 'report-mutex.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(1000);
    expect(outside).toEqual([]);
  });
});
