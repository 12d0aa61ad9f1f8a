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
# The sine network of the specification, trained six times from the same initial
# weights and the same shuffling, once with each optimizer of the
# [Optimizers chapter](../../implementation/optimizers/): vanilla SGD, SGD with
# momentum, SGD with a decaying learning rate, AdaGrad, RMSprop and Adam. This page is executed every
# time the site is built; the figure and the conclusion below come from that run.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

import nnbook as nb

X, y = nb.datasets.sine(1000, noise=0.05, rng=0)
(X_train, y_train), (X_val, y_val), _ = nb.datasets.train_val_test_split(
    X, y, test_fraction=0.0, rng=0
)
print("train", X_train.shape, y_train.shape, "| val", X_val.shape, y_val.shape)

# %% [markdown]
# ## Six runs
#
# Every run builds the network with the same seeds, so all six start from identical
# weights, and `fit` shuffles with the same `rng`: only the optimizer differs.
# The learning rates are common starting points for each method, not tuned.

# %%
EPOCHS = 40
OPTIMIZERS = {
    "SGD (r = 0.1)": lambda: nb.SGD(learning_rate=0.1),
    "SGD + momentum 0.9 (r = 0.05)": lambda: nb.SGDMomentum(0.05, momentum=0.9),
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
    return nb.Model(layers, loss=nb.MeanSquaredError(), optimizer=optimizer)


histories, models = {}, {}
for name, make in OPTIMIZERS.items():
    model = models[name] = sine_model(make())
    history = model.fit(
        X_train, y_train, epochs=EPOCHS, validation_data=(X_val, y_val), verbose=0, rng=0
    )
    histories[name] = history.history["val_loss"]
    print(f"{name:32s} validation loss after {EPOCHS} epochs: {histories[name][-1]:.5f}")

# %% [markdown]
# ## Loss curves
#
# Validation loss per epoch, on a logarithmic scale.

# %%
epochs = np.arange(1, EPOCHS + 1)
fig, ax = plt.subplots(figsize=(7, 3.5))
for name, losses in histories.items():
    ax.plot(epochs, losses, label=name)
ax.set(xlabel="epoch", ylabel="validation MSE", yscale="log", title="Six optimizers, same start")
ax.legend()
plt.show()

# %% [markdown]
# ## The fitted curves
#
# What each trained network predicts on a fine grid, against the true curve.

# %%
grid = np.linspace(0, 1, 400).reshape(-1, 1)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(grid[:, 0], np.sin(2 * np.pi * grid[:, 0]), color="grey", linestyle="--", label="sin(2πx)")
for name, model in models.items():
    ax.plot(grid[:, 0], model.predict(grid)[:, 0], linewidth=1.5, label=name)
ax.set(xlabel="x", ylabel="y", title=f"Predictions after {EPOCHS} epochs")
ax.legend(fontsize="small")
plt.show()

# %% [markdown]
# ## Which went lowest
#
# Generated from this run's numbers:

# %%
final = {name: losses[-1] for name, losses in histories.items()}
best = min(final, key=final.get)
worst = max(final, key=final.get)
assert all(np.isfinite(value) for value in final.values())
display(
    Markdown(
        f"After {EPOCHS} epochs the lowest validation loss is **{final[best]:.5f}**, "
        f"reached by **{best}**; the highest is {final[worst]:.5f} ({worst}). "
        "This ranking holds for this problem, these learning rates and this budget of epochs; "
        "it is not a general verdict on the methods."
    )
)
