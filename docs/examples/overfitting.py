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
# # What overfitting looks like
#
# The *Evaluation* chapter trains a wide network on a handful of noisy sine
# samples and checks, with asserts, that its validation loss turns back up
# while its training loss keeps falling. This page runs the same experiment
# and draws it: the two loss curves, and the fitted curve early (at the
# best validation epoch) and late. It also explains the spikes in the
# training curve.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

import nnbook as nb

# %% [markdown]
# ## Few samples, many parameters
#
# A few training samples with strong noise, more samples for validation,
# and the book's sine network with two hidden layers: far more parameters
# than training numbers (the cell prints both). Every step uses the full
# training set: one step per epoch, always the same gradient formula, no
# sampling noise.

# %%
N_TRAIN, N_VAL, NOISE = 15, 100, 0.3
LEARNING_RATE, EPOCHS = 0.1, 2000
total = N_TRAIN + 2 * N_VAL  # the split's test part stays unused
X, y = nb.datasets.sine(total, noise=NOISE, rng=1)
splits = nb.datasets.train_val_test_split(
    X, y, val_fraction=N_VAL / total, test_fraction=N_VAL / total, rng=0
)
(X_train, y_train), (X_val, y_val), _ = splits
assert len(X_train) == N_TRAIN and len(X_val) == N_VAL


def make_model(learning_rate=LEARNING_RATE):
    # He's start, larger than the default Glorot's: it lowers the largest
    # stable learning rate (the optimization chapter), so r = 0.1 spikes.
    return nb.Model(
        [
            nb.Dense(1, 64, rng=0, init="he"),
            nb.ReLU(),
            nb.Dense(64, 64, rng=1, init="he"),
            nb.ReLU(),
            nb.Dense(64, 1, rng=2, init="he"),
            nb.Linear(),
        ],
        optimizer=nb.SGD(learning_rate=learning_rate),
    )


def train(model, epochs=EPOCHS):
    """Full-batch training: one step per epoch, on all training samples."""
    return model.fit(
        X_train,
        y_train,
        epochs=epochs,
        batch_size=len(X_train),
        validation_data=(X_val, y_val),
        verbose=0,
        rng=0,
    ).history


model = make_model()
n_parameters = sum(
    layer.weights.size + layer.biases.size for layer in model.trainable
)
history = train(model)
train_loss = np.array(history["loss"])
val_loss = np.array(history["val_loss"])
best = int(val_loss.argmin())
print(f"{n_parameters} parameters, {len(X_train)} training samples, "
      f"{len(X_val)} validation samples, noise {NOISE}")
print(f"{EPOCHS} full-batch steps at learning rate {LEARNING_RATE}")

# %% [markdown]
# ## The loss curves part ways

# %%
epochs = np.arange(1, EPOCHS + 1)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(epochs, train_loss, label="training loss")
ax.plot(epochs, val_loss, label="validation loss")
ax.axvline(best + 1, color="grey", linestyle="--", linewidth=1,
           label="best validation epoch")
ax.set(xlabel="epoch", ylabel="mean squared error", yscale="log")
ax.legend()
plt.show()

# %% [markdown]
# ## Where the spikes come from
#
# The training curve is not smooth: again and again the loss jumps up
# within an epoch or two (the cell below prints the largest jump), then
# falls back. That is not noise from sampling, since every step sees the
# same training samples. It is the step size. Gradient descent lowers a
# smooth loss only while the learning rate is small against the loss's
# curvature: on a parabola of curvature λ a step shrinks the error only if
# r < 2/λ, and overshoots, growing it, beyond. As the network squeezes its
# curve through the training points, the valley it sits in can get steeper
# until the full-batch step (`LEARNING_RATE` in the code) overshoots: the
# loss jumps, the weights land on a flatter slope, and descent starts
# again. Full-batch training at this learning rate is unstable.
#
# The cell below shows it. It counts the epochs where the training loss
# rose by more than a tenth (the `factor` in the code) over the epoch
# before, and trains the same network again at a smaller learning rate.

# %%
SMALL_RATE = 0.02


def spikes(losses, factor=1.1):
    """Epochs whose loss is above `factor` times the epoch before."""
    losses = np.asarray(losses)
    return int(np.sum(losses[1:] > factor * losses[:-1]))


slow = train(make_model(SMALL_RATE))
slow_loss = np.array(slow["loss"])
fast_spikes, slow_spikes = spikes(train_loss), spikes(slow_loss)
print(f"learning rate {LEARNING_RATE}: {fast_spikes} spikes, "
      f"final training loss {train_loss[-1]:.3f}")
