/**
 * The page on a phone (390 × 844): one column that the document scrolls, nothing wider than the
 * screen (no select, Export button or notice's × cut off at the right edge), and no scroll box
 * inside the page: the playground, a comparison lesson and the character model. And on a laptop
 * (1280 × 720), no setting's select cuts its option text ("Delayed echc").
 */
import { test, expect, type Page } from '@playwright/test';

test.use({ viewport: { width: 390, height: 844 } });

interface Layout {
  scrollWidth: number;
  /** visible elements whose box ends right of the screen */
  over: string[];
  /** elements other than the document whose content scrolls inside them */
  scrollers: string[];
  documentScrolls: boolean;
}

async function layout(page: Page): Promise<Layout> {
  return page.evaluate(() => {
    const W = document.documentElement.clientWidth;
    const name = (el: Element) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('class') ? `.${el.getAttribute('class')?.trim().split(/\s+/).join('.')}` : ''}${el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : ''}`;
    const over: string[] = [];
    const scrollers: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (!el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      if (r.right > W + 0.5) over.push(`${name(el)} ends at ${r.right.toFixed(1)} px`);
      const cs = getComputedStyle(el);
      const scrollsY = /auto|scroll/.test(cs.overflowY) && el.scrollHeight > el.clientHeight + 1;
      const scrollsX = /auto|scroll/.test(cs.overflowX) && el.scrollWidth > el.clientWidth + 1;
      if (scrollsX || scrollsY) scrollers.push(`${name(el)} (${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight})`);
    }
    return { scrollWidth: document.documentElement.scrollWidth, over, scrollers, documentScrolls: document.documentElement.scrollHeight > window.innerHeight };
  });
}

async function expectPhoneLayout(page: Page) {
  const l = await layout(page);
  expect(l.scrollWidth).toBeLessThanOrEqual(390);
  expect(l.over).toEqual([]);
  expect(l.scrollers).toEqual([]);
  expect(l.documentScrolls).toBe(true); // the one scroll container is the document
}

test('the playground fits a 390 px screen, export menu and notices included', async ({ page }) => {
  await page.goto('/?backend=reference&task=echo&len=20');
  await expect(page.getByTestId('panel-status')).toBeVisible();
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('header-step')).toHaveText('1');
  // a notice with a long unbroken word in it, and an open export menu at the right edge
  const junk = `not-a-model-${'x'.repeat(120)}`;
  await page.getByTestId('load-model-input').setInputFiles({ name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(junk) });
  await expect(page.locator('li.st-notice[data-code="bad-model-file"]')).toBeVisible();
  await page.getByTestId('panel-status').locator('summary', { hasText: 'Export' }).click();
  await expect(page.getByTestId('panel-status').getByRole('button', { name: 'PNG' })).toBeVisible();
  await expectPhoneLayout(page);
});

test('a comparison lesson fits a 390 px screen', async ({ page }) => {
  await page.goto('/?lesson=gated');
  await expect(page.getByTestId('compare-0')).toBeVisible();
  await expect(page.getByTestId('compare-1')).toBeVisible();
  await expectPhoneLayout(page);
});

test('the character model fits a 390 px screen', async ({ page }) => {
  await page.goto('/?task=char_lm&cell=lstm&backend=reference&h=16&len=30');
  await page.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(page.getByTestId('header-step')).toHaveText('1');
  await page.getByTestId('panel-inside').getByRole('button', { name: 'Task' }).click();
  await expectPhoneLayout(page);
});

test.describe('on a laptop', () => {
  test.use({ viewport: { width: 1280, height: 720 } });

  test('every setting’s select shows its longest option whole', async ({ page }) => {
    await page.goto('/?task=char_lm&init=identity&backend=reference');
    await expect(page.getByTestId('ctl-task')).toHaveValue('char_lm');
    const cut = await page.evaluate(() => {
      const ctx = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D;
      const ARROW = 28; // the drop-down arrow's room in Chromium's select, px
      return Array.from(document.querySelectorAll<HTMLSelectElement>('.controls select')).flatMap((s) => {
        const cs = getComputedStyle(s);
        ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - ARROW;
        return Array.from(s.options)
          .filter((o) => ctx.measureText(o.text).width > room)
          .map((o) => `${s.dataset.testid}: "${o.text}" needs ${ctx.measureText(o.text).width.toFixed(0)} px, has ${room.toFixed(0)}`);
      });
    });
    expect(cut).toEqual([]);
  });
});
