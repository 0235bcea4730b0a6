#!/usr/bin/env python3
"""A small trainer that really trains: an MLP fitting a noisy function, with PyTorch on CPU when
an interpreter that can import torch exists, else a stdlib-only linear model with the same output.

On Debian, `python3` on PATH may not see python3-torch while /usr/bin/python3 does: this script
re-executes itself under the first interpreter that can import torch, and says which it uses.

    vigil run -- python3 examples/train.py [--steps 300] [--fail-at STEP]
"""
import argparse
import importlib.util
import math
import os
import random
import shutil
import subprocess
import sys
import time

CANDIDATES = ["/usr/bin/python3", "python3", "python"]


def find_torch_python():
    for candidate in CANDIDATES:
        path = shutil.which(candidate)
        if not path or os.path.realpath(path) == os.path.realpath(sys.executable):
            continue
        probe = subprocess.run([path, "-c", "import importlib.util,sys; sys.exit(0 if importlib.util.find_spec('torch') else 1)"])
        if probe.returncode == 0:
            return path
    return None


def train_torch(args):
    import torch

    torch.manual_seed(0)
    x = torch.linspace(-3, 3, 512).unsqueeze(1)
    y = torch.sin(x) + 0.1 * torch.randn_like(x)
    model = torch.nn.Sequential(torch.nn.Linear(1, 64), torch.nn.Tanh(), torch.nn.Linear(64, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    steps_per_epoch = args.steps // 3
    for step in range(1, args.steps + 1):
        batch = torch.randint(0, len(x), (64,))
        loss = torch.nn.functional.mse_loss(model(x[batch]), y[batch])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        report(step, args, loss.item(), steps_per_epoch)
    return model


def train_stdlib(args):
    random.seed(0)
    w, b = 0.0, 0.0
    steps_per_epoch = args.steps // 3
    for step in range(1, args.steps + 1):
        xs = [random.uniform(-1, 1) for _ in range(64)]
        ys = [2.0 * v + 0.5 + random.gauss(0, 0.05) for v in xs]
        grad_w = sum(2 * (w * v + b - t) * v for v, t in zip(xs, ys)) / len(xs)
        grad_b = sum(2 * (w * v + b - t) for v, t in zip(xs, ys)) / len(xs)
        w, b = w - 0.1 * grad_w, b - 0.1 * grad_b
        loss = sum((w * v + b - t) ** 2 for v, t in zip(xs, ys)) / len(xs)
        report(step, args, loss, steps_per_epoch)


def report(step, args, loss, steps_per_epoch):
    if step == args.fail_at:
        raise RuntimeError(f"simulated failure at step {step} (--fail-at)")
    if step % 25 == 0 or step == args.steps:
        epoch = min(3, math.ceil(step / steps_per_epoch))
        print(f"epoch {epoch} step {step}/{args.steps} loss {loss:.4f}")
    time.sleep(args.step_seconds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--step-seconds", type=float, default=0.01)
    parser.add_argument("--fail-at", type=int, default=None)
    args = parser.parse_args()

    has_torch = importlib.util.find_spec("torch") is not None
    if not has_torch and not os.environ.get("VIGIL_EXAMPLE_NO_REEXEC"):
        other = find_torch_python()
        if other:
            os.environ["VIGIL_EXAMPLE_NO_REEXEC"] = "1"
            os.execv(other, [other] + sys.argv)
    if has_torch:
        import torch

        print(f"training with PyTorch {torch.__version__} on CPU ({sys.executable})")
        train_torch(args)
    else:
        print(f"no interpreter here can import torch: training a stdlib linear model instead ({sys.executable})")
        train_stdlib(args)
    print("training finished")


if __name__ == "__main__":
    main()
