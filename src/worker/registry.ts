/** The worker makes its backends from the one registry (src/kernels/registry.ts). */
export { createBackend } from '../kernels/registry';
