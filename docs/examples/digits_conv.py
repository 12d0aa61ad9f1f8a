# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Handwritten digits with Conv2D
#
# The [digits example](../digits/) classifies scikit-learn's 8×8 digits with
# an MLP that reads each image as 64 unrelated numbers. Here the same
# images go through two small convolutional networks, one with pooling, from
# [Part IV](../../convolution/conv2d/), next to nnbook's MLP and
# scikit-learn's `MLPClassifier`, **on the same split, with the same
# inputs**. Every number on the page is computed when the site is built.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display
from sklearn.datasets import load_digits
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits

import nnbook as nb

# One BLAS thread: for matrices this small, more threads only add overhead.
threadpool_limits(1)

# %% [markdown]
# ## Data
#
# The split and the standardization of the digits example: 60 % training,
# 20 % validation, 20 % test, features scaled with the training part's mean
# and standard deviation. The MLPs read the 64 scaled pixels as a row,
# `(k, 64)`; the CNN reads the very same numbers as an image,
# `(k, 8, 8, 1)`: height, width and one channel.

# %%
digits = load_digits()
X, Y = digits.data, nb.one_hot(digits.target, 10)  # (1797, 64), (1797, 10)
split = nb.datasets.train_val_test_split(
    X, Y, val_fraction=0.2, test_fraction=0.2, rng=0
)
(X_train, Y_train), (X_val, Y_val), (X_test, Y_test) = split
mean, std = X_train.mean(axis=0), X_train.std(axis=0)
std[std == 0] = 1.0  # pixels that are always 0 in training


def rows(A):
    """(k, 64) raw pixels -> (k, 64) standardized, for the MLPs."""
    return (A - mean) / std


def images(A):
    """(k, 64) raw pixels -> (k, 8, 8, 1) standardized, for the CNN."""
    return rows(A).reshape(-1, 8, 8, 1)


print("train", images(X_train).shape, "val", images(X_val).shape,
      "test", images(X_test).shape)

# %% [markdown]
# ## Four models
#
# - **nnbook MLP**: 64 → 64 (ReLU) → 10, as in the digits example;
# - **nnbook CNN**: `Conv2D(1, 8, 3, padding=1)` keeps the 8×8 size and
#   makes 8 feature maps; `Conv2D(8, 16, 3, stride=2, padding=1)` halves
#   it to 4×4 with 16 maps; `Flatten` gives 256 values for `Dense(256, 10)`;
# - **nnbook pooled CNN**, the usual shape of a CNN from the
#   [Pooling](../../convolution/pooling/) chapter: two convolutions with
#   `padding="same"`, each followed by ReLU and `MaxPool2D(2)`, which
#   halves the size (8×8, 4×4, then 2×2 with 16 maps): `Dense(64, 10)`
#   reads a quarter as many values as the CNN's last layer;
# - **scikit-learn** `MLPClassifier` with one hidden layer of 64 and its
#   defaults (Adam, a small L2 penalty, its own stopping rule).
#
# The nnbook models train with Adam (learning rate 0.005) for 15 epochs of
# batches of 32, and keep track of the validation accuracy.

# %%
EPOCHS = 15


def train(layers, inputs):
    model = nb.Model(layers, loss=nb.SoftmaxCrossEntropy(),
                     optimizer=nb.Adam(learning_rate=0.005))
    history = model.fit(inputs(X_train), Y_train, epochs=EPOCHS,
                        batch_size=32, rng=0, verbose=0,
                        validation_data=(inputs(X_val), Y_val))
    return model, history.history


