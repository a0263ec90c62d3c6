/**
 * `?embed=PANEL`: a link that shows one panel with a minimal play bar, sized to its frame (an
 * `<iframe>` in a slide). The panels a link may name, with the words a notice and the embed menu
 * use; the page maps each id to its component (src/ui/embed/EmbedView.tsx).
 */
export const EMBED_PANELS = [
  ['unrolled', 'the unrolled network'],
  ['gradient-norms', 'the gradient norms'],
  ['training', 'the training curves'],
  ['spectra', 'the Jacobian spectra'],
  ['inside', 'inside the network'],
  ['status', 'the status'],
  ['compare', "a lesson's side-by-side runs"],
] as const;

export type EmbedPanel = (typeof EMBED_PANELS)[number][0];

export function isEmbedPanel(s: string): s is EmbedPanel {
  return EMBED_PANELS.some(([id]) => id === s);
}

/** The size an embed code proposes (a 16:10 slide region); the panel fills whatever it gets. */
export const EMBED_SIZE = { width: 800, height: 500 };
