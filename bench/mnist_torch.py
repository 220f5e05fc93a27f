"""The 784-300-10 MLP (sigmoid, softmax, mean cross-entropy, plain minibatch SGD) in idiomatic
PyTorch (nn.Sequential, CrossEntropyLoss, optim.SGD), the peer of bench/mnist_epoch_bench.ts.
Bytes kept in memory and scaled to [0, 1] float32 per batch, reshuffled every epoch. Prints one
JSON line (with --serve, one per stdin command first: see _mnist_peer_common.train)."""

import torch

from _mnist_peer_common import blas_info, load_split, parse_args, train


def main():
    args = parse_args(__doc__.splitlines()[0])
    train_x, train_y, eval_x, eval_y = load_split(args.data, args.final)
    torch.manual_seed(args.seed)
    train_x, train_y = torch.from_numpy(train_x.copy()), torch.from_numpy(train_y.copy())
    eval_x, eval_y = torch.from_numpy(eval_x.copy()), torch.from_numpy(eval_y.copy())
    model = torch.nn.Sequential(
        torch.nn.Linear(784, args.hidden), torch.nn.Sigmoid(), torch.nn.Linear(args.hidden, 10)
    )
    with torch.no_grad():  # N(0, 1/fan_in) weights, zero biases, as ours
        for layer in (model[0], model[2]):
            layer.weight.normal_(0, layer.in_features ** -0.5)
            layer.bias.zero_()
    loss_fn = torch.nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=args.lr)

    def train_epoch():
        order = torch.randperm(len(train_x))
        for start in range(0, len(order), args.batch):
            idx = order[start:start + args.batch]
            x = train_x[idx].float() / 255
            loss = loss_fn(model(x), train_y[idx])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()

    def evaluate():
        with torch.no_grad():
            logits = model(eval_x.float() / 255)
            loss = float(loss_fn(logits, eval_y))
            return loss, float((logits.argmax(dim=1) == eval_y).float().mean())

    info = {
        "version": f"PyTorch {torch.__version__}, torch.get_num_threads() {torch.get_num_threads()}",
        "blas": blas_info(),
    }
    train("pytorch", args, train_epoch, evaluate, info)


if __name__ == "__main__":
    main()