mlp, mlp_history = train(
    [nb.Dense(64, 64, rng=0), nb.ReLU(), nb.Dense(64, 10, rng=1)], rows
)
cnn, cnn_history = train(
    [
        # (k, 8, 8, 1) -> (k, 8, 8, 8)
        nb.Conv2D(1, 8, 3, padding=1, rng=0),
        nb.ReLU(),
        # -> (k, 4, 4, 16)
        nb.Conv2D(8, 16, 3, stride=2, padding=1, rng=1),
        nb.ReLU(),
        nb.Flatten(),  # -> (k, 256)
        nb.Dense(256, 10, rng=2),  # -> (k, 10)
    ],
    images,
)
pooled, pooled_history = train(
    [
        # (k, 8, 8, 1) -> (k, 8, 8, 8) -> (k, 4, 4, 8)
        nb.Conv2D(1, 8, 3, padding="same", rng=0),
        nb.ReLU(),
        nb.MaxPool2D(2),
        # -> (k, 4, 4, 16) -> (k, 2, 2, 16)
        nb.Conv2D(8, 16, 3, padding="same", rng=1),
        nb.ReLU(),
        nb.MaxPool2D(2),
        nb.Flatten(),  # -> (k, 64)
        nb.Dense(64, 10, rng=2),  # -> (k, 10)
    ],
    images,
)
sklearn_mlp = MLPClassifier(hidden_layer_sizes=(64,), random_state=0,
                            max_iter=200)
sklearn_mlp.fit(rows(X_train), Y_train.argmax(axis=1))
print(f"MLPClassifier stopped after {sklearn_mlp.n_iter_} epochs")

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
epochs = np.arange(1, EPOCHS + 1)
histories = {"nnbook MLP": mlp_history, "nnbook CNN": cnn_history,
             "nnbook pooled CNN": pooled_history}
for name, history in histories.items():
    ax.plot(epochs, history["val_categorical_accuracy"], label=name)
ax.set_xlabel("epoch")
ax.set_ylabel("validation accuracy")
ax.set_title("Digits: validation accuracy during training")
ax.legend()
assert cnn_history["val_categorical_accuracy"][-1] > 0.9
assert pooled_history["val_categorical_accuracy"][-1] > 0.9

# %% [markdown]
# ## On the test images

# %%
labels = Y_test.argmax(axis=1)


def accuracy_on_test(model, inputs):
    return model.evaluate(inputs(X_test), Y_test)["categorical_accuracy"]


sklearn_predicted = sklearn_mlp.predict(rows(X_test))
sklearn_accuracy = float(np.mean(sklearn_predicted == labels))
accuracy = {
    "nnbook MLP": accuracy_on_test(mlp, rows),
    "nnbook CNN": accuracy_on_test(cnn, images),
    "nnbook pooled CNN": accuracy_on_test(pooled, images),
    "scikit-learn MLPClassifier": sklearn_accuracy,
}


def parameters(model):
    return sum(layer.weights.size + layer.biases.size
               for layer in model.trainable)


sizes = {
    "nnbook MLP": parameters(mlp),
    "nnbook CNN": parameters(cnn),
    "nnbook pooled CNN": parameters(pooled),
    "scikit-learn MLPClassifier": sum(
        w.size for w in sklearn_mlp.coefs_ + sklearn_mlp.intercepts_
    ),
}
table = ["| model | parameters | test accuracy | wrong test images |",
         "|---|---:|---:|---:|"]
for name, value in accuracy.items():
    wrong = round((1 - value) * len(labels))
    table.append(f"| {name} | {sizes[name]} | {value:.3f} | {wrong} |")
display(Markdown("\n".join(table)))
assert sizes["nnbook MLP"] == sizes["scikit-learn MLPClassifier"] == 4810
# 3 * 3 * 1 * 8 + 8 = 80, 3 * 3 * 8 * 16 + 16 = 1168, and the Dense layer:
assert sizes["nnbook CNN"] == 80 + 1168 + 256 * 10 + 10 == 3818
assert sizes["nnbook pooled CNN"] == 80 + 1168 + 64 * 10 + 10 == 1898
assert min(accuracy.values()) > 0.9

# %% [markdown]
# Some test images the CNN gets wrong, with its answer:

# %%
predicted = cnn.predict(images(X_test)).argmax(axis=1)
wrong = np.flatnonzero(predicted != labels)
print(f"the CNN misclassifies {len(wrong)} of {len(labels)} test images")
shown = wrong[:6]
fig, axes = plt.subplots(1, 6, figsize=(8, 1.9))
for ax in axes:
    ax.axis("off")
