"""Workloads and peers of the benchmark.

A *workload* fixes the network, the data, the batch size, the epochs and the
learning rate. A *peer* trains it: every peer sees the same samples, the same
number of SGD steps, a fresh random order of the samples every epoch, the last
partial batch kept. nnbook, the textbook network and PyTorch start from the
same He-initialized parameters; scikit-learn uses its own initialization.

Each peer's ``run()`` trains once from fresh parameters and returns the
seconds spent training (only the training call is timed), the number of
samples and steps, and the final training loss (MSE over all samples,
computed after the timed part, in float64).
"""

from __future__ import annotations

import inspect
import math
import time
import warnings
from dataclasses import asdict, dataclass

import numpy as np


@dataclass(frozen=True)
class Workload:
    name: str
    sizes: tuple[int, ...]  # layer widths, input first
    samples: int
    batch_size: int
    epochs: int
    learning_rate: float
    data: str  # "sine" or "synthetic"
    bound: str  # what we expect limits it

    @property
    def steps(self) -> int:
        return self.epochs * math.ceil(self.samples / self.batch_size)

    def as_dict(self) -> dict:
        return asdict(self) | {"steps": self.steps}


WORKLOADS = {
    w.name: w
    for w in (
        Workload("W-small", (1, 64, 64, 1), 1000, 32, 150, 0.05, "sine", "Python overhead"),
        Workload("W-large", (512, 1024, 1024, 1), 16384, 256, 1, 0.001, "synthetic", "BLAS"),
        Workload("W-deep", (64, 256, 256, 256, 256, 256, 256, 1), 8192, 64, 2, 0.01, "synthetic", "mixed"),
    )
}
DTYPES = {"float32": np.float32, "float64": np.float64}


def make_data(workload: Workload, dtype) -> tuple[np.ndarray, np.ndarray]:
    """X (k, n) and y (k, 1) in ``dtype``; the same values (up to rounding) for every dtype and peer."""
    k, n = workload.samples, workload.sizes[0]
    if workload.data == "sine":
        X = np.linspace(0.0, 1.0, k).reshape(k, 1)
        y = np.sin(2 * np.pi * X)
        return X.astype(dtype), y.astype(dtype)
    rng = np.random.default_rng(1234)
    X = rng.standard_normal((k, n), dtype=np.float32)  # float32 values, exact in float64 too
    direction = rng.standard_normal((n, 1)) / np.sqrt(n)
    # A smooth non-linear target; computed in chunks to keep the process's peak memory honest.
    y = np.concatenate([np.tanh(X[i : i + 2048].astype(np.float64) @ direction) for i in range(0, k, 2048)])
    return X.astype(dtype, copy=False), y.astype(dtype)


def initial_params(workload: Workload, dtype) -> list[tuple[np.ndarray, np.ndarray]]:
    """He-initialized weights (n, m) and zero biases (m,) for every layer."""
    rng = np.random.default_rng(0)
    params = []
    for n, m in zip(workload.sizes[:-1], workload.sizes[1:], strict=True):
        weights = (rng.standard_normal((n, m)) * np.sqrt(2.0 / n)).astype(dtype)
        params.append((weights, np.zeros(m, dtype=dtype)))
    return params


def mse(y_pred: np.ndarray, y_true: np.ndarray) -> float:
    diff = np.asarray(y_pred, dtype=np.float64).reshape(y_true.shape) - y_true.astype(np.float64)
    return float(np.mean(diff * diff))


class Peer:
    name = "?"
    # Called right after the timed training, before anything computes the final loss: the worker
    # reads the process's peak memory there, so that evaluation on all samples does not count.
    after_training = None

    def __init__(self, workload: Workload, dtype_name: str) -> None:
        self.w = workload
        self.dtype_name = dtype_name
        self.dtype = DTYPES[dtype_name]
        self.X, self.y = make_data(workload, self.dtype)
        self.params = initial_params(workload, self.dtype)

    def info(self) -> dict:
        return {}

    def run(self) -> dict:
        raise NotImplementedError

    def _trained(self) -> None:
        if self.after_training is not None:
            self.after_training()

    def result(self, seconds: float, final_loss: float | None, steps: int, samples: int) -> dict:
        expected = {"steps": self.w.steps, "samples": self.w.epochs * self.w.samples}
        if steps != expected["steps"] or samples != expected["samples"]:
            raise RuntimeError(f"{self.name} did {steps} steps / {samples} samples, expected {expected}")
        return {"seconds": seconds, "final_loss": final_loss, "steps": steps, "samples": samples}


