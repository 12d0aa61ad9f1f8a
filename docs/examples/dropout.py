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
# The [Dropout chapter](../../regularization/dropout/) builds the layer and checks its
# mechanics. This page asks what it does to training: a hidden layer of 128 units on
# scikit-learn's 8×8 digits (the data and split of the [digits example](../digits/)),
# trained three times with the same seeds, with no dropout and with rates 0.2 and 0.5
# on the hidden layer. The numbers in the text are generated from the runs.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display
from sklearn.datasets import load_digits

import nnbook as nb

# %% [markdown]
# ## Data
#
# `X` is `(1797, 64)`, one row of 64 pixels per image; the targets are one-hot, `(1797, 10)`.
# 60 % training, 20 % validation, 20 % test, standardized with the training part's statistics.

# %%
digits = load_digits()
X, Y = digits.data, nb.one_hot(digits.target, 10)  # (1797, 64), (1797, 10)
(X_train, Y_train), (X_val, Y_val), (X_test, Y_test) = nb.datasets.train_val_test_split(
    X, Y, val_fraction=0.2, test_fraction=0.2, rng=0
)
mean, std = X_train.mean(axis=0), X_train.std(axis=0)
std[std == 0] = 1.0  # border pixels that are always 0 in training
X_train, X_val, X_test = (X_train - mean) / std, (X_val - mean) / std, (X_test - mean) / std
print("train", X_train.shape, "val", X_val.shape, "test", X_test.shape)

# %% [markdown]
# ## What a mask looks like
#
# One training-mode pass of a dropout layer over the hidden layer's output for a batch of
# 32 images: the mask is `(32, 128)`, one row per image, one column per hidden unit.
# Dark cells are the units silenced for that image on that step; every row loses a
# different set.

# %%
hidden = np.maximum(X_train[:32] @ nb.Dense(64, 128, rng=0).weights, 0)  # (32, 128)
fig, axes = plt.subplots(1, 2, figsize=(10, 2.8))
for ax, rate in zip(axes, (0.2, 0.5), strict=True):
    layer = nb.Dropout(rate, rng=0)
    layer.training = True
    layer.forward(hidden)
    kept = layer.mask > 0  # (32, 128)
    ax.imshow(kept, cmap="gray", aspect="auto", interpolation="nearest")
    ax.set(title=f"rate {rate}: {1 - kept.mean():.0%} dropped", xlabel="hidden unit", ylabel="image in the batch")
plt.tight_layout()
plt.show()

# %% [markdown]
# ## Three runs
#
# 64 → 128 (ReLU) → dropout → 10 logits, softmax cross-entropy, SGD with a learning rate
# of 0.1, batches of 32, 60 epochs. Every run starts from the same weights and sees the
# batches in the same order; only the dropout rate differs.

# %%
EPOCHS, RATES = 60, (0.0, 0.2, 0.5)


def make_model(rate):
    return nb.Model(
        [nb.Dense(64, 128, rng=0), nb.ReLU(), nb.Dropout(rate, rng=2), nb.Dense(128, 10, rng=1)],
        loss=nb.SoftmaxCrossEntropy(),
        optimizer=nb.SGD(learning_rate=0.1),
    )


runs = {}
for rate in RATES:
    model = make_model(rate)
    history = model.fit(
        X_train, Y_train, epochs=EPOCHS, batch_size=32, validation_data=(X_val, Y_val), verbose=0, rng=0
    )
    runs[rate] = {
        "history": history.history,
        "train": model.evaluate(X_train, Y_train),  # the whole network, no unit dropped
        "val": model.evaluate(X_val, Y_val),
        "test": model.evaluate(X_test, Y_test),
    }

# %% [markdown]
# ## The loss curves
#
# Left, the training loss as `fit` reports it: measured on each step's predictions, so
# with units dropped. Right, the validation loss, always with the whole network.

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5), sharey=True)
for rate, run in runs.items():
    left.plot(run["history"]["loss"], label=f"rate {rate}")
    right.plot(run["history"]["val_loss"], label=f"rate {rate}")
left.set(xlabel="epoch", ylabel="cross-entropy", yscale="log", title="Training (as fit reports it)")
right.set(xlabel="epoch", yscale="log", title="Validation")
for ax in (left, right):
    ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## In numbers
#
# "Training" here is `evaluate` on the training part after training: the whole network,
# like validation and test, so the three columns compare like with like.

# %%
rows = "\n".join(
    f"| {rate} | {run['train']['loss']:.4f} | {run['val']['loss']:.4f} | {run['test']['loss']:.4f} "
    f"| {run['test']['categorical_accuracy']:.3f} |"
    for rate, run in runs.items()
)
display(Markdown(
    "| dropout rate | training loss | validation loss | test loss | test accuracy |\n"
    "|---:|---:|---:|---:|---:|\n" + rows
))

# %%
fit_losses = [runs[rate]["history"]["loss"][-1] for rate in RATES]  # last epoch, units dropped
assert fit_losses == sorted(fit_losses), "a thinner network should fit its batches less well"
n_test = len(X_test)
accuracies = {rate: run["test"]["categorical_accuracy"] for rate, run in runs.items()}
images = {rate: round((accuracies[rate] - accuracies[0.0]) * n_test) for rate in RATES}
val = {rate: run["val"]["loss"] for rate, run in runs.items()}


def images_right(rate):
    change = images[rate]
    if change == 0:
        return "the same number of images right as"
    return f"{abs(change)} {'more' if change > 0 else 'fewer'} image{'s' if abs(change) > 1 else ''} right than"


def compared(rate):
    word = "lower" if val[rate] < val[0.0] else "higher"
    return f"{val[rate]:.3f} with a rate of {rate} ({word})"


display(Markdown(
    "As `fit` reports it, the last epoch's training loss grows with the rate: "
    + ", ".join(f"{loss:.4f} at {rate}" for rate, loss in zip(RATES, fit_losses, strict=True))
    + ". Each step trains a thinned network, which fits its batch less well. "
    f"The validation loss is {val[0.0]:.3f} without dropout, {compared(0.2)} and {compared(0.5)}. "
    f"On the {n_test} test images, a rate of 0.2 gets {images_right(0.2)} no dropout, and a rate of 0.5 "
    f"gets {images_right(0.5)} no dropout."
))

# %% [markdown]
# ## What to make of it
#
# On a network this small, on a data set this easy, dropout changes the test results by a
# few images, in one direction or the other. Rerun with other seeds for the masks and the
# sign of the difference can flip. That is an honest result, not a failure of the layer:
# dropout was made for large networks that overfit badly, where silencing units on every
# step keeps them from memorizing their training set. A small network that already
# generalizes well has little to gain, and the noise dropout adds to each step can cost as
# much as it saves. Try a much wider hidden layer, fewer training images, or more epochs,
# and watch the validation curves.