for ax, i in zip(axes, shown, strict=False):
    ax.imshow(X_test[i].reshape(8, 8), cmap="gray_r")
    ax.set_title(f"true {labels[i]}, said {predicted[i]}", fontsize=9)
fig.suptitle("Test digits the CNN misclassifies (8 × 8 pixels)")
assert all(predicted[i] != labels[i] for i in shown)

# %% [markdown]
# ## Verdict

# %%
best = max(accuracy, key=accuracy.get)
gap_images = round((accuracy["nnbook CNN"] - accuracy["nnbook MLP"])
                   * len(labels))
if gap_images > 2:
    cnn_says = f"the CNN gets {gap_images} more test images right than"
elif gap_images < -2:
    cnn_says = f"the CNN gets {-gap_images} fewer test images right than"
else:
    cnn_says = "the CNN is level with (within two test images of)"
pooled_gap = round((accuracy["nnbook pooled CNN"] - accuracy["nnbook CNN"])
                   * len(labels))
if pooled_gap > 2:
    pooled_says = f"gets {pooled_gap} more test images right than"
elif pooled_gap < -2:
    pooled_says = f"gets {-pooled_gap} fewer test images right than"
else:
    pooled_says = "is level with (within two test images of)"
display(Markdown(
    f"On {len(labels)} test images (one image is "
    f"{100 / len(labels):.2f} percentage points), {cnn_says} "
    f"nnbook's MLP; "
    f"the best of the four here is **{best}** "
    f"({accuracy[best]:.1%}). The pooled CNN, with "
    f"{sizes['nnbook pooled CNN']} parameters against the CNN's "
    f"{sizes['nnbook CNN']}, {pooled_says} the CNN: max pooling "
    f"replaces the strided convolution's learned downsampling by a fixed "
    f"one, and the classifier reads 64 values instead of 256. "
    f"Images of 8 × 8 pixels leave a convolution "
    f"little room: a 3 × 3 filter already covers a good part of a digit, "
    f"and a one-layer MLP does well on them. The "
    f"[MNIST-1D example](../mnist-1d/), built to tell models apart, shows "
    f"the gap a convolution's assumptions make."
))

# %% [markdown]
# ## Exercises
#
# Each exercise is marked with its difficulty, (★) to (★★★), as in the
# chapters. The solutions are folded: try first, then open them.
#
# **1. Derive: the CNN's parameters.** (★★) From the layer list above,
# derive the number of parameters of the CNN, layer by layer, and compare
# with the MLP's 4810.

# %% [markdown] tags=["solution"]
# A `Conv2D(c_in, c_out, 3)` has $3 \cdot 3 \cdot c_{in} c_{out} + c_{out}$
# parameters: $9 \cdot 1 \cdot 8 + 8 = 80$ and
# $9 \cdot 8 \cdot 16 + 16 = 1168$. `Flatten` has none, and
# `Dense(256, 10)` has $256 \cdot 10 + 10 = 2570$: 3818 in all, fewer than
# the MLP's 4810.

# %% tags=["solution"]
derived = (9 * 1 * 8 + 8) + (9 * 8 * 16 + 16) + (256 * 10 + 10)
print(derived, "derived,", sizes["nnbook CNN"], "counted")
assert derived == sizes["nnbook CNN"] == 3818

# %% [markdown]
# **2. Predict, then run: the shapes on the way.** (★) Predict the shape
# of the activations after each layer of the CNN for a batch of 5 images,
# then print them.

# %% [markdown] tags=["solution"]
# `(5, 8, 8, 1)` in; padding 1 keeps 8 × 8 with 8 maps, `(5, 8, 8, 8)`;
# stride 2 halves it, $\lfloor (8 + 2 - 3) / 2 \rfloor + 1 = 4$, to
# `(5, 4, 4, 16)`; `Flatten` gives `(5, 256)`; the last `Dense` `(5, 10)`.

# %% tags=["solution"]
activation = images(X_test[:5])
shapes = [activation.shape]
for layer in cnn.layers:
    activation = layer.forward(activation)
    shapes.append(activation.shape)
print(shapes)
assert (5, 4, 4, 16) in shapes and (5, 256) in shapes
assert shapes[-1] == (5, 10)