class NnbookPeer(Peer):
    """nnbook's Model.fit when the package has it, else a minimal loop over its pieces."""

    name = "nnbook"

    def __init__(self, workload: Workload, dtype_name: str) -> None:
        super().__init__(workload, dtype_name)
        import nnbook as nb

        self.nb = nb
        self.api = "Model.fit" if hasattr(nb, "Model") else "minimal loop over Dense/ReLU/Linear/MSE/SGD"

    def info(self) -> dict:
        return {"api": self.api, "version": getattr(self.nb, "__version__", "?"), "file": self.nb.__file__}

    def _layers(self) -> list:
        nb, layers = self.nb, []
        for i, (weights, biases) in enumerate(self.params):
            dense = nb.Dense(weights.shape[0], weights.shape[1], rng=i, dtype=self.dtype)
            dense.weights[...] = weights  # the shared initial parameters, as for the other peers
            dense.biases[...] = biases
            layers += [dense, nb.ReLU() if i < len(self.params) - 1 else nb.Linear()]
        return layers

    def run(self) -> dict:
        nb, w = self.nb, self.w
        layers = self._layers()
        if hasattr(nb, "Model"):
            model = nb.Model(layers, loss=nb.MeanSquaredError(), optimizer=nb.SGD(learning_rate=w.learning_rate))
            kwargs = {"epochs": w.epochs, "batch_size": w.batch_size, "shuffle": True, "verbose": 0}
            if "rng" in inspect.signature(model.fit).parameters:
                kwargs["rng"] = 0
            start = time.perf_counter()
            history = model.fit(self.X, self.y, **kwargs)
            seconds = time.perf_counter() - start
            self._trained()
            epochs = len(history.history["loss"])
            y_pred = model.predict(self.X)
        else:
            start = time.perf_counter()
            epochs = self._minimal_loop(layers)
            seconds = time.perf_counter() - start
            self._trained()
            y_pred = self.X
            for layer in layers:
                y_pred = layer.forward(y_pred)
        steps = epochs * math.ceil(w.samples / w.batch_size)
        return self.result(seconds, mse(y_pred, self.y), steps, epochs * w.samples)

    def _minimal_loop(self, layers: list) -> int:
        nb, w = self.nb, self.w
        loss, optimizer = nb.MeanSquaredError(), nb.SGD(learning_rate=w.learning_rate)
        dense = [layer for layer in layers if hasattr(layer, "weights")]
        rng = np.random.default_rng(0)
        for _ in range(w.epochs):
            order = rng.permutation(w.samples)
            for start in range(0, w.samples, w.batch_size):
                batch = order[start : start + w.batch_size]
                X_batch, y_batch = self.X[batch], self.y[batch]
                output = X_batch
                for layer in layers:
                    output = layer.forward(output)
                loss.calculate(output, y_batch)  # a fit records the loss of every batch
                dvalues = loss.backward(output, y_batch)
                for layer in reversed(layers):
                    dvalues = layer.backward(dvalues)
                for layer in dense:
                    optimizer.update(layer)
        return w.epochs


class TextbookPeer(Peer):
    name = "textbook numpy"

    def run(self) -> dict:
        from textbook import Network

        net = Network(self.params, self.w.learning_rate)
        start = time.perf_counter()
        history = net.train(self.X, self.y, self.w.epochs, self.w.batch_size)
        seconds = time.perf_counter() - start
        self._trained()
        steps = len(history) * math.ceil(self.w.samples / self.w.batch_size)
        return self.result(seconds, mse(net.forward(self.X), self.y), steps, len(history) * self.w.samples)


class TorchPeer(Peer):
    """PyTorch eager on the CPU, as many intra-op threads as numpy's BLAS has."""

    name = "PyTorch"

    def __init__(self, workload: Workload, dtype_name: str) -> None:
        super().__init__(workload, dtype_name)
        import torch
        from threadpoolctl import threadpool_info

        self.torch = torch
        blas = [lib for lib in threadpool_info() if lib["user_api"] == "blas"]
        self.threads = blas[0]["num_threads"] if blas else 1
        torch.set_num_threads(self.threads)
        self.tdtype = {"float32": torch.float32, "float64": torch.float64}[dtype_name]
        self.tX = torch.from_numpy(self.X)
        self.ty = torch.from_numpy(self.y)

    def info(self) -> dict:
        torch = self.torch
        return {"version": torch.__version__, "threads": torch.get_num_threads(), "cuda": torch.cuda.is_available()}

    def run(self) -> dict:
        torch, w = self.torch, self.w
        modules = []
        for i, (weights, biases) in enumerate(self.params):
            linear = torch.nn.Linear(weights.shape[0], weights.shape[1], dtype=self.tdtype)
            with torch.no_grad():
                linear.weight.copy_(torch.from_numpy(weights.T.copy()))  # torch keeps (m, n)
                linear.bias.copy_(torch.from_numpy(biases))
            modules.append(linear)
            if i < len(self.params) - 1:
                modules.append(torch.nn.ReLU())
        model = torch.nn.Sequential(*modules)
        optimizer = torch.optim.SGD(model.parameters(), lr=w.learning_rate, momentum=0.0)
        loss_fn = torch.nn.MSELoss()
        generator = torch.Generator().manual_seed(0)
        steps = 0
        start = time.perf_counter()
        for _ in range(w.epochs):
            order = torch.randperm(w.samples, generator=generator)
            for first in range(0, w.samples, w.batch_size):
                batch = order[first : first + w.batch_size]
                optimizer.zero_grad()
                loss = loss_fn(model(self.tX[batch]), self.ty[batch])
                loss.backward()
                optimizer.step()
                steps += 1
        seconds = time.perf_counter() - start
        self._trained()
        with torch.no_grad():
            y_pred = model(self.tX).numpy()
        return self.result(seconds, mse(y_pred, self.y), steps, w.epochs * w.samples)