print(f"learning rate {SMALL_RATE}: {slow_spikes} spikes, "
      f"final training loss {slow_loss[-1]:.3f}")
SETTLED = 100  # skip the first epochs, where every curve drops fast
jumps = train_loss[SETTLED + 1:] / train_loss[SETTLED:-1]
print(f"r = {LEARNING_RATE}, after epoch {SETTLED}: the loss grows "
      f"up to {jumps.max():.1f}-fold in one epoch")
assert fast_spikes > 10 and slow_spikes == 0
assert slow_loss[-1] > 5 * train_loss[-1]  # smooth, but far slower

fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(epochs, train_loss, label=f"r = {LEARNING_RATE}")
ax.plot(epochs, slow_loss, label=f"r = {SMALL_RATE}")
ax.set(xlabel="epoch", ylabel="training MSE", yscale="log",
       title="Full-batch training at two learning rates")
ax.legend()
plt.show()

# %% [markdown]
# At the smaller rate the training loss falls smoothly, without a single
# spike, but slowly: in the same number of steps it does not get anywhere
# near the training points, let alone overfit them. The spikes are the
# price of the fast rate, and they do not stop the overfitting this page is
# about.

# %% [markdown]
# ## Early and late fits
#
# Training is seeded, so a second model trained for exactly the best number
# of epochs has the weights the first one had at that epoch.

# %%
early = make_model()
train(early, epochs=best + 1)
early_val = early.evaluate(X_val, y_val)["loss"]
assert np.isclose(early_val, val_loss[best], rtol=1e-12)

grid = np.linspace(0, 1, 400).reshape(-1, 1)  # (400, 1)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.scatter(X_val[:, 0], y_val[:, 0], s=8, alpha=0.3, color="grey",
           label="validation data")
ax.scatter(X_train[:, 0], y_train[:, 0], s=30, color="black",
           label="training data")
ax.plot(grid[:, 0], early.predict(grid)[:, 0], linewidth=2,
        label=f"after {best + 1} epochs")
ax.plot(grid[:, 0], model.predict(grid)[:, 0], linewidth=2,
        label=f"after {EPOCHS} epochs")
ax.set(xlabel="x", ylabel="y")
ax.legend()
plt.show()

# %% [markdown]
# ## In numbers

# %%
assert train_loss[-1] < train_loss[best] / 2
assert val_loss[-1] > val_loss[best] * 1.2
fall = train_loss[best] / train_loss[-1]
rise = val_loss[-1] / val_loss[best] - 1
display(
    Markdown(
        f"The validation loss is lowest at epoch {best + 1}: "
        f"{val_loss[best]:.3f} (training loss {train_loss[best]:.3f}). "
        f"By epoch {EPOCHS} the training loss has fallen to "
        f"{train_loss[-1]:.3f}, {fall:.1f} times lower, while the "
        f"validation loss has risen to {val_loss[-1]:.3f}, {rise:.0%} "
        "higher. The late curve bends toward the individual training "
        "points: it has learned their noise, which no new sample shares."
    )
)

# %% [markdown]
# ## Exercises
#
# Each exercise is marked with its difficulty, (★) to (★★★), as in the
# chapters. The solutions are folded: try first, then open them.
#
# **1. Predict, then run: more parameters than samples.** (★) Before
# running: how many parameters does the network have per training sample?

# %% [markdown] tags=["solution"]
# The network has `n_parameters` numbers to fit `N_TRAIN` = 15 samples:
# hundreds per sample, enough to pass through every training point.

# %% tags=["solution"]
per_sample = n_parameters / N_TRAIN
print(f"{n_parameters} parameters, {per_sample:.0f} per training sample")
assert per_sample > 100

# %% [markdown]
# **2. Derive: the best a model can do.** (★★) The targets carry noise of
# standard deviation `NOISE` = 0.3. Derive the validation MSE that even the
# true curve scores, and check that the best validation loss of the run
# stays above most of it.

# %% [markdown] tags=["solution"]
# The true curve's errors are the noise itself: an expected MSE of
# $0.3^2 = 0.09$. No model can beat that on new noise, except by luck of
# the 100 validation samples, so the best validation loss lies above it.

# %% tags=["solution"]
perfect = float(np.mean((np.sin(2 * np.pi * X_val) - y_val) ** 2))
print(f"true curve {perfect:.3f}, noise² {NOISE**2:.3f}, "
      f"best validation loss {val_loss.min():.3f}")
assert 0.6 * NOISE**2 < perfect < 1.4 * NOISE**2
assert val_loss.min() > 0.8 * perfect
