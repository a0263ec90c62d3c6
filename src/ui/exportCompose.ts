/**
 * An exported figure as one standalone SVG document: what a panel shows (its SVG charts, its
 * canvas charts as embedded PNGs drawn at the export scale, its text lines and coloured boxes)
 * placed where they sit on screen, under the panel's title. Pure string work on a Scene that
 * exportCapture.ts reads from the page, so the composition is tested in Node. User text is only
 * ever written as escaped character data.
 */

/** One thing in the figure; x, y, width, height in CSS px from the figure's top left. */
export type SceneItem =
  | { kind: 'rect'; x: number; y: number; width: number; height: number; fill: string; opacity: number }
  /** one line of text; y is its vertical middle, width its measured length on screen */
  | { kind: 'text'; x: number; y: number; width: number; text: string; size: number; weight: string; style: string; family: string; color: string; opacity: number }
  /** an <svg> chart, serialized with its styles inlined, already carrying its own x, y, width and height */
  | { kind: 'svg'; x: number; y: number; width: number; height: number; markup: string }
  /** a raster (a canvas chart), `href` a data: URL of pixelWidth × pixelHeight pixels */
  | { kind: 'image'; x: number; y: number; width: number; height: number; href: string; pixelWidth: number; pixelHeight: number };

export interface Scene {
  title: string;
  /** a second, quieter heading (e.g. "RNN Playground · step 664") */
  subtitle: string;
  width: number;
  /** the content's height, including what the panel scrolls out of view */
  height: number;
  /** how far the content reaches above the panel's top (scrolled up out of view), px ≥ 0 */
  above: number;
  background: string;
  color: string;
  fontFamily: string;
  /** the root font size in px: the title is sized from it */
  rem: number;
  items: SceneItem[];
}

export const escapeXml = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string);

/** A number for an attribute: short, finite. */
const num = (v: number): string => (Number.isFinite(v) ? String(Math.round(v * 100) / 100) : '0');

/** Height of the title band above the panel's content: the title, and the subtitle under it. */
export const titleBand = (rem: number): number => 3 * rem;

function itemSvg(it: SceneItem, family: string): string {
  switch (it.kind) {
    case 'rect':
      return `<rect x="${num(it.x)}" y="${num(it.y)}" width="${num(it.width)}" height="${num(it.height)}" fill="${escapeXml(it.fill)}"${it.opacity < 1 ? ` opacity="${num(it.opacity)}"` : ''}/>`;
    case 'text': {
      const attrs = [
        `x="${num(it.x)}"`,
        `y="${num(it.y)}"`,
        'dominant-baseline="central"',
        `font-size="${num(it.size)}"`,
        it.weight !== '400' && it.weight !== 'normal' ? `font-weight="${escapeXml(it.weight)}"` : '',
        it.style !== 'normal' ? `font-style="${escapeXml(it.style)}"` : '',
        it.family !== family ? `font-family="${escapeXml(it.family)}"` : '',
        `fill="${escapeXml(it.color)}"`,
        it.opacity < 1 ? `fill-opacity="${num(it.opacity)}"` : '',
        // the line keeps the length it had on screen, whatever font the viewer substitutes
        it.width > 0 ? `textLength="${num(it.width)}" lengthAdjust="spacing"` : '',
      ].filter(Boolean);
      return `<text ${attrs.join(' ')}>${escapeXml(it.text)}</text>`;
    }
    case 'svg':
      return it.markup;
    case 'image':
      return `<image href="${escapeXml(it.href)}" x="${num(it.x)}" y="${num(it.y)}" width="${num(it.width)}" height="${num(it.height)}" preserveAspectRatio="none" data-pixels="${it.pixelWidth}x${it.pixelHeight}"/>`;
  }
}

/** The figure's size in CSS px: the panel's content under the title band. */
export function sceneSize(scene: Scene): { width: number; height: number } {
  return { width: Math.max(1, Math.ceil(scene.width)), height: Math.max(1, Math.ceil(scene.height + titleBand(scene.rem))) };
}

/** The figure as an SVG document: title band, then the panel's content at its screen positions. */
export function sceneSvg(scene: Scene): string {
  const band = titleBand(scene.rem);
  const { width: W, height: H } = sceneSize(scene);
  const x = num(0.6 * scene.rem);
  const fill = escapeXml(scene.color);
  const title =
    `<text x="${x}" y="${num(1.05 * scene.rem)}" dominant-baseline="central" font-size="${num(1.15 * scene.rem)}" font-weight="700" fill="${fill}">${escapeXml(scene.title)}</text>` +
    (scene.subtitle ? `<text x="${x}" y="${num(2.3 * scene.rem)}" dominant-baseline="central" font-size="${num(0.8 * scene.rem)}" fill="${fill}" fill-opacity="0.7">${escapeXml(scene.subtitle)}</text>` : '');
  const body = scene.items.map((it) => itemSvg(it, scene.fontFamily)).join('');
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="${escapeXml(scene.fontFamily)}" color="${escapeXml(scene.color)}">` +
    `<rect width="${W}" height="${H}" fill="${escapeXml(scene.background)}"/>${title}` +
    `<line x1="0" x2="${W}" y1="${num(band - 0.5)}" y2="${num(band - 0.5)}" stroke="${escapeXml(scene.color)}" stroke-opacity="0.2"/>` +
    // the whole content, also what the panel scrolls out of view, and nothing over the title
    `<clipPath id="panel-body"><rect y="${num(-scene.above)}" width="${W}" height="${num(scene.height)}"/></clipPath>` +
    `<g transform="translate(0,${num(band + scene.above)})" clip-path="url(#panel-body)">${body}</g></svg>`
  );
}

/** A word on screen: its text and its box (CSS px). */
export interface WordBox {
  text: string;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * Words in reading order → the lines they were laid out in: a word starts a new line when its
 * vertical middle leaves the current line's box or it sits left of the previous word (a wrap).
 * Each line: its words joined by single spaces, its left edge, vertical middle and length.
 */
export function linesOf(words: readonly WordBox[]): { text: string; x: number; y: number; width: number }[] {
  const lines: { words: WordBox[]; top: number; bottom: number }[] = [];
  for (const w of words) {
    if (!w.text) continue;
    const mid = (w.top + w.bottom) / 2;
    const line = lines.at(-1);
    const last = line?.words.at(-1);
    if (line && last && mid >= line.top && mid <= line.bottom && w.left >= last.left) {
      line.words.push(w);
      line.top = Math.min(line.top, w.top);
      line.bottom = Math.max(line.bottom, w.bottom);
    } else lines.push({ words: [w], top: w.top, bottom: w.bottom });
  }
  return lines.map((l) => {
    const x = l.words[0].left;
    const right = Math.max(...l.words.map((w) => w.right));
    return { text: l.words.map((w) => w.text).join(' '), x, y: (l.top + l.bottom) / 2, width: right - x };
  });
}

/** The pixel size of a raster export at `scale` (at least 1 px each way). */
export function pixelSize(width: number, height: number, scale: number): { width: number; height: number } {
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}
