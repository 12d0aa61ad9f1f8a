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
# # Handwritten digits: nnbook next to scikit-learn
#
# scikit-learn ships a small image data set inside its package: handwritten
# digits, each an 8×8 grid of gray levels (the first cell prints how many,
# and their range). Nothing is downloaded. We train a classifier from
# [Part III](../../classification/softmax/) (a hidden ReLU layer, 10
# logits, `SoftmaxCrossEntropy`) and compare it with scikit-learn's
# `MLPClassifier` **on the same split**. Every number and every sentence
# that compares the two is computed when the site is built.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display
from sklearn.datasets import load_digits
from sklearn.neural_network import MLPClassifier

import nnbook as nb

# %% [markdown]
# ## Data, split and standardization
#
# Each image becomes a row of 64 features, so `X` is `(k, 64)`; the labels
# `(k,)` become one-hot targets `(k, 10)`. One seeded split into training,
# validation and test parts (fractions and shapes printed below), used by
# both models. Features are standardized with the training part's mean and
# standard deviation (a few border pixels are always 0 in training: their
# standard deviation is replaced by 1 so that nothing divides by zero).

# %%
digits = load_digits()
X, labels = digits.data, digits.target  # (k, 64), (k,)
Y = nb.one_hot(labels, 10)  # (k, 10)
print(f"{len(X)} images, gray levels from {X.min():.0f} to {X.max():.0f}")
VAL_FRACTION = TEST_FRACTION = 0.2
splits = nb.datasets.train_val_test_split(
    X, Y, val_fraction=VAL_FRACTION, test_fraction=TEST_FRACTION, rng=0
)
(X_train, Y_train), (X_val, Y_val), (X_test, Y_test) = splits
mean, std = X_train.mean(axis=0), X_train.std(axis=0)
std[std == 0] = 1.0


def scale(A):
    return (A - mean) / std


print(f"validation fraction {VAL_FRACTION}, test fraction {TEST_FRACTION}")
print("X", X.shape, "Y", Y.shape, "| train", X_train.shape,
      "val", X_val.shape, "test", X_test.shape)
assert X.shape == (1797, 64) and Y.shape == (1797, 10)

# %% [markdown]
# ## Training nnbook
#
# 64 inputs → one hidden ReLU layer → 10 logits (the cell prints the
# sizes and settings). The loss applies the softmax itself and hands the
# gradient (ŷ − y)/k to the last `Dense` layer. `fit` records the loss and
# the categorical accuracy (the metric this loss asks for by default) on
# the training and the validation part each epoch.

# %%
HIDDEN, EPOCHS, BATCH_SIZE, LEARNING_RATE = 64, 40, 32, 0.1
model = nb.Model(
    [nb.Dense(64, HIDDEN, rng=0), nb.ReLU(), nb.Dense(HIDDEN, 10, rng=1)],
    loss=nb.SoftmaxCrossEntropy(),
    optimizer=nb.SGD(learning_rate=LEARNING_RATE),
)
print(f"64 -> {HIDDEN} (ReLU) -> 10 logits; SGD at {LEARNING_RATE}, "
      f"batches of {BATCH_SIZE}, {EPOCHS} epochs")
history = model.fit(
    scale(X_train),
    Y_train,
    epochs=EPOCHS,
    batch_size=BATCH_SIZE,
    validation_data=(scale(X_val), Y_val),
    verbose=0,
    rng=0,
)
h = history.history
print(f"after {EPOCHS} epochs: training accuracy "
      f"{h['categorical_accuracy'][-1]:.3f}, validation accuracy "
      f"{h['val_categorical_accuracy'][-1]:.3f}")

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.5))
left.plot(h["loss"], label="training")
left.plot(h["val_loss"], label="validation")
left.set(xlabel="epoch", ylabel="cross-entropy", title="Loss")
right.plot(h["categorical_accuracy"], label="training")
right.plot(h["val_categorical_accuracy"], label="validation")
right.set(xlabel="epoch", ylabel="accuracy", title="Accuracy")
for ax in (left, right):
    ax.legend()
plt.tight_layout()
plt.show()

# %% [markdown]
# ## The baseline
#
# `MLPClassifier` gets the same architecture (one hidden layer of as many
# ReLU neurons) and its defaults otherwise: the Adam optimizer, a small L2
# penalty, a maximum number of epochs (`max_iter`, in the code) with its
# own stopping rule. It trains on the same standardized training part.

# %%
mlp = MLPClassifier(hidden_layer_sizes=(HIDDEN,), random_state=0,
                    max_iter=200)
mlp.fit(scale(X_train), Y_train.argmax(axis=1))
test_labels = Y_test.argmax(axis=1)
ours = model.evaluate(scale(X_test), Y_test)["categorical_accuracy"]
# logits (k, 10) -> classes (k,)
predicted = model.predict(scale(X_test)).argmax(axis=1)
assert ours == np.mean(predicted == test_labels)
theirs = float(np.mean(mlp.predict(scale(X_test)) == test_labels))
display(Markdown(
    "| model | test accuracy | epochs |\n|---|---:|---:|\n"
    f"| nnbook (SGD) | {ours:.3f} | {EPOCHS} |\n"
    f"| scikit-learn MLPClassifier (Adam) | {theirs:.3f} "
    f"| {mlp.n_iter_} |"
))

