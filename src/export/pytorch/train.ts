/**
 * The training loop's part of the script: the Trainer's recipe (src/worker/trainer.ts): root =
 * Rng(seed), initial weights from root.fork(1) (embedded), data from root.fork(2); each step
 * forward, loss, backward, a step whose loss or gradient is not finite stops the run with the
 * weights untouched, then clipping and the update; a stream's final state is the next chunk's
 * start, as a constant. Then the command line.
 */
import { dedent, pyBool } from './python';

export interface LoopFacts {
  seed: number;
  batchSize: number;
  stream: boolean;
  /** batches the data generator skips (an export from the current weights) */
  skip: number;
  /** the model file's header, as JSON (everything but its stateDict) */
  fileHeader: string;
}

export function trainSection(f: LoopFacts): string {
  return dedent(String.raw`
    # ---------------------------------------------------------------------------------------------
    # 6. Training: the playground's Trainer, step by step
    # ---------------------------------------------------------------------------------------------
    SEED, BATCH_SIZE = ${f.seed}, ${f.batchSize}
    STREAM = ${pyBool(f.stream)}  # each chunk starts from the state the last one ended in (a constant: no gradient flows back)
    SKIP_BATCHES = ${f.skip}
    MODEL_FILE_HEADER = json.loads(${JSON.stringify(f.fileHeader)})


    def train(steps, dtype=torch.float32, device="cpu", log=None):
        """Trains for up to steps updates; returns the model and the loss of every update."""
        model = Model().to(dtype=dtype, device=device)
        model.load_state_dict(initial_state_dict(dtype, device))  # strict: the names are the model file's
        params = list(model.parameters())
        optimizer = make_optimizer(params)
        root = Rng(SEED)
        root.fork(1)  # the initial weights came from this fork (made by the playground, embedded below)
        data = batches(root.fork(2), BATCH_SIZE)
        for _ in range(SKIP_BATCHES):
            next(data)
        carried, losses = None, []
        for step in range(1, steps + 1):
            x, target, mask = to_tensors(next(data), dtype, device)
            optimizer.zero_grad(set_to_none=True)
            loss, final = loss_of(model, x, target, mask, carried)
            loss.backward()
            for p in params:  # a parameter the loss did not reach still takes its (zero-gradient) update
                if p.grad is None:
                    p.grad = torch.zeros_like(p)
            grad_norm = torch.sqrt(sum((p.grad * p.grad).sum() for p in params))
            if not (math.isfinite(loss.item()) and math.isfinite(grad_norm.item())):
                print(f"the run diverged at step {step}: the loss or a gradient is not finite; it stopped there", file=sys.stderr)
                break
            clip_gradients(params)
            optimizer.step()
            losses.append(loss.item())
            if log:
                log(step, loss.item())
            if STREAM:
                carried = [(h.detach(), None if c is None else c.detach()) for h, c in final]
        return model, losses


    def model_file(model):
        """The trained model in the playground's format (rnn-playground/model@1)."""
        state = {name: t.detach().to(torch.float64).cpu().tolist() for name, t in model.state_dict().items()}
        return {**MODEL_FILE_HEADER, "stateDict": state}


    def main(argv=None):
        parser = argparse.ArgumentParser(description="Train the RNN Playground experiment in PyTorch.")
        parser.add_argument("--steps", type=int, default=100, help="updates to make (default 100)")
        parser.add_argument("--dtype", choices=["float32", "float64"], default="float32")
        parser.add_argument("--device", default="cpu", help="cpu or cuda (or cuda:N)")
        parser.add_argument("--json", action="store_true", help='print {"losses": [...]} only')
        parser.add_argument("--save", metavar="FILE", help="write the trained model file (the page loads it)")
        args = parser.parse_args(argv)
        if args.steps < 1:
            parser.error("--steps must be at least 1")
        if args.device.startswith("cuda") and not torch.cuda.is_available():
            parser.error("--device cuda: no CUDA device is available to PyTorch here")
        dtype = torch.float64 if args.dtype == "float64" else torch.float32
        log = None if args.json else (lambda step, loss: print(f"{step}\t{loss}"))
        if log:
            print("# step\tloss")
        model, losses = train(args.steps, dtype, args.device, log)
        if args.json:
            print(json.dumps({"losses": losses}))
        if args.save:
            with open(args.save, "w") as f:
                json.dump(model_file(model), f)
                f.write("\n")
        return losses


    if __name__ == "__main__":
        main()
  `);
}
