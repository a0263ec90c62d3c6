/**
 * Inline styles of the SVG charts' text and lines. Inline (not CSS classes) so that an exported
 * SVG file looks like the chart on screen; sizes in rem so the lecture mode's larger root font
 * scales them.
 */
import type { CSSProperties } from 'react';

export const SVG_STYLE = {
  tick: { fontSize: '0.75rem', fill: 'currentColor', fontVariantNumeric: 'tabular-nums' },
  label: { fontSize: '0.78rem', fontWeight: 600, fill: 'currentColor' },
  legend: { fontSize: '0.78rem', fill: 'currentColor' },
  grid: { stroke: 'currentColor', strokeOpacity: 0.14 },
  axis: { stroke: 'currentColor', strokeOpacity: 0.7 },
  /** text over curves: a halo in the panel's colour keeps it readable */
  halo: { fontSize: '0.72rem', fill: 'currentColor', paintOrder: 'stroke', stroke: 'var(--panel, #fff)', strokeWidth: 3, strokeLinejoin: 'round' },
} satisfies Record<string, CSSProperties>;
