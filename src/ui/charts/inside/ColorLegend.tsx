/**
 * A colour bar: which colour means which value, for the heatmaps. Drawn in SVG from the same LUT
 * the canvas uses, so the legend and the cells cannot disagree.
 */
import { useId } from 'react';
import { cssColour, type Lut } from './colors';
import './inside.css';

export interface ColorLegendProps {
  lut: Lut;
  /** labels at the left end, the middle (optional) and the right end */
  labels: [string, string | null, string];
  title: string;
  width: number;
  rem: number;
}

export function ColorLegend({ lut, labels, title, width, rem }: ColorLegendProps) {
  const id = useId().replace(/:/g, '');
  const barH = 0.6 * rem;
  const h = rem + barH + 1.1 * rem;
  const ty = rem + barH + 0.85 * rem;
  const stops = Array.from({ length: 11 }, (_, k) => k / 10);
  return (
    <svg className="in-legend" width={width} height={h} role="img" aria-label={`${title}: ${labels[0]} to ${labels[2]}`}>
      <defs>
        <linearGradient id={`g${id}`}>
          {stops.map((u) => (
            <stop key={u} offset={u} stopColor={cssColour(lut, Math.round(u * 255))} />
          ))}
        </linearGradient>
      </defs>
      <text x={0} y={0.85 * rem} className="in-legend-title">
        {title}
      </text>
      <rect x={0} y={rem} width={width} height={barH} fill={`url(#g${id})`} />
      <g className="in-legend-ticks">
        <text x={0} y={ty} textAnchor="start">
          {labels[0]}
        </text>
        {labels[1] !== null && (
          <text x={width / 2} y={ty} textAnchor="middle">
            {labels[1]}
          </text>
        )}
        <text x={width} y={ty} textAnchor="end">
          {labels[2]}
        </text>
      </g>
    </svg>
  );
}
