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
# # Comparing optimizers
#
# The book's sine network (the one of the [sine example](../sine/); the
# specification fixes no architecture), trained six times from the same
# initial weights and the same shuffling, once with each optimizer of the
# [Optimizers chapter](../../implementation/optimizers/): vanilla SGD, SGD
# with momentum, SGD with a decaying learning rate, AdaGrad, RMSprop and
# Adam. This page is executed every time the site is built; the figures
# and the conclusion below come from that run.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

import nnbook as nb

X, y = nb.datasets.sine(1000, noise=0.05, rng=0)
splits = nb.datasets.train_val_test_split(X, y, test_fraction=0.0, rng=0)
(X_train, y_train), (X_val, y_val), _ = splits
print("train", X_train.shape, y_train.shape, "| val", X_val.shape,
      y_val.shape)

# %% [markdown]
# ## Six runs
#
# Every run builds the network with the same seeds, so all six start from
# identical weights, and `fit` shuffles with the same `rng`: only the
# optimizer differs. The learning rates (in the names below) are common
# starting points for each method, not tuned.

# %%
EPOCHS = 40
OPTIMIZERS = {
    "SGD (r = 0.1)": lambda: nb.SGD(learning_rate=0.1),
    "SGD + momentum 0.9 (r = 0.05)": lambda: nb.SGDMomentum(
        0.05, momentum=0.9
    ),
    "SGD + decay 1e-3 (r = 0.1)": lambda: nb.SGD(0.1, decay=1e-3),
    "AdaGrad (r = 0.05)": lambda: nb.AdaGrad(learning_rate=0.05),
    "RMSprop (r = 0.002)": lambda: nb.RMSprop(learning_rate=0.002),
    "Adam (r = 0.005)": lambda: nb.Adam(learning_rate=0.005),
}


def sine_model(optimizer):
    layers = [
        nb.Dense(1, 64, rng=0),
        nb.ReLU(),
        nb.Dense(64, 64, rng=1),
        nb.ReLU(),
        nb.Dense(64, 1, rng=2),
        nb.Linear(),
    ]
    loss = nb.MeanSquaredError()
    return nb.Model(layers, loss=loss, optimizer=optimizer)


histories, models = {}, {}
print(f"validation loss after {EPOCHS} epochs:")
for name, make in OPTIMIZERS.items():
    model = models[name] = sine_model(make())
    history = model.fit(
        X_train,
        y_train,
        epochs=EPOCHS,
        validation_data=(X_val, y_val),
        verbose=0,
        rng=0,
    )
    histories[name] = np.array(history.history["val_loss"])
    print(f"  {name:30s} {histories[name][-1]:.5f}")

# %% [markdown]
# ## Loss curves
#
# Validation loss per epoch, on a logarithmic scale.

# %%
epochs = np.arange(1, EPOCHS + 1)
fig, ax = plt.subplots(figsize=(7, 3.5))
for name, losses in histories.items():
    ax.plot(epochs, losses, label=name)
ax.set(xlabel="epoch", ylabel="validation MSE", yscale="log",
       title="Six optimizers, same start")
ax.legend()
plt.show()

# %% [markdown]
# ## One epoch is a noisy judge
#
# Near the end the curves still wobble from epoch to epoch: each epoch ends
# after a different last mini-batch, and the step it took moves the
# validation loss up or down. Ranking the optimizers by their very last
# epoch lets that wobble decide. The cell measures it: for each run, the
# spread of its last epochs relative to their mean.

# %%
TAIL = 10  # the last epochs that the comparison averages
print(f"over the last {TAIL} epochs: lowest to highest (spread / mean)")
wobble = {}
for name, losses in histories.items():
    tail = losses[-TAIL:]
    wobble[name] = (tail.max() - tail.min()) / tail.mean()
    low, high = tail.min(), tail.max()
    print(f"  {name:30s} {low:.4f} to {high:.4f} ({wobble[name]:.0%})")

# %% [markdown]
# ## The fitted curves
#
# What each trained network predicts on a fine grid, against the true
# curve.

# %%
grid = np.linspace(0, 1, 400).reshape(-1, 1)  # (400, 1)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(grid[:, 0], np.sin(2 * np.pi * grid[:, 0]), color="grey",
        linestyle="--", label="sin(2πx)")
for name, model in models.items():
    ax.plot(grid[:, 0], model.predict(grid)[:, 0], linewidth=1.5,
            label=name)
ax.set(xlabel="x", ylabel="y", title=f"Predictions after {EPOCHS} epochs")
ax.legend(fontsize="small")
plt.show()

# %% [markdown]
# ## Which went lowest
#
# Two fairer judges than the last epoch: the mean of the last epochs, and
# the lowest validation loss any epoch reached. Generated from this run's
# numbers:

# %%
tail_mean = {n: float(v[-TAIL:].mean()) for n, v in histories.items()}
lowest = {name: float(v.min()) for name, v in histories.items()}
best = min(tail_mean, key=tail_mean.get)
worst = max(tail_mean, key=tail_mean.get)
best_single = min(lowest, key=lowest.get)
assert all(np.isfinite(v).all() for v in histories.values())
same = "the same run" if best_single == best else f"**{best_single}**"
last_best = min(histories, key=lambda name: histories[name][-1])
if last_best == best:
    last_word = "The last epoch alone names the same winner."
else:
    last_word = f"The last epoch alone would have crowned {last_best}."
display(
    Markdown(
        f"Averaged over the last {TAIL} of {EPOCHS} epochs, the lowest "
        f"validation loss is **{tail_mean[best]:.5f}**, reached by "
        f"**{best}**; the highest is {tail_mean[worst]:.5f} ({worst}). "
        f"The lowest loss of any single epoch, {lowest[best_single]:.5f}, "
        f"belongs to {same}. {last_word} This ranking holds for this "
        "problem, these learning rates and this budget of epochs; it is "
        "not a general verdict on the methods."
    )
)

# %% [markdown]
# ## Exercises
#
# Each exercise is marked with its difficulty, (★) to (★★★), as in the
# chapters. The solutions are folded: try first, then open them.
#
# **1. Derive: Adam's first step.** (★★) Show that Adam's very first step
# moves every parameter by about the learning rate, whatever the size of
# its gradient, then check it on a parameter with a tiny and one with a
# huge gradient.

# %% [markdown] tags=["solution"]
# After one step the bias-corrected moments are $\hat{m} = g$ and
# $\hat{v} = g^2$, so the step is
#
# $$r \, g / (\sqrt{g^2} + \epsilon) = r \cdot \text{sign}(g)$$
#
# up to $\epsilon$. Adam's first steps all have the same size: a learning
# rate of Adam is a distance, not a factor.

# %% tags=["solution"]
theta = np.array([0.0, 0.0])
nb.Adam(learning_rate=0.01).step(theta, np.array([1e-3, 1e3]))
print("first step:", theta)
assert np.allclose(theta, [-0.01, -0.01], rtol=1e-3)

# %% [markdown]
# **2. Predict, then run: plain SGD's first step.** (★) Predict the first
# step of `nb.SGD(learning_rate=0.01)` for the same two gradients.

# %% [markdown] tags=["solution"]
# $-r g$: $-10^{-5}$ for the tiny gradient and $-10$ for the huge one, a
# million times apart. That is the gap Adam closes.

# %% tags=["solution"]
theta = np.array([0.0, 0.0])
nb.SGD(learning_rate=0.01).step(theta, np.array([1e-3, 1e3]))
print("first step:", theta)
assert np.allclose(theta, [-1e-5, -10.0])
