// Layout checks for the UI specs: at each window width the page must fit, with
// nothing cut off at the right edge. What is measured (in the page):
//   - the page itself does not scroll sideways (scrollWidth <= clientWidth);
//   - the header, both columns, each card and KPI tile end inside the window;
//   - the columns do not scroll sideways either;
//   - the legs table shows every column without scrolling;
//   - KPI values, the card titles (and the chart's subtitle), the live tables'
//     tabs (on one line) and the chart's
//     time-window buttons are whole
//     (not ellipsized, not clipped by their card);
//   - every text of the bridge picture lies inside the picture;
//   - every column head and cell of the visible live table lies inside the table
//     (a narrow window may make the table scroll, never hide a column), and a
//     cell's content is not clipped by its cell (the "configured" tag).
// Full-page screenshots at each width, light and dark, go to e2e/artifacts/ui/.

import type { Page } from 'playwright-core';
import { shootBothThemes } from './ui-harness.js';

/** A common laptop window, a common laptop screen, a desktop screen. */
export const LAYOUT_WIDTHS = [1024, 1366, 1920] as const;
const HEIGHT = 900;

/** What sticks out at the current viewport, one line each; [] when all fits. */
export async function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    // Runs in the page (this file is compiled without the DOM lib).
    type Rect = { left: number; right: number; top: number; bottom: number; width: number };
    type El = {
      scrollWidth: number;
      clientWidth: number;
      className: unknown;
      tagName: string;
      textContent: string | null;
      getBoundingClientRect(): Rect;
      querySelectorAll(sel: string): ArrayLike<El>;
      closest(sel: string): El | null;
    };
    type Doc = { documentElement: El; querySelectorAll(sel: string): ArrayLike<El> };
    const doc = (globalThis as unknown as { document: Doc }).document;
    const vw = doc.documentElement.clientWidth;
    const all = (sel: string, root: { querySelectorAll(sel: string): ArrayLike<El> } = doc): El[] => Array.from(root.querySelectorAll(sel));
    const name = (el: El): string => {
      const cls = typeof el.className === 'string' ? el.className.split(/\s+/).filter(Boolean).slice(0, 2).join('.') : '';
      const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 30);
      return `${el.tagName.toLowerCase()}${cls ? `.${cls}` : ''}${text ? ` "${text}"` : ''}`;
    };
    const SLACK = 1; // sub-pixel rounding
    const out: string[] = [];

    if (doc.documentElement.scrollWidth > vw + SLACK) out.push(`page scrolls sideways: scrollWidth ${doc.documentElement.scrollWidth} > ${vw}`);
    for (const el of all('.app-header, .sidebar, .main, .kpi, .card')) {
      const r = el.getBoundingClientRect();
      if (r.right > vw + SLACK) out.push(`${name(el)} ends at ${Math.round(r.right)} px, beyond the window (${vw})`);
    }
    for (const el of all('.sidebar, .main, .kpis, .main-row, .legs-table-card .table-wrap')) {
      if (el.scrollWidth > el.clientWidth + SLACK) out.push(`${name(el)} overflows sideways: scrollWidth ${el.scrollWidth} > clientWidth ${el.clientWidth}`);
    }
    for (const el of all('.kpi-value, .card-title h2, .chart-card .card-subtitle, .live-tables [role="tab"]')) {
      if (el.scrollWidth > el.clientWidth + SLACK) out.push(`${name(el)} is cut (${el.scrollWidth} > ${el.clientWidth} px)`);
    }
    for (const card of all('.card')) {
      const c = card.getBoundingClientRect();
      for (const el of all('.card-head button, .card-head select, .card-head .segmented', card)) {
        const r = el.getBoundingClientRect();
        if (r.width > 0 && (r.right > c.right + SLACK || r.left < c.left - SLACK)) out.push(`${name(el)} sticks out of its card`);
      }
    }
    for (const svg of all('.picture svg')) {
      const box = svg.getBoundingClientRect();
      for (const t of all('text', svg)) {
        const r = t.getBoundingClientRect();
        if (r.width > 0 && (r.right > box.right + SLACK || r.left < box.left - SLACK)) out.push(`bridge picture: ${name(t)} is cut off at the picture's edge`);
      }
    }
    for (const table of all('.live-tables .vtable')) {
      const viewport = table.querySelectorAll('.vtable-viewport')[0];
      if (!viewport) continue;
      const v = viewport.getBoundingClientRect();
      const headCells = all('.vtable-head [role="columnheader"]', table);
      for (const th of headCells) {
        const r = th.getBoundingClientRect();
        if (r.right > v.right + SLACK) out.push(`${name(table)}: column ${name(th)} ends at ${Math.round(r.right)}, past the table (${Math.round(v.right)})`);
        if (th.scrollWidth > th.clientWidth + SLACK) out.push(`${name(table)}: column head ${name(th)} is cut`);
      }
      for (const td of all('[role="cell"]', table)) {
        const r = td.getBoundingClientRect();
        if (r.right > v.right + SLACK) out.push(`${name(table)}: cell ${name(td)} ends past the table`);
        if (td.scrollWidth > td.clientWidth + SLACK) out.push(`${name(table)}: cell ${name(td)} is cut (${td.scrollWidth} > ${td.clientWidth} px)`);
      }
    }
    return out;
  });
}

/**
 * At each width: the layout problems (prefixed with the width) and screenshots
 * `NAME-<width>-light.png` / `-dark.png`. Puts the viewport back afterwards.
 */
export async function checkLayoutAtWidths(page: Page, name: string): Promise<{ problems: string[]; shots: string[] }> {
  const before = page.viewportSize();
  const problems: string[] = [];
  const shots: string[] = [];
  try {
    for (const width of LAYOUT_WIDTHS) {
      await page.setViewportSize({ width, height: HEIGHT });
      // Two frames: the resize observers (chart, picture) re-measure, then React re-renders.
      await page.evaluate(() => {
        const raf = (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame;
        return new Promise<void>((r) => raf(() => raf(() => r())));
      });
      await page.waitForTimeout(300);
      problems.push(...(await layoutProblems(page)).map((p) => `${width} px: ${p}`));
      shots.push(...(await shootBothThemes(page, `${name}-${width}`)));
    }
  } finally {
    if (before) await page.setViewportSize(before);
  }
  return { problems, shots };
}
