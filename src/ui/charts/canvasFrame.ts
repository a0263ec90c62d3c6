/**
 * Canvas redraws batched into the next animation frame. A chart asks for a redraw from its layout
 * effect; the redraws run together in one requestAnimationFrame callback. Drawing text on a canvas
 * that is in the page makes the browser bring its style up to date first (ctx.font resolves
 * against the element): from a layout effect, that forced a style recalculation after each
 * React commit, several per frame while training; in the frame callback there is one, the one
 * the frame would do anyway. A later request for the same canvas replaces the earlier one.
 */

const pending = new Map<HTMLCanvasElement, () => void>();
let frame = 0;

function flush(): void {
  frame = 0;
  const draws = [...pending.values()];
  pending.clear();
  for (const draw of draws) draw();
}

/** Runs `draw` for `canvas` in the next animation frame (at once where there are no frames). */
export function drawNextFrame(canvas: HTMLCanvasElement, draw: () => void): void {
  if (typeof requestAnimationFrame !== 'function') {
    draw();
    return;
  }
  pending.set(canvas, draw);
  if (!frame) frame = requestAnimationFrame(flush);
}

