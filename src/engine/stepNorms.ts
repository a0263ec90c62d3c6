/**
 * ‖v_t‖ for each step t of a time-major (T, …) array: the per-step gradient norms the charts plot
 * (‖∂L/∂h_t‖, ‖∂L/∂x_t‖ over the batch). Takes any float array, so that a backend can reduce its
 * float32 arena in place instead of copying it out first.
 */
export function normsPerStep(values: ArrayLike<number>, T: number): Float64Array {
  const norms = new Float64Array(T); // (T)
  const per = values.length / T; // B · width values per step
  for (let t = 0; t < T; t++) {
    let s = 0;
    for (let i = t * per; i < (t + 1) * per; i++) s += values[i] ** 2;
    norms[t] = Math.sqrt(s);
  }
  return norms;
}
