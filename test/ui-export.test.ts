/**
 * The composition of an exported figure (src/ui/exportCompose.ts): the panel's charts, canvas
 * images and text placed where they were on screen under the title, user text escaped, canvas
 * images embedded at the export scale; and words regrouped into the lines the browser laid out.
 */
import { describe, expect, it } from 'vitest';
import { linesOf, pixelSize, sceneSize, sceneSvg, titleBand, type Scene } from '../src/ui/exportCompose';

const REM = 14;
const PNG = 'data:image/png;base64,iVBORw0KGgo=';

/** The hidden-state heatmap as the page shows it: a 259 × 110 canvas, d3 axes in an SVG over it, a colour bar. */
function heatmapScene(): Scene {
  const px = pixelSize(259, 110, 2); // what the heatmap's registered redraw returns at the export scale
  return {
    title: 'Inside the network',
    subtitle: 'RNN Playground · step 664',
    width: 320,
    height: 200,
    above: 0,
    background: 'rgb(255, 255, 255)',
    color: 'rgb(23, 33, 43)',
    fontFamily: 'system-ui',
    rem: REM,
    items: [
      { kind: 'text', x: 4, y: 10, width: 180, text: 'Hidden state h_t, example 0', size: 12, weight: '600', style: 'normal', family: 'system-ui', color: 'rgb(23, 33, 43)', opacity: 1 },
      { kind: 'image', x: 46, y: 26, width: 259, height: 110, href: PNG, pixelWidth: px.width, pixelHeight: px.height },
      { kind: 'svg', x: 4, y: 22, width: 305, height: 148, markup: '<svg x="4" y="22" width="305" height="148"><g class="tick"><text>15</text></g><text>time t</text><text>unit</text></svg>' },
      { kind: 'svg', x: 4, y: 172, width: 168, height: 26, markup: '<svg x="4" y="172" width="168" height="26"><linearGradient id="g1"/><text>−1</text><text>+1</text></svg>' },
    ],
  };
}

describe('exported figure', () => {
  it('is one SVG document: title band, then every chart at its place', () => {
    const svg = sceneSvg(heatmapScene());
    expect(svg).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="320" height="242" viewBox="0 0 320 242"/);
    expect(svg.endsWith('</svg>')).toBe(true);
    expect(sceneSize(heatmapScene())).toEqual({ width: 320, height: 200 + titleBand(REM) });
    expect(svg).toContain('>Inside the network</text>');
    expect(svg).toContain('>RNN Playground · step 664</text>');
    // the content sits under the title band
    expect(svg).toContain(`<g transform="translate(0,${titleBand(REM)})" clip-path="url(#panel-body)">`);
    // the axes and their labels, and the colour bar, come along with the image
    expect(svg).toContain('<svg x="4" y="22" width="305" height="148"><g class="tick"><text>15</text></g><text>time t</text><text>unit</text></svg>');
    expect(svg).toContain('<text>−1</text><text>+1</text>');
    expect(svg).toContain('>Hidden state h_t, example 0</text>');
  });

  it('embeds a canvas at twice its size on screen', () => {
    const svg = sceneSvg(heatmapScene());
    expect(svg).toContain(`<image href="${PNG}" x="46" y="26" width="259" height="110" preserveAspectRatio="none" data-pixels="518x220"/>`);
    expect(pixelSize(320, 164, 2)).toEqual({ width: 640, height: 328 });
    expect(pixelSize(0.2, 0, 2)).toEqual({ width: 1, height: 1 });
  });

  it('keeps text that scrolled out above the view, below the title', () => {
    const s = { ...heatmapScene(), height: 260, above: 60 };
    const svg = sceneSvg(s);
    expect(svg).toContain(`<clipPath id="panel-body"><rect y="-60" width="320" height="260"/></clipPath>`);
    expect(svg).toContain(`<g transform="translate(0,${titleBand(REM) + 60})"`);
    expect(sceneSize(s).height).toBe(260 + titleBand(REM));
  });

  it('writes user text as text, never as markup', () => {
    const s = heatmapScene();
    s.title = 'Status';
    s.items = [{ kind: 'text', x: 0, y: 5, width: 100, text: '"<img src=x onerror=alert(1)>" & more', size: 12, weight: '400', style: 'normal', family: 'system-ui', color: 'red', opacity: 0.85 }];
    const svg = sceneSvg(s);
    expect(svg).not.toContain('<img');
    expect(svg).toContain('>&quot;&lt;img src=x onerror=alert(1)&gt;&quot; &amp; more</text>');
    expect(svg).toContain('fill-opacity="0.85"');
    expect(svg).toContain('textLength="100" lengthAdjust="spacing"');
  });
});

describe('linesOf', () => {
  const word = (text: string, left: number, top: number, w = 30) => ({ text, left, right: left + w, top, bottom: top + 16 });

  it('regroups words into the lines the browser wrapped them into', () => {
    const lines = linesOf([word('Step', 0, 0), word('650:', 34, 0), word('at', 68, 0, 10), word('t', 0, 18, 8), word('=', 12, 18, 8)]);
    expect(lines).toEqual([
      { text: 'Step 650: at', x: 0, y: 8, width: 78 },
      { text: 't =', x: 0, y: 26, width: 20 },
    ]);
  });

  it('starts a new line when a word sits left of the last one at the same height', () => {
    // an inline-block row wrapped without changing the line box height
    const lines = linesOf([word('a', 50, 0), word('b', 10, 2)]);
    expect(lines.map((l) => l.text)).toEqual(['a', 'b']);
  });

  it('gives nothing for no words', () => {
    expect(linesOf([])).toEqual([]);
  });
});
