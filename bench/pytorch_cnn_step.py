#!/usr/bin/python3
"""PyTorch reference for sparknn's CNN step benchmark (jobs/bench-step.sh --cnn): one training step of

    Conv2d(1,16,5,padding=2) -> ReLU -> MaxPool2d(2) -> Conv2d(16,32,5) -> ReLU -> MaxPool2d(2) -> Flatten
    -> Linear(800,128) -> ReLU -> Dropout(0.5) -> Linear(128,10) -> LogSoftmax, NLLLoss, SGD with momentum 0.9

(conf/mnist-cnn.yaml's network) on a random batch, timed as sparknn's StepBenchmark times its own: the median
over 7 rounds of the mean time per step, each round about 0.3 s, after a 1 s warm-up. No gradient w.r.t. the
input images, as in sparknn's trainers.

Usage: LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch_cnn_step.py \\
           --batch 64 --dtype float64|float32 --threads 1
Prints one JSON object on its last line: batch, dtype, threads, step_ms, torch version.
"""

import argparse
import json
import time

import torch


def median_ms(step):
    end = time.perf_counter() + 1.0
    calls = 0
    while time.perf_counter() < end:
        step()
        calls += 1
    per_round = max(1, int(calls * 0.3))
    rounds = []
    for _ in range(7):
        t0 = time.perf_counter()
        for _ in range(per_round):
            step()
        rounds.append((time.perf_counter() - t0) * 1e3 / per_round)
    rounds.sort()
    return rounds[3]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    p.add_argument("--threads", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    dtype = torch.float64 if a.dtype == "float64" else torch.float32
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 16, 5, padding=2), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Conv2d(16, 32, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
        torch.nn.Linear(800, 128), torch.nn.ReLU(), torch.nn.Dropout(0.5), torch.nn.Linear(128, 10),
        torch.nn.LogSoftmax(dim=1)).to(dtype)
    net.train()
    opt = torch.optim.SGD(net.parameters(), lr=1e-4, momentum=0.9)
    x = torch.rand(a.batch, 1, 28, 28, dtype=dtype)
    y = torch.randint(0, 10, (a.batch,))
    loss_fn = torch.nn.NLLLoss()

    def step():
        opt.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()

    ms = median_ms(step)
    print(json.dumps({"batch": a.batch, "dtype": a.dtype, "threads": a.threads, "step_ms": ms,
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
