"""A textbook numpy network: one class per layer, the way tutorials write it.

This is the benchmark's unoptimized reference, not part of nnbook. It follows
the common from-scratch style: every object keeps ``output`` and ``dinputs``
attributes, biases have shape (1, m), ReLU's backward copies the gradient and
zeroes it through a boolean mask, and the loss is computed on every batch.
Nothing here is tuned; it only avoids float64 upcasts so that a float32 run
stays float32 (the parameters are created in the run's dtype).
"""

from __future__ import annotations

import numpy as np


class LayerDense:
    def __init__(self, weights: np.ndarray, biases: np.ndarray) -> None:
        self.weights = weights.copy()
        self.biases = biases.reshape(1, -1).copy()

    def forward(self, inputs: np.ndarray) -> None:
        self.inputs = inputs
        self.output = np.dot(inputs, self.weights) + self.biases

    def backward(self, dvalues: np.ndarray) -> None:
        self.dweights = np.dot(self.inputs.T, dvalues)
        self.dbiases = np.sum(dvalues, axis=0, keepdims=True)
        self.dinputs = np.dot(dvalues, self.weights.T)


class ActivationReLU:
    def forward(self, inputs: np.ndarray) -> None:
        self.inputs = inputs
        self.output = np.maximum(0, inputs)

    def backward(self, dvalues: np.ndarray) -> None:
        self.dinputs = dvalues.copy()
        self.dinputs[self.inputs <= 0] = 0


class ActivationLinear:
    def forward(self, inputs: np.ndarray) -> None:
        self.inputs = inputs
        self.output = inputs

    def backward(self, dvalues: np.ndarray) -> None:
        self.dinputs = dvalues.copy()


class LossMeanSquaredError:
    def forward(self, y_pred: np.ndarray, y_true: np.ndarray) -> np.ndarray:
        return np.mean((y_true - y_pred) ** 2, axis=-1)

    def calculate(self, output: np.ndarray, y: np.ndarray) -> float:
        return float(np.mean(self.forward(output, y)))

    def backward(self, dvalues: np.ndarray, y_true: np.ndarray) -> None:
        samples = len(dvalues)
        outputs = len(dvalues[0])
        self.dinputs = -2 * (y_true - dvalues) / outputs
        self.dinputs = self.dinputs / samples


class OptimizerSGD:
    def __init__(self, learning_rate: float) -> None:
        self.learning_rate = learning_rate

    def update_params(self, layer: LayerDense) -> None:
        layer.weights += -self.learning_rate * layer.dweights
        layer.biases += -self.learning_rate * layer.dbiases


class Network:
    """Dense+ReLU hidden layers and a Dense+Linear output, from given initial parameters."""

    def __init__(self, params: list[tuple[np.ndarray, np.ndarray]], learning_rate: float) -> None:
        self.layers = []
        for i, (weights, biases) in enumerate(params):
            self.layers.append(LayerDense(weights, biases))
            self.layers.append(ActivationReLU() if i < len(params) - 1 else ActivationLinear())
        self.loss_function = LossMeanSquaredError()
        self.optimizer = OptimizerSGD(learning_rate)

    def forward(self, X: np.ndarray) -> np.ndarray:
        output = X
        for layer in self.layers:
            layer.forward(output)
            output = layer.output
        return output

    def train(self, X: np.ndarray, y: np.ndarray, epochs: int, batch_size: int, seed: int = 0) -> list[float]:
        """Mini-batch SGD, a fresh random order of the samples every epoch; returns the epoch losses."""
        rng = np.random.default_rng(seed)
        history = []
        for _ in range(epochs):
            order = rng.permutation(len(X))
            losses = []
            for start in range(0, len(X), batch_size):
                batch = order[start : start + batch_size]
                X_batch, y_batch = X[batch], y[batch]
                output = self.forward(X_batch)
                losses.append(self.loss_function.calculate(output, y_batch))
                self.loss_function.backward(output, y_batch)
                dvalues = self.loss_function.dinputs
                for layer in reversed(self.layers):
                    layer.backward(dvalues)
                    dvalues = layer.dinputs
                for layer in self.layers:
                    if isinstance(layer, LayerDense):
                        self.optimizer.update_params(layer)
            history.append(float(np.mean(losses)))
        return history
