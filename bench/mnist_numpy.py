"""The 784-300-10 MLP (sigmoid, softmax, mean cross-entropy, plain minibatch SGD) in numpy, the
peer of bench/mnist_epoch_bench.ts. Same protocol as ours: bytes kept in memory and scaled to
[0, 1] float32 per batch, N(0, 1/fan_in) init, reshuffled every epoch. Prints one JSON line (with
--serve, one per stdin command first: see _mnist_peer_common.train)."""

import numpy as np

from _mnist_peer_common import blas_info, load_split, parse_args, train


def main():
    args = parse_args(__doc__.splitlines()[0])
    train_x, train_y, eval_x, eval_y = load_split(args.data, args.final)
    rng = np.random.default_rng(args.seed)
    n_in, n_hid, n_out = 784, args.hidden, 10
    w1 = (rng.standard_normal((n_in, n_hid)) / np.sqrt(n_in)).astype(np.float32)
    b1 = np.zeros(n_hid, np.float32)
    w2 = (rng.standard_normal((n_hid, n_out)) / np.sqrt(n_hid)).astype(np.float32)
    b2 = np.zeros(n_out, np.float32)
    lr = np.float32(args.lr)

    def train_epoch():
        nonlocal w1, b1, w2, b2  # updated in place; nonlocal because -= rebinds
        order = rng.permutation(len(train_x))
        for start in range(0, len(order), args.batch):
            idx = order[start:start + args.batch]
            x = train_x[idx].astype(np.float32) / np.float32(255)
            y = train_y[idx]
            h = 1 / (1 + np.exp(-(x @ w1 + b1)))
            o = h @ w2 + b2
            o -= o.max(axis=1, keepdims=True)
            p = np.exp(o)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(y)), y] -= 1
            do = p / np.float32(len(y))
            dh = do @ w2.T
            dk = dh * h * (1 - h)
            w2 -= lr * (h.T @ do)
            b2 -= lr * do.sum(axis=0)
            w1 -= lr * (x.T @ dk)
            b1 -= lr * dk.sum(axis=0)

    def evaluate():
        x = eval_x.astype(np.float32) / np.float32(255)
        o = 1 / (1 + np.exp(-(x @ w1 + b1))) @ w2 + b2
        o -= o.max(axis=1, keepdims=True)
        log_p = o - np.log(np.exp(o).sum(axis=1, keepdims=True))
        loss = float(-log_p[np.arange(len(eval_y)), eval_y].mean())
        return loss, float((o.argmax(axis=1) == eval_y).mean())

    info = {"version": f"numpy {np.__version__}", "blas": blas_info()}
    train("numpy", args, train_epoch, evaluate, info)


if __name__ == "__main__":
    main()
