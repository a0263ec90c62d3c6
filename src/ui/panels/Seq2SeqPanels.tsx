/**
 * The page's panels for sequence to sequence: the encoder–decoder's own view first (two columns,
 * both rows), the training curves and the status as for any run, and below them, in place of the
 * RNN panels, a plain sentence on why they are not drawn (their quantities are those of one
 * recurrent stack on a plain Batch).
 */
import { NotApplicable } from './NotForSuccessors';
import { Seq2SeqPanel } from './Seq2SeqPanel';
import { StatusPanel } from './StatusPanel';
import { TrainingPanel } from './TrainingPanel';

function NotForSeq2Seq({ id, title, draws }: { id: string; title: string; draws: string }) {
  const text = (
    <>
      This panel draws {draws} for one recurrent network reading one sequence. Sequence to sequence trains two, an encoder and a decoder, in the float64 engine; it is
      not drawn here yet. The Encoder → decoder panel shows what passes between them.
    </>
  );
  return <NotApplicable id={id} title={title} text={text} />;
}

export function Seq2SeqPanels() {
  return (
    <>
      <Seq2SeqPanel />
      <TrainingPanel />
      <StatusPanel />
      <NotForSeq2Seq id="gradient-norms" title="Gradient norm by time step" draws="‖∂L/∂h_t‖ and ‖∂L/∂x_t‖ against t" />
      <NotForSeq2Seq id="spectra" title="Jacobian spectra" draws="the eigenvalues of W_hh and the singular values of J_t" />
      <NotForSeq2Seq id="inside" title="Inside the network" draws="the hidden state h_t and the gates over time" />
    </>
  );
}
