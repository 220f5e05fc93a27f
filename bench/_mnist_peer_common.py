"""Shared parts of the peer benchmarks (numpy, PyTorch): argument parsing, IDX reading, splits,
the epoch loop (timed, or driven over stdin with --serve) and the JSON line every peer prints
last. Standard library plus numpy."""

import argparse
import ctypes
import gzip
import json
import resource
import struct
import sys
import time
from pathlib import Path

import numpy as np

NAMES = {
    "train_images": ["train-images-idx3-ubyte", "train-images.idx3-ubyte"],
    "train_labels": ["train-labels-idx1-ubyte", "train-labels.idx1-ubyte"],
    "test_images": ["t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"],
    "test_labels": ["t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"],
}


def parse_args(description):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--data", required=True, help="folder with the four MNIST IDX files")
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--batch", type=int, default=50)
    parser.add_argument("--lr", type=float, default=0.3)
    parser.add_argument("--hidden", type=int, default=300)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--final", action="store_true", help="train on 60,000, test on 10,000")
    parser.add_argument(
        "--serve", action="store_true",
        help="train on commands from stdin ('epochs N', then 'done'), as bench:mnist drives it",
    )
    args = parser.parse_args()
    for name in ("epochs", "batch", "hidden"):
        if getattr(args, name) < 1:
            parser.error(f"expected --{name} to be at least 1 but found {getattr(args, name)}")
    return args


def read_idx(folder, key):
    for name in NAMES[key]:
        for candidate in (Path(folder) / name, Path(folder) / (name + ".gz")):
            if candidate.is_file():
                raw = candidate.read_bytes()
                if raw[:2] == b"\x1f\x8b":
                    raw = gzip.decompress(raw)
                magic, count = struct.unpack(">II", raw[:8])
                if magic == 0x803:
                    rows, cols = struct.unpack(">II", raw[8:16])
                    data = np.frombuffer(raw, dtype=np.uint8, offset=16)
                    return data.reshape(count, rows * cols)
                if magic == 0x801:
                    return np.frombuffer(raw, dtype=np.uint8, offset=8).astype(np.int64)
                raise SystemExit(f"{candidate}: expected IDX magic 0x803 or 0x801, found {magic:#x}")
    raise SystemExit(f"no {NAMES[key][0]}[.gz] in {folder}")


def load_split(folder, final):
    """Images stay bytes; (train_x, train_y, eval_x, eval_y) as the course splits them."""
    x, y = read_idx(folder, "train_images"), read_idx(folder, "train_labels")
    if final:
        return x, y, read_idx(folder, "test_images"), read_idx(folder, "test_labels")
    return x[:55000], y[:55000], x[55000:], y[55000:]


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def blas_info():
    """The OpenBLAS this process has loaded (through numpy or torch): its build string and
    threads, or the BLAS files mapped when they are not OpenBLAS; "" when none is loaded."""
    with open("/proc/self/maps", encoding="utf-8") as maps:
        files = sorted({line.split()[-1] for line in maps if "blas" in line.lower() and "/" in line})
    for file in files:
        try:
            library = ctypes.CDLL(file)
            library.openblas_get_config.restype = ctypes.c_char_p
            config = library.openblas_get_config().decode()
            return f"{config}, threads {library.openblas_get_num_threads()} ({file})"
        except (OSError, AttributeError):
            continue
    return ", ".join(files)


def train(name, args, train_epoch, evaluate, info=None):
    """Runs the epochs, each one call of train_epoch(), timed from the outside, then prints the
    report line with evaluate()'s (loss, accuracy). With --serve, prints a ready line (name and
    info) once the data is loaded, then for each stdin line 'epochs N' trains N epochs and prints
    their seconds and the peak memory so far; 'done' or the end of stdin ends the training."""
    epoch_seconds = []

    def epochs(count):
        seconds = []
        for _ in range(count):
            started = time.perf_counter()
            train_epoch()
            seconds.append(time.perf_counter() - started)
        epoch_seconds.extend(seconds)
        return seconds

    if not args.serve:
        epochs(args.epochs)
    else:
        print(json.dumps({"ready": True, "peer": name, **(info or {})}), flush=True)
        for line in sys.stdin:
            words = line.split()
            if words == ["done"]:
                break
            if len(words) != 2 or words[0] != "epochs" or not words[1].isdigit():
                raise SystemExit(f"{name}: expected 'epochs N' or 'done' but found {line!r}")
            seconds = epochs(int(words[1]))
            print(json.dumps({"epochSeconds": seconds, "peakRssMb": peak_rss_mb()}), flush=True)
    loss, accuracy = evaluate()
    report(name, args, epoch_seconds, loss, accuracy)


def report(name, args, epoch_seconds, loss, accuracy):
    print(json.dumps({
        "peer": name,
        "epochSeconds": epoch_seconds,
        "medianEpochSeconds": float(np.median(epoch_seconds)),
        "split": "test" if args.final else "validation",
        "loss": loss,
        "accuracy": accuracy,
        "epochs": len(epoch_seconds),
        "lr": args.lr,
        "batchSize": args.batch,
        "seed": args.seed,
        "peakRssMb": peak_rss_mb(),
    }))
