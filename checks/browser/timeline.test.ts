/**
 * The nesting timeline in a real browser: report.html of pkrs-nesting's pks-thread-only opened in
 * headless Chromium, each counterexample's timeline drawn at a readable size below or beside its trace
 * diagram, with its frame boxes visible. A screenshot is left under `out/browser/` for a human to look
 * at. Skipped, and says so, without `/usr/bin/chromium`.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kmc, ROOT, SPAWN_TIMEOUT } from '../cli/kmc.js';

const CHROMIUM = '/usr/bin/chromium';
const OUT = join(ROOT, 'out', 'browser');
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`checks/browser: skipped, ${CHROMIUM} is missing (apt-get install chromium)`);

describe.skipIf(!hasChromium)('the nesting timeline in report.html, in Chromium', () => {
  let browser: Browser;
  let page: Page;
  const cx = '#cx-pks-thread-only--pkrs-never-less-permissive';

  beforeAll(async () => {
    const run = await kmc(['compare', 'pkrs-nesting', '--proposal', 'pks-thread-only', '--out', OUT, '-q']);
    expect(run.code, run.stderr).toBe(0);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(join(OUT, 'pkrs-nesting', 'report.html')).href);
  }, SPAWN_TIMEOUT);
  afterAll(async () => browser?.close());

  it('draws the timeline wide enough to read, after the trace diagram', async () => {
    const trace = await page.locator(`${cx} figure.diagram:not(.timeline) svg`).boundingBox();
    const timeline = await page.locator(`${cx} figure.timeline svg`).boundingBox();
    expect(timeline?.width).toBeGreaterThan(500);
    expect(timeline?.height).toBeGreaterThan(300);
    expect(trace).not.toBeNull();
    // Below the diagram when both do not fit side by side, otherwise to its right.
    expect(timeline!.y >= trace!.y + trace!.height - 1 || timeline!.x >= trace!.x + trace!.width - 1).toBe(true);
  });

  it('shows the syscall and #PF boxes, and leaves a screenshot under out/', async () => {
    const boxes = page.locator(`${cx} figure.timeline g.cluster`);
    expect(await boxes.count()).toBe(2);
    expect(await boxes.nth(0).locator('text').first().textContent()).toContain('syscall');
    expect(await boxes.nth(1).locator('text').first().textContent()).toContain('#PF');
    const box = await boxes.nth(1).boundingBox();
    expect(box?.height).toBeGreaterThan(50);
    mkdirSync(OUT, { recursive: true });
    await page.locator(`${cx} figure.timeline`).screenshot({ path: join(OUT, 'timeline-pks-thread-only.png') });
  });
});
