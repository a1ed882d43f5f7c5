#!/usr/bin/env python3
"""Times one training step (forward + backward + SGD step) of the deep-net
experiments' two models in PyTorch on the CPU, for bench/run.ts: the paper's
ConvNet on 1x28x28 inputs (conv 5x5 no bias -> ReLU -> BN2d -> max-pool, twice;
fc 1024-384-192-10 with ReLU -> BN1d; softmax output, cross-entropy on it) and
the MLP 784-1024-384-192-10. Batch 128, SGD lr 0.01 momentum 0.9, one thread
unless --threads. Prints one JSON line per model: name, msPerBatch (median wall
time) and cpuMsPerBatch (median process CPU time, robust to other load).
"""
import argparse
import json
import time

import torch
from torch import nn


def conv_net():
    return nn.Sequential(
        nn.Conv2d(1, 64, 5, bias=False), nn.ReLU(), nn.BatchNorm2d(64), nn.MaxPool2d(2, 2),
        nn.Conv2d(64, 64, 5, bias=False), nn.ReLU(), nn.BatchNorm2d(64), nn.MaxPool2d(2, 2),
        nn.Flatten(),
        nn.Linear(1024, 384), nn.ReLU(), nn.BatchNorm1d(384),
        nn.Linear(384, 192), nn.ReLU(), nn.BatchNorm1d(192),
        nn.Linear(192, 10), nn.Softmax(dim=1),
    )


def mlp():
    return nn.Sequential(
        nn.Flatten(),
        nn.Linear(784, 1024), nn.ReLU(), nn.BatchNorm1d(1024),
        nn.Linear(1024, 384), nn.ReLU(), nn.BatchNorm1d(384),
        nn.Linear(384, 192), nn.ReLU(), nn.BatchNorm1d(192),
        nn.Linear(192, 10), nn.Softmax(dim=1),
    )


def time_step(model, batch, seconds, rounds):
    torch.manual_seed(0)
    x = torch.randn(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    model.train()

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    for _ in range(3):
        step()
    wall, cpu = [], []
    t_end = time.perf_counter() + seconds
    while len(wall) < rounds or time.perf_counter() < t_end:
        t0, c0 = time.perf_counter(), time.process_time()
        step()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    wall.sort()
    cpu.sort()
    return 1000 * wall[len(wall) // 2], 1000 * cpu[len(cpu) // 2], len(wall)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--rounds", type=int, default=5)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    for name, make in (("nn-train-mlp", mlp), ("nn-train-conv", conv_net)):
        ms, cpu_ms, n = time_step(make(), a.batch, a.seconds, a.rounds)
        print(json.dumps({"name": name, "batch": a.batch, "threads": a.threads, "msPerBatch": ms, "cpuMsPerBatch": cpu_ms, "runs": n, "torch": torch.__version__}), flush=True)


if __name__ == "__main__":
    main()
