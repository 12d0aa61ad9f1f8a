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
# # Dropout on the digits
#
# The [Dropout chapter](../../regularization/dropout/) builds the layer and
# checks its mechanics. This page asks what it does to training: a wide
# hidden layer on scikit-learn's 8×8 digits (the data and split of the
# [digits example](../digits/)), trained three times with the same seeds,
# with no dropout and with two dropout rates on the hidden layer. The
# numbers in the text are generated from the runs.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display
from sklearn.datasets import load_digits

import nnbook as nb

# %% [markdown]
# ## Data
#
# One row of 64 pixels per image, one-hot targets over the 10 digits, the
# digits example's split into training, validation and test parts (the
# cell prints the shapes), standardized with the training part's
# statistics.

# %%
digits = load_digits()
X, Y = digits.data, nb.one_hot(digits.target, 10)  # (k, 64), (k, 10)
splits = nb.datasets.train_val_test_split(
    X, Y, val_fraction=0.2, test_fraction=0.2, rng=0
)
(X_train, Y_train), (X_val, Y_val), (X_test, Y_test) = splits
mean, std = X_train.mean(axis=0), X_train.std(axis=0)
std[std == 0] = 1.0  # border pixels that are always 0 in training
X_train = (X_train - mean) / std
X_val = (X_val - mean) / std
X_test = (X_test - mean) / std
print("X", X.shape, "Y", Y.shape)
print("train", X_train.shape, "val", X_val.shape, "test", X_test.shape)

# %% [markdown]
# ## What a mask looks like
#
# One training-mode pass of a dropout layer over the hidden layer's output
# for one batch of images: the mask has one row per image and one column
# per hidden unit (the cell prints its shape). Dark cells are the units
# silenced for that image on that step; every row loses a different set.

# %%
HIDDEN, BATCH_SIZE, RATES = 128, 32, (0.0, 0.2, 0.5)
first_layer = nb.Dense(64, HIDDEN, rng=0)
hidden = np.maximum(first_layer.forward(X_train[:BATCH_SIZE]), 0)
fig, axes = plt.subplots(1, 2, figsize=(10, 2.8))
for ax, rate in zip(axes, RATES[1:], strict=True):
    layer = nb.Dropout(rate, rng=0)
    layer.training = True
    layer.forward(hidden)
    kept = layer.mask > 0  # (batch, hidden units)
    ax.imshow(kept, cmap="gray", aspect="auto", interpolation="nearest")
    ax.set(title=f"rate {rate}: {1 - kept.mean():.0%} dropped",
           xlabel="hidden unit", ylabel="image in the batch")
plt.tight_layout()
plt.show()
print("mask shape (images, hidden units):", kept.shape)

# %% [markdown]
# ## Three runs
#
# 64 inputs → hidden ReLU layer → dropout → 10 logits, softmax
# cross-entropy, plain SGD; the cell prints the sizes and settings. Every
# run starts from the same weights and sees the batches in the same order;
# only the dropout rate differs.

# %%
EPOCHS, LEARNING_RATE = 60, 0.1


def make_model(rate):
    return nb.Model(
        [
            nb.Dense(64, HIDDEN, rng=0),
            nb.ReLU(),
            nb.Dropout(rate, rng=2),
            nb.Dense(HIDDEN, 10, rng=1),
        ],
        loss=nb.SoftmaxCrossEntropy(),
        optimizer=nb.SGD(learning_rate=LEARNING_RATE),
    )


print(f"64 -> {HIDDEN} (ReLU) -> dropout -> 10, rates {RATES}")
print(f"SGD at {LEARNING_RATE}, batches of {BATCH_SIZE}, {EPOCHS} epochs")
runs = {}
for rate in RATES:
    model = make_model(rate)
    history = model.fit(
        X_train,
        Y_train,
        epochs=EPOCHS,
        batch_size=BATCH_SIZE,
        validation_data=(X_val, Y_val),
        verbose=0,
        rng=0,
    )
    runs[rate] = {
        "history": history.history,
        # the whole network, no unit dropped
        "train": model.evaluate(X_train, Y_train),
        "val": model.evaluate(X_val, Y_val),
        "test": model.evaluate(X_test, Y_test),
    }

# %% [markdown]
# ## The loss curves
#
# Left, the training loss as `fit` reports it: measured on each step's
# predictions, so with units dropped. Right, the validation loss, always
# with the whole network.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5), sharey=True)
for rate, run in runs.items():
    left.plot(run["history"]["loss"], label=f"rate {rate}")
    right.plot(run["history"]["val_loss"], label=f"rate {rate}")
left.set(xlabel="epoch", ylabel="cross-entropy", yscale="log",
         title="Training (as fit reports it)")
