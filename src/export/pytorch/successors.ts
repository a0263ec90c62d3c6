/** The successor blocks' part of the script (to come). */
import type { SuccessorSpec } from '../../engine/successors/spec';

export function successorSection(spec: SuccessorSpec, _truncation: number | null): string {
  throw new Error(`the PyTorch export does not cover ${spec.cell} blocks yet`);
}
