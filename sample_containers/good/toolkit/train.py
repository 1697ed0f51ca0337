"""The user script the toolkit runs: hyperparameters arrive as arguments, paths as SM_*
variables (computed by sagemaker-training from the platform's /opt/ml files)."""
import argparse
import json
import os
import time

import trainer   # /opt/ml/code/trainer.py: load_rows, accuracy, checkpoints


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--epoch_seconds", type=float, default=0.4)
    parser.add_argument("--normalize", default="false")
    args, _ = parser.parse_known_args()
    sums = trainer.load_rows(os.environ["SM_CHANNEL_TRAIN"])
    for epoch in range(trainer.resume_from_checkpoint(), args.epochs):
        print(f"epoch={epoch} rows={sum(e[4] for e in sums.values())}", flush=True)
        time.sleep(args.epoch_seconds)
        trainer.save_checkpoint(epoch + 1)
    classes = sorted(sums)
    model = {"classes": classes, "centroids": [[round(v / sums[c][4], 3) for v in sums[c][:4]] for c in classes]}
    with open(os.path.join(os.environ["SM_MODEL_DIR"], "model.json"), "w") as handle:
        json.dump(model, handle)
    validation = os.environ.get("SM_CHANNEL_VALIDATION")
    if validation:
        print(f"validation_accuracy={trainer.accuracy(model, validation):.3f}", flush=True)


if __name__ == "__main__":
    main()