class SklearnPeer(Peer):
    """scikit-learn's MLPRegressor with plain constant-rate SGD, all epochs, nothing else."""

    name = "scikit-learn"

    def __init__(self, workload: Workload, dtype_name: str) -> None:
        super().__init__(workload, dtype_name)
        import sklearn

        self.version = sklearn.__version__
        self.y1 = self.y.ravel()

    def info(self) -> dict:
        return {"version": self.version}

    def run(self) -> dict:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPRegressor

        w = self.w
        model = MLPRegressor(
            hidden_layer_sizes=w.sizes[1:-1],
            activation="relu",
            solver="sgd",
            alpha=0.0,
            batch_size=w.batch_size,
            learning_rate="constant",
            # sklearn's squared error is half the MSE, so its gradient is half ours: double the rate.
            learning_rate_init=2 * w.learning_rate,
            momentum=0.0,
            nesterovs_momentum=False,
            max_iter=w.epochs,
            shuffle=True,
            random_state=0,
            tol=0.0,
            n_iter_no_change=w.epochs + 1,  # never stop early: run every epoch
            early_stopping=False,
        )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            start = time.perf_counter()
            model.fit(self.X, self.y1)
            seconds = time.perf_counter() - start
            self._trained()
        if model.coefs_[0].dtype != self.dtype:
            raise RuntimeError(f"scikit-learn trained in {model.coefs_[0].dtype}, not {self.dtype_name}")
        steps = model.n_iter_ * math.ceil(w.samples / w.batch_size)
        return self.result(seconds, mse(model.predict(self.X), self.y), steps, int(model.t_))


class LimitPeer(Peer):
    """The matrix products of one training step, and nothing else, for every step of the run.

    Per Dense layer: forward ``X @ W`` (k, n)@(n, m), backward ``X.T @ d`` (n, k)@(k, m) for the weight
    gradient, and ``d @ W.T`` (k, m)@(m, n) for the gradient passed down. The first layer's ``d @ W.T``
    is not needed to train (nobody consumes the input's gradient), so ``seconds`` leaves it out;
    ``seconds_with_input_grad`` times it too, as a Dense.backward that always returns it does.
    Outputs go to preallocated buffers: no allocation, no Python beyond the calls.
    """

    name = "limit (matmuls only)"

    def __init__(self, workload: Workload, dtype_name: str) -> None:
        super().__init__(workload, dtype_name)
        rng = np.random.default_rng(0)
        w = workload
        per_epoch = math.ceil(w.samples / w.batch_size)
        last = w.samples - (per_epoch - 1) * w.batch_size
        self.batch_sizes = [w.batch_size] * (per_epoch - 1) + [last]
        self.buffers = {}
        for k in sorted(set(self.batch_sizes)):
            layers = []
            for weights, _ in self.params:
                n, m = weights.shape
                layers.append(
                    (
                        rng.standard_normal((k, n)).astype(self.dtype),  # layer input X
                        weights,
                        rng.standard_normal((k, m)).astype(self.dtype),  # gradient d
                        np.empty((k, m), self.dtype),  # X @ W
                        np.empty((n, m), self.dtype),  # X.T @ d
                        np.empty((k, n), self.dtype),  # d @ W.T
                    )
                )
            self.buffers[k] = layers

    def _time(self, with_input_grad: bool) -> float:
        matmul = np.matmul
        start = time.perf_counter()
        for _ in range(self.w.epochs):
            for k in self.batch_sizes:
                layers = self.buffers[k]
                for X, W, _, out, _, _ in layers:
                    matmul(X, W, out=out)
                for i in range(len(layers) - 1, -1, -1):
                    X, W, d, _, dW, dX = layers[i]
                    matmul(X.T, d, out=dW)
                    if i or with_input_grad:
                        matmul(d, W.T, out=dX)
        return time.perf_counter() - start

    def run(self) -> dict:
        seconds = self._time(False)
        seconds_all = self._time(True)
        self._trained()
        out = self.result(seconds, None, self.w.epochs * len(self.batch_sizes), self.w.epochs * self.w.samples)
        return out | {"seconds_with_input_grad": seconds_all}


PEERS = {cls.name: cls for cls in (NnbookPeer, TorchPeer, SklearnPeer, TextbookPeer, LimitPeer)}
