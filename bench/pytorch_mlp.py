#!/usr/bin/python3
"""PyTorch reference for the sparknn benchmark: the seed MLP on real MNIST, timed.

Trains exactly the seed network

    Linear(784,196) -> LeakyReLU(0.03) -> Linear(196,98) -> LeakyReLU(0.03) -> Linear(98,10) -> SoftMax

with the seed's loss (ClassNLL on probabilities: -mean(log(clamp(p[label], 1e-15, 1-1e-15))), whose
gradient is -1/clamp(p) even where the clamp is active, as in ClassNLLCriterion.java), the seed's
initialisation (W and b uniform in [-1/sqrt(nIn), 1/sqrt(nIn)]) and the seed's optimizer, written out by
hand: v = m*v + lr*g; w -= v. (torch.optim.SGD does v = m*v + g; w -= lr*v, which is the same thing only
while lr is constant.) Every epoch the training set is shuffled (seeded by --seed) and every sample is seen
once; the last batch of an epoch may be smaller. --warmup-iters N (default 0, off) ramps the learning rate
linearly from lr/N to lr over the first N iterations, for large batches with a scaled-up lr.

Usage (from the repository root; use Debian's interpreter and the OpenMP OpenBLAS, see shared BENCH.md):

    LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp /usr/bin/python3 bench/pytorch_mlp.py \\
        [--data DIR] [--batch 128] [--lr 0.1] [--momentum 0.9] [--epochs 5] \\
        [--dtype float32|float64] [--threads 2] [--seed 1] [--eval-every N] [--max-seconds S] \\
        [--warmup-iters N] [--stop-at-targets MIN_EPOCHS]

Needs only the standard library, numpy and torch (Debian: apt-get install python3-torch
libopenblas0-openmp). Reads data/mnist/*.gz (IDX format, magic numbers checked); downloads nothing.

What is measured (one JSON object on the last line of stdout; progress goes to stderr):
  * training time only: the clock runs during the shuffle and the training steps, and is paused while the
    official 10k test set is evaluated (every --eval-every iterations, default every ~12,800 samples,
    i.e. 100 iterations at batch 128, and at the end of every epoch);
  * steady_samples_per_s / seconds_per_epoch: over the epochs after the first (warm-up) epoch; with a
    single epoch they fall back to that epoch and "steady_includes_warmup" is true;
  * time_to_97 / time_to_98: training seconds (and iteration, epoch) at the first evaluation that reached
    97% / 98% test accuracy, null if never reached; resolution is the evaluation interval;
  * final_test_accuracy, epoch_test_accuracy (one entry per completed epoch), BLAS and thread setup.
--max-seconds bounds the whole run's wall-clock time from the start of training (evaluation included);
when it stops the run early, "stopped_by_budget" is true. --stop-at-targets N ends the run at the end of
the first epoch >= N by which both 97% and 98% have been reached ("stopped_at_targets" true), the rule
the sparknn harness (jobs/bench.sh) applies to its own runs. "machine" gives the load average before the run
and the CPU time other processes used during it (other_cpu_share of 0.5 = one of two cores busy elsewhere):
distrust timings with a high share. With 2 threads on a shared 2-core machine, OpenMP's default busy-wait
makes a contended run up to ~10x slower; OMP_WAIT_POLICY=PASSIVE (recorded under "environment") avoids that.
"""

import argparse
import gzip
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch

IMAGES_MAGIC = 0x00000803
LABELS_MAGIC = 0x00000801
LEAKY_SLOPE = 0.03
CLAMP_EPS = 1e-15
TARGETS = (0.97, 0.98)
ENV_KEYS = ("LD_LIBRARY_PATH", "OMP_NUM_THREADS", "OMP_WAIT_POLICY", "GOMP_SPINCOUNT", "OPENBLAS_NUM_THREADS")
DEFAULT_DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "data", "mnist")


# ----------------------------------------------------------------------------------------------- data