right.set(xlabel="epoch", yscale="log", title="Validation")
for ax in (left, right):
    ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## In numbers
#
# "Training" here is `evaluate` on the training part after training: the
# whole network, like validation and test, so the three columns compare
# like with like.

# %%
header = (
    "| dropout rate | training loss | validation loss | test loss "
    "| test accuracy |\n|---:|---:|---:|---:|---:|\n"
)
rows = []
for rate, run in runs.items():
    losses = [run[part]["loss"] for part in ("train", "val", "test")]
    accuracy = run["test"]["categorical_accuracy"]
    cells = " | ".join(f"{loss:.4f}" for loss in losses)
    rows.append(f"| {rate} | {cells} | {accuracy:.3f} |")
display(Markdown(header + "\n".join(rows)))

# %%
# last epoch, as fit reports it: units dropped
fit_losses = [runs[rate]["history"]["loss"][-1] for rate in RATES]
assert fit_losses == sorted(fit_losses), (
    "a thinner network should fit its batches less well"
)
n_test = len(X_test)
accuracies = {r: runs[r]["test"]["categorical_accuracy"] for r in RATES}
gained = {r: accuracies[r] - accuracies[0.0] for r in RATES}
images = {r: round(gained[r] * n_test) for r in RATES}
val = {rate: run["val"]["loss"] for rate, run in runs.items()}


def images_right(rate):
    change = images[rate]
    if change == 0:
        return "the same number of images right as"
    more = "more" if change > 0 else "fewer"
    plural = "s" if abs(change) > 1 else ""
    return f"{abs(change)} {more} image{plural} right than"


def compared(rate):
    word = "lower" if val[rate] < val[0.0] else "higher"
    return f"{val[rate]:.3f} with a rate of {rate} ({word})"


pairs = zip(RATES, fit_losses, strict=True)
reported = ", ".join(f"{loss:.4f} at {rate}" for rate, loss in pairs)
low, high = RATES[1], RATES[2]
display(
    Markdown(
        "As `fit` reports it, the last epoch's training loss grows with "
        f"the rate: {reported}. Each step trains a thinned network, which "
        "fits its batch less well. The validation loss is "
        f"{val[0.0]:.3f} without dropout, {compared(low)} and "
        f"{compared(high)}. On the {n_test} test images, a rate of {low} "
        f"gets {images_right(low)} no dropout, and a rate of {high} gets "
        f"{images_right(high)} no dropout."
    )
)

# %% [markdown]
# ## What to make of it
#
# On a network this small, on a data set this easy, dropout changes the
# test results by a few images, in one direction or the other. That is an
# honest result, not a failure of the layer: dropout was made for large
# networks that overfit badly, where silencing units on every step keeps
# them from memorizing their training set. A small network that already
# generalizes well has little to gain, and the noise dropout adds to each
# step can cost as much as it saves. Try a much wider hidden layer, fewer
# training images, or more epochs, and watch the validation curves.

# %% [markdown]
# ## Exercises
#
# Each exercise is marked with its difficulty, (★) to (★★★), as in the
# chapters. The solutions are folded: try first, then open them.
#
# **1. Predict, then run: dropout at prediction time.** (★) A
# `Dropout(0.5)` layer is in inference mode, as after training. Predict
# what it does to a batch, then run it.

# %% [markdown] tags=["solution"]
# Nothing: in inference mode the inputs pass unchanged, with no mask and
# no rescaling, so the trained network's predictions are deterministic.

# %% tags=["solution"]
at_rest = nb.Dropout(0.5, rng=0)
batch = X_test[:4]
print(at_rest.training, np.array_equal(at_rest.forward(batch), batch))
assert not at_rest.training
assert np.array_equal(at_rest.forward(batch), batch)

# %% [markdown]
# **2. Derive: how many units a mask keeps.** (★) For a batch of 32
# samples and 128 hidden units, derive the expected number of kept
# entries at rate 0.2, and the factor the kept ones are multiplied by.
# Check on one mask.

# %% [markdown] tags=["solution"]
# Each of the $32 \cdot 128 = 4096$ entries survives with probability
# $1 - 0.2$: about 3277 kept, with a standard deviation of
# $\sqrt{4096 \cdot 0.2 \cdot 0.8} \approx 26$. The kept ones are
# multiplied by $1 / (1 - 0.2) = 1.25$.

# %% tags=["solution"]
masker = nb.Dropout(0.2, rng=1)
masker.training = True
masker.forward(np.ones((32, 128)))
kept = int(np.count_nonzero(masker.mask))
print(kept, "kept of 4096; factors:", np.unique(masker.mask))
assert abs(kept - 0.8 * 4096) < 4 * 26
assert np.allclose(np.unique(masker.mask), [0.0, 1.25])
