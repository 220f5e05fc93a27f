"""One epoch of the 2-3-2 scalar network in plain CPython (standard library only), the peer of
bench/scalar_epoch_bench.ts. Same work as ours: the synthetic data rule (x ~ N(0, I) in 2-D,
label 1 where x0^2 + 0.95 x0 x1 + 0.4 x1^2 > 0.6), N(0, 1/fan_in) weights, zero biases, one
epoch of per-instance SGD over a fresh shuffle of 60,000 points at lr 0.01, then the loss and
accuracy over 10,000 validation points. Data generation is not timed. Prints one JSON line:
{"impl", "python", "runs", "median_seconds", "seconds", "validation_accuracy"}."""

import argparse
import json
import math
import platform
import random
import statistics
import time


def make_data(rng, n):
    xs, ys = [], []
    for _ in range(n):
        x0, x1 = rng.gauss(0, 1), rng.gauss(0, 1)
        xs.append((x0, x1))
        ys.append(1 if x0 * x0 + 0.95 * x0 * x1 + 0.4 * x1 * x1 > 0.6 else 0)
    return xs, ys


def init(rng, n_in, n_hid, n_out):
    w = [[rng.gauss(0, 1 / math.sqrt(n_in)) for _ in range(n_hid)] for _ in range(n_in)]
    v = [[rng.gauss(0, 1 / math.sqrt(n_hid)) for _ in range(n_out)] for _ in range(n_hid)]
    return w, [0.0] * n_hid, v, [0.0] * n_out


def epoch(params, train, val, lr, rng):
    """One epoch of per-instance SGD, then the validation pass; the 2-3-2 network written out
    unit by unit in local variables (the fastest plain-CPython form we found: loops over
    lists of lists ran about 2.7 times slower here)."""
    (w00, w01, w02), (w10, w11, w12) = params[0]
    b0, b1, b2 = params[1]
    (v00, v01), (v10, v11), (v20, v21) = params[2]
    c0, c1 = params[3]
    exp, log = math.exp, math.log
    xs, ys = train
    order = list(range(len(xs)))
    rng.shuffle(order)
    loss_sum = 0.0
    for i in order:
        x0, x1 = xs[i]
        t = ys[i]
        # forward: h = sigmoid(x W + b), o = h V + c, y = softmax(o)
        h0 = 1 / (1 + exp(-(x0 * w00 + x1 * w10 + b0)))
        h1 = 1 / (1 + exp(-(x0 * w01 + x1 * w11 + b1)))
        h2 = 1 / (1 + exp(-(x0 * w02 + x1 * w12 + b2)))
        o0 = h0 * v00 + h1 * v10 + h2 * v20 + c0
        o1 = h0 * v01 + h1 * v11 + h2 * v21 + c1
        top = o0 if o0 > o1 else o1
        e0, e1 = exp(o0 - top), exp(o1 - top)
        total = e0 + e1
        loss_sum += log(total) - ((o1 if t else o0) - top)
        # backward: do = y - t, dk = (do V^T) h (1 - h)
        d0 = e0 / total - (0 if t else 1)
        d1 = e1 / total - (1 if t else 0)
        k0 = (v00 * d0 + v01 * d1) * h0 * (1 - h0)
        k1 = (v10 * d0 + v11 * d1) * h1 * (1 - h1)
        k2 = (v20 * d0 + v21 * d1) * h2 * (1 - h2)
        # SGD step
        v00 -= lr * h0 * d0
        v01 -= lr * h0 * d1
        v10 -= lr * h1 * d0
        v11 -= lr * h1 * d1
        v20 -= lr * h2 * d0
        v21 -= lr * h2 * d1
        c0 -= lr * d0
        c1 -= lr * d1
        w00 -= lr * x0 * k0
        w01 -= lr * x0 * k1
        w02 -= lr * x0 * k2
        w10 -= lr * x1 * k0
        w11 -= lr * x1 * k1
        w12 -= lr * x1 * k2
        b0 -= lr * k0
        b1 -= lr * k1
        b2 -= lr * k2
    vx, vy = val
    val_loss, correct = 0.0, 0
    for (x0, x1), t in zip(vx, vy):
        h0 = 1 / (1 + exp(-(x0 * w00 + x1 * w10 + b0)))
        h1 = 1 / (1 + exp(-(x0 * w01 + x1 * w11 + b1)))
        h2 = 1 / (1 + exp(-(x0 * w02 + x1 * w12 + b2)))
        o0 = h0 * v00 + h1 * v10 + h2 * v20 + c0
        o1 = h0 * v01 + h1 * v11 + h2 * v21 + c1
        top = o0 if o0 > o1 else o1
        val_loss += log(exp(o0 - top) + exp(o1 - top)) - ((o1 if t else o0) - top)
        correct += 1 if (o1 > o0) == (t == 1) else 0
    return val_loss / len(vx), correct / len(vx)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float, default=0.01)
    parser.add_argument("--train", type=int, default=60_000)
    parser.add_argument("--validation", type=int, default=10_000)
    args = parser.parse_args()
    data_rng = random.Random(args.seed)
    train = make_data(data_rng, args.train)
    val = make_data(data_rng, args.validation)
    seconds, accuracy = [], None
    for run in range(args.runs):
        rng = random.Random(args.seed + run)
        params = init(rng, 2, 3, 2)
        started = time.perf_counter()
        _, accuracy = epoch(params, train, val, args.lr, rng)
        seconds.append(time.perf_counter() - started)
    print(json.dumps({
        "impl": "cpython",
        "python": platform.python_version(),
        "runs": args.runs,
        "median_seconds": statistics.median(seconds),
        "seconds": seconds,
        "validation_accuracy": accuracy,
    }))


if __name__ == "__main__":
    main()