def read_idx(path, magic, ndim):
    """Reads one gzip-compressed IDX file, checking its magic number and size; returns a uint8 array."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path}: too short for an IDX header")
    found = struct.unpack(">i", raw[:4])[0]
    if found != magic:
        raise ValueError(f"{path}: magic 0x{found:08x}, expected 0x{magic:08x}")
    dims = struct.unpack(f">{ndim}i", raw[4:header])
    if len(raw) - header != math.prod(dims):
        raise ValueError(f"{path}: {len(raw) - header} data bytes for dimensions {dims}")
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


def load_split(data_dir, prefix, dtype):
    """Images as an (n, 784) tensor scaled to [0, 1] and labels as an int64 tensor."""
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"), IMAGES_MAGIC, 3)
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"), LABELS_MAGIC, 1)
    if len(images) != len(labels):
        raise ValueError(f"{prefix}: {len(images)} images but {len(labels)} labels")
    x = torch.from_numpy(images.reshape(len(images), -1).astype(np.float64) / 255.0).to(dtype)
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


# ---------------------------------------------------------------------------------------------- model

def seed_linear(n_in, n_out, dtype):
    """A Linear layer with W and b uniform in [-1/sqrt(nIn), 1/sqrt(nIn)] (the seed's rule)."""
    layer = torch.nn.Linear(n_in, n_out, dtype=dtype)
    bound = 1.0 / math.sqrt(n_in)
    with torch.no_grad():
        layer.weight.uniform_(-bound, bound)
        layer.bias.uniform_(-bound, bound)
    return layer


def seed_mlp(dtype):
    return torch.nn.Sequential(
        seed_linear(784, 196, dtype), torch.nn.LeakyReLU(LEAKY_SLOPE),
        seed_linear(196, 98, dtype), torch.nn.LeakyReLU(LEAKY_SLOPE),
        seed_linear(98, 10, dtype), torch.nn.Softmax(dim=1))


class ClampedLog(torch.autograd.Function):
    """log(clamp(p, eps, 1-eps)) with gradient 1/clamp(p) everywhere (torch.clamp would give 0 outside)."""

    @staticmethod
    def forward(ctx, p):
        c = p.clamp(CLAMP_EPS, 1.0 - CLAMP_EPS)
        ctx.save_for_backward(c)
        return c.log()

    @staticmethod
    def backward(ctx, grad):
        (c,) = ctx.saved_tensors
        return grad / c


def class_nll(probabilities, labels):
    """The seed's ClassNLL on probabilities: -mean(log(clamp(p[label])))."""
    picked = probabilities.gather(1, labels.unsqueeze(1))
    return -ClampedLog.apply(picked).mean()


class SeedMomentum:
    """The seed's SGD momentum: v = m*v + lr*g; w -= v."""

    def __init__(self, params, lr, momentum):
        self.params = list(params)
        self.velocity = [torch.zeros_like(p) for p in self.params]
        self.lr = lr
        self.momentum = momentum

    @torch.no_grad()
    def step(self):
        for p, v in zip(self.params, self.velocity):
            v.mul_(self.momentum).add_(p.grad, alpha=self.lr)
            p.sub_(v)
            p.grad = None


@torch.no_grad()
def accuracy(model, x, y):
    return (model(x).argmax(dim=1) == y).double().mean().item()


# ------------------------------------------------------------------------------------------- training

class TrainingClock:
    """Accumulates training seconds only; evaluation runs while it is stopped."""

    def __init__(self):
        self.total = 0.0
        self._started = None

    def start(self):
        self._started = time.perf_counter()

    def stop(self):
        self.total += time.perf_counter() - self._started
        self._started = None


def learning_rate(args, iteration):
    """The constant --lr, or during the first --warmup-iters iterations a linear ramp up to it."""
    if iteration >= args.warmup_iters:
        return args.lr
    return args.lr * (iteration + 1) / args.warmup_iters


class Run:
    """One training run: epochs of seed-style SGD, with the test set evaluated on a stopped clock."""

    def __init__(self, args, model, train_xy, test_xy):
        self.args = args
        self.model = model
        self.train_x, self.train_y = train_xy
        self.test_x, self.test_y = test_xy
        self.optimizer = SeedMomentum(model.parameters(), args.lr, args.momentum)
        self.shuffle = torch.Generator().manual_seed(args.seed)
        self.clock = TrainingClock()
        self.wall_start = None
        self.iteration = 0
        self.samples = 0
        self.reached = {t: None for t in TARGETS}
        self.last_eval = None  # (iteration, test accuracy)
        self.epoch_seconds, self.epoch_samples, self.epoch_accuracy = [], [], []
        self.stopped_by_budget = False
        self.stopped_at_targets = False

    def over_budget(self):
        limit = self.args.max_seconds
        return limit is not None and time.perf_counter() - self.wall_start > limit

    def evaluate(self, epoch):
        """Test accuracy now (the clock must be stopped); records the first time each target is reached."""
        self.model.eval()
        acc = accuracy(self.model, self.test_x, self.test_y)
        self.model.train()
        self.last_eval = (self.iteration, acc)
        for t in TARGETS:
            if self.reached[t] is None and acc >= t:
                self.reached[t] = {"seconds": round(self.clock.total, 3), "iteration": self.iteration,
                                   "epoch": epoch}
        return acc

    def train_epoch(self, epoch):
        """One pass over a fresh shuffle; returns False if the budget ran out during it."""
        args, clock = self.args, self.clock
        before, samples = clock.total, 0
        clock.start()
        order = torch.randperm(len(self.train_x), generator=self.shuffle)
        xs, ys = self.train_x[order], self.train_y[order]
        for lo in range(0, len(xs), args.batch):
            xb, yb = xs[lo:lo + args.batch], ys[lo:lo + args.batch]
            class_nll(self.model(xb), yb).backward()
            self.optimizer.lr = learning_rate(args, self.iteration)
            self.optimizer.step()
            self.iteration += 1
            samples += len(xb)
            out_of_time = self.over_budget()
            if self.iteration % args.eval_every == 0 or out_of_time:
                clock.stop()
                self.evaluate(epoch)
                if out_of_time:
                    self.samples += samples
                    return False
                clock.start()
        clock.stop()
        self.samples += samples
        self.epoch_seconds.append(clock.total - before)
        self.epoch_samples.append(samples)
        acc = self.last_eval[1] if self.last_eval[0] == self.iteration else self.evaluate(epoch)
        self.epoch_accuracy.append(round(acc, 4))
        print(f"epoch {epoch}: {self.epoch_seconds[-1]:.3f} s training, test accuracy {acc:.4f}",
              file=sys.stderr)
        return True

    def run(self):
        self.wall_start = time.perf_counter()
        self.last_eval = (-1, None)
        for epoch in range(1, self.args.epochs + 1):
            if not self.train_epoch(epoch):
                self.stopped_by_budget = True
                break
            stop_at = self.args.stop_at_targets
            if stop_at and epoch >= stop_at and all(self.reached[t] is not None for t in TARGETS):
                self.stopped_at_targets = True
                break
        return self.summary()

    def summary(self):
        epochs = len(self.epoch_seconds)
        steady = slice(1, None) if epochs > 1 else slice(None)
        steady_seconds = sum(self.epoch_seconds[steady])
        total = self.clock.total
        return {
            "epochs_completed": epochs,
            "iterations": self.iteration,
            "epoch_seconds": [round(s, 4) for s in self.epoch_seconds],
            "seconds_per_epoch": round(steady_seconds / len(self.epoch_seconds[steady]), 4) if epochs else None,
            "steady_samples_per_s": round(sum(self.epoch_samples[steady]) / steady_seconds, 1) if epochs else None,
            "steady_includes_warmup": epochs <= 1,
            "training_seconds": round(total, 3),
            "overall_samples_per_s": round(self.samples / total, 1) if total else None,
            "time_to_97": self.reached[0.97],
            "time_to_98": self.reached[0.98],
            "final_test_accuracy": round(self.last_eval[1], 4),
            "epoch_test_accuracy": self.epoch_accuracy,
            "stopped_by_budget": self.stopped_by_budget,
            "stopped_at_targets": self.stopped_at_targets,
            "wall_seconds": round(time.perf_counter() - self.wall_start, 3),
        }


# ------------------------------------------------------------------------------------------ reporting

def cpu_seconds():
    """(busy CPU seconds of the whole machine, CPU seconds of this process) from /proc, or None."""
    try:
        with open("/proc/stat") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
        with open("/proc/self/stat") as f:
            mine = f.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    hz = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle + iowait
    busy = sum(fields[:8]) - idle  # user nice system idle iowait irq softirq steal
    return busy / hz, (int(mine[11]) + int(mine[12])) / hz  # utime + stime


def foreign_load(before, after, wall):
    """CPU seconds other processes used during the run, and that as a share of the machine's capacity."""
    if before is None or after is None:
        return {}
    foreign = max(0.0, (after[0] - before[0]) - (after[1] - before[1]))
    return {"other_cpu_seconds": round(foreign, 2),
            "other_cpu_share": round(foreign / (wall * os.cpu_count()), 3) if wall else None}


def loaded_blas_libraries():
    """Paths of BLAS/OpenMP shared libraries actually mapped into this process."""
    keys = ("blas", "lapack", "gomp", "iomp", "mkl")
    try:
        with open("/proc/self/maps") as f:
            paths = {line.split()[-1] for line in f if "/" in line}
    except OSError:
        return []
    return sorted(p for p in paths if any(k in os.path.basename(p).lower() for k in keys))


def blas_config():
    """torch's build-time BLAS settings, the libraries really loaded and, if available, threadpoolctl."""
    show = torch.__config__.show()
    build = {}
    for item in show.replace("\n", ",").replace("Build settings:", ",").split(","):
        key, _, value = item.strip().partition("=")
        if key in ("BLAS_INFO", "LAPACK_INFO", "USE_OPENMP", "USE_MKL", "USE_MKLDNN"):
            build[key] = value.strip()
    config = {"torch_build": build, "loaded_libraries": loaded_blas_libraries()}
    try:
        from threadpoolctl import threadpool_info
        config["threadpoolctl"] = [
            {k: info.get(k) for k in ("internal_api", "filepath", "version", "num_threads", "threading_layer")}
            for info in threadpool_info()]
    except ImportError:
        pass
    return config


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", default=DEFAULT_DATA, help="directory with the four MNIST IDX .gz files")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.1)
    p.add_argument("--momentum", type=float, default=0.9)
    p.add_argument("--warmup-iters", type=int, default=0,
                   help="ramp the learning rate linearly from lr/N to lr over the first N iterations")
    p.add_argument("--epochs", type=int, default=5)
    p.add_argument("--dtype", choices=("float32", "float64"), default="float32")
    p.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--eval-every", type=int, default=None,
                   help="iterations between test evaluations (default: about every 12,800 samples)")
    p.add_argument("--max-seconds", type=float, default=None, help="wall-clock budget for training + evaluation")
    p.add_argument("--stop-at-targets", type=int, default=0, metavar="MIN_EPOCHS",
                   help="stop once 97%% and 98%% are reached and at least MIN_EPOCHS epochs are done (0: off)")
    args = p.parse_args(argv)
    if args.batch <= 0 or args.epochs <= 0 or args.threads <= 0:
        p.error("--batch, --epochs and --threads must be positive")
    if args.warmup_iters < 0:
        p.error("--warmup-iters must be >= 0")
    if args.stop_at_targets < 0:
        p.error("--stop-at-targets must be >= 0")
    if args.eval_every is None:
        args.eval_every = max(1, round(12800 / args.batch))
    return args


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    dtype = getattr(torch, args.dtype)
    train_xy = load_split(args.data, "train", dtype)
    test_xy = load_split(args.data, "t10k", dtype)
    model = seed_mlp(dtype)
    loadavg = os.getloadavg()
    cpu_before = cpu_seconds()
    results = Run(args, model, train_xy, test_xy).run()
    machine = {"cpus": os.cpu_count(), "loadavg_before": [round(v, 2) for v in loadavg],
               **foreign_load(cpu_before, cpu_seconds(), results["wall_seconds"])}
    report = {
        "framework": "pytorch",
        "torch_version": torch.__version__,
        "numpy_version": np.__version__,
        "blas": blas_config(),
        "machine": machine,
        "threads": torch.get_num_threads(),
        "interop_threads": torch.get_num_interop_threads(),
        "environment": {k: os.environ[k] for k in ENV_KEYS if k in os.environ},
        "dtype": args.dtype,
        "batch": args.batch,
        "lr": args.lr,
        "momentum": args.momentum,
        "warmup_iters": args.warmup_iters,
        "epochs": args.epochs,
        "seed": args.seed,
        "eval_every": args.eval_every,
        "max_seconds": args.max_seconds,
        "stop_at_targets": args.stop_at_targets,
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY", ""),
        "train_samples": len(train_xy[0]),
        "test_samples": len(test_xy[0]),
        **results,
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
