/** Keyboard shortcuts and a two-minute guide, in a native <dialog> (focus trapped, Esc closes). */
import { useEffect, useRef } from 'react';

export function HelpDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return (
    <dialog ref={ref} className="help" onClose={onClose} aria-labelledby="help-title">
      <h2 id="help-title">How to use the playground</h2>
      <table className="shortcuts">
        <tbody>
          <tr>
            <th scope="row">
              <kbd>Space</kbd>
            </th>
            <td>play / pause</td>
          </tr>
          <tr>
            <th scope="row">
              <kbd>→</kbd>
            </th>
            <td>one training step</td>
          </tr>
          <tr>
            <th scope="row">
              <kbd>r</kbd>
            </th>
            <td>reset to the seed</td>
          </tr>
          <tr>
            <th scope="row">
              <kbd>?</kbd>
            </th>
            <td>this help</td>
          </tr>
        </tbody>
      </table>
      <p>
        Pick a task and a cell on the left, press play, and watch the panels. <em>Gradient norm by time step</em> shows how much each step's state affects the loss: a curve that falls to
        the left means the gradient vanishes before it reaches the early steps, so those cannot be learned. <em>Jacobian spectra</em> shows why: eigenvalues of W_hh inside the unit circle
        shrink the signal at every step. Every setting is in the link, so <em>Copy link</em> shares this exact run.
      </p>
      <button type="button" onClick={onClose} autoFocus>
        Close
      </button>
    </dialog>
  );
}
