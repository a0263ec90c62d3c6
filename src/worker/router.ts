/**
 * One worker, two training loops: the Trainer (every task a plain Batch trains on, on the chosen
 * backend) and the Seq2SeqTrainer (the encoder–decoder, in the float64 engine). A `configure` or
 * `restore` picks the loop by its task; every other message goes to the loop that holds the run.
 * The one left pauses first, so nothing trains that is not shown.
 */
import type { ToWorker } from './protocol';
import { Seq2SeqTrainer } from './seq2seqTrainer';
import { Trainer, type TrainerHost } from './trainer';

export class TrainerRouter {
  private readonly plain: Trainer;
  private readonly seq2seq: Seq2SeqTrainer;
  private active: Trainer | Seq2SeqTrainer;

  constructor(host: TrainerHost) {
    this.plain = new Trainer(host);
    this.seq2seq = new Seq2SeqTrainer(host);
    this.active = this.plain;
  }

  handle(msg: ToWorker): Promise<void> {
    if (msg.type === 'configure' || msg.type === 'restore') {
      const next = msg.config.task === 'seq2seq' ? this.seq2seq : this.plain;
      if (next !== this.active) void this.active.handle({ type: 'pause' });
      this.active = next;
    }
    // A pasted text belongs to the character model, whichever loop holds the run now.
    if (msg.type === 'setText') return this.plain.handle(msg);
    return this.active.handle(msg);
  }
}
