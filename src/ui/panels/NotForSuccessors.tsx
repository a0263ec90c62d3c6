/**
 * The body an RNN-only panel shows for a successor block: what the panel draws, why it does not
 * apply, how the block remembers instead, and where to look. Said plainly, never a blank chart.
 */
import type { ReactNode } from 'react';
import type { SuccessorKind } from '../../engine/successors/spec';
import { Panel } from '../Panel';
import { HOW_IT_REMEMBERS, KIND_LABEL } from './successorText';
import './NotForSuccessors.css';

export function NotForSuccessors({ id, title, draws, kind }: { id: string; title: string; draws: string; kind: SuccessorKind }) {
  const text = (
    <>
      This panel draws {draws}. The {KIND_LABEL[kind]} block has no W<sub>hh</sub>: {HOW_IT_REMEMBERS[kind]}. The gradient that reaches each input, ‖∂L/∂x
      <sub>t</sub>‖, is in the gradient-norm panel for every kind.
    </>
  );
  return <NotApplicable id={id} title={title} text={text} />;
}

/** A panel whose body is only why it does not apply (the words also serve as its note). */
export function NotApplicable({ id, title, text }: { id: string; title: string; text: ReactNode }) {
  return (
    <Panel id={id} title={title} note={<p>{text}</p>}>
      <p className="not-applicable" data-testid={`not-applicable-${id}`}>
        {text}
      </p>
    </Panel>
  );
}