# %% [markdown]
# ## Verdict
#
# Generated from the table above. With a few hundred test images, one
# image is worth a fraction of a percentage point (the verdict says how
# much), so small gaps are noise.

# %%
gap = ours - theirs
n_test = len(test_labels)
wrong_ours = round((1 - ours) * n_test)
wrong_theirs = round((1 - theirs) * n_test)
if abs(gap) * n_test < 2.5:
    verdict = "the two are level: they differ by at most two test images"
elif gap > 0:
    verdict = f"nnbook is ahead by {100 * gap:.1f} percentage points"
else:
    points = f"{100 * -gap:.1f} percentage points"
    verdict = f"scikit-learn is ahead by {points}"
display(Markdown(
    f"On the {n_test} test images (one image = {100 / n_test:.2f} "
    f"percentage points) nnbook misclassifies {wrong_ours} and "
    f"`MLPClassifier` {wrong_theirs}: {verdict}. Both are a single "
    f"{HIDDEN}-neuron hidden layer; scikit-learn trains it with Adam and "
    "a small L2 penalty, nnbook here with plain SGD at a fixed learning "
    "rate (nnbook has both of scikit-learn's choices too: `nb.Adam`, and "
    "`weight_l2` on `Dense`)."
))

# %% [markdown]
# ## Confusion matrix
#
# Row i, column j: how many test images of digit i nnbook labeled j.
# The diagonal holds the correct answers. One vectorized `np.add.at` fills it.

# %%
confusion = np.zeros((10, 10), dtype=int)
np.add.at(confusion, (test_labels, predicted), 1)
assert confusion.sum() == n_test
assert np.trace(confusion) == round(ours * n_test)
fig, ax = plt.subplots(figsize=(5.5, 5))
ax.imshow(confusion, cmap="Blues")
for i, j in np.ndindex(confusion.shape):
    if confusion[i, j]:
        dark = confusion[i, j] > confusion.max() / 2
        ax.text(j, i, confusion[i, j], ha="center", va="center",
                color="white" if dark else "black")
ax.set(xticks=range(10), yticks=range(10), xlabel="predicted",
       ylabel="true", title="nnbook, test set")
plt.show()

# %% [markdown]
# ## What it got wrong
#
# The first few of the misclassified test images (the cell prints how
# many there are), with the true digit, nnbook's answer and the
# probability it gave that answer (the softmax of the logits).

# %%
logits = model.predict(scale(X_test))  # (k, 10)
probabilities = nb.Softmax().forward(logits)  # (k, 10)
wrong = np.flatnonzero(predicted != test_labels)
print(f"{len(wrong)} misclassified test images")
shown = wrong[:8]
if len(shown):
    size = (1.6 * len(shown), 2.2)
    fig, axes = plt.subplots(1, len(shown), figsize=size, squeeze=False)
    for ax, i in zip(axes[0], shown, strict=True):
        ax.imshow(X_test[i].reshape(8, 8), cmap="gray_r")
        said = probabilities[i, predicted[i]]
        title = f"true {test_labels[i]}\nsaid {predicted[i]} ({said:.0%})"
        ax.set_title(title, fontsize=9)
        ax.axis("off")
    plt.tight_layout()
    plt.show()

# %% [markdown]
# ## Exercises
#
# Each exercise is marked with its difficulty, (★) to (★★★), as in the
# chapters. The solutions are folded: try first, then open them.
#
# **1. Predict, then run: the loss of knowing nothing.** (★) A network
# whose 10 logits are equal for every image gives each digit probability
# 1/10. Predict its softmax cross-entropy loss on the test set, then run
# it.

# %% [markdown] tags=["solution"]
# Every sample loses $-\log(1/10) = \log 10 \approx 2.303$, so the mean
# does too. A trained model's loss is measured against this number.

# %% tags=["solution"]
flat = np.zeros_like(Y_test)  # (k, 10): equal logits
know_nothing = nb.SoftmaxCrossEntropy().calculate(flat, Y_test)
print(f"loss of equal logits: {know_nothing:.4f}, log 10 = "
      f"{np.log(10):.4f}")
assert np.isclose(know_nothing, np.log(10))

# %% [markdown]
# **2. Derive: the size of the network.** (★) Derive the number of
# parameters of the 64-64-10 network, then count them in `model`.

# %% [markdown] tags=["solution"]
# $(64 \cdot 64 + 64) + (64 \cdot 10 + 10) = 4160 + 650 = 4810$, the same
# as scikit-learn's MLP with one hidden layer of 64.

# %% tags=["solution"]
counted = sum(layer.weights.size + layer.biases.size
              for layer in model.trainable)
print(counted, "parameters")
assert counted == (64 * HIDDEN + HIDDEN) + (HIDDEN * 10 + 10) == 4810
