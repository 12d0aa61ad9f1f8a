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
# The *Evaluation* chapter trains a wide network on only 15 noisy sine samples and
# checks, with asserts, that its validation loss turns back up while its training loss
# keeps falling. This page runs the same experiment and draws it: the two loss curves,
# and the fitted curve early (at the best validation epoch) and late.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display

import nnbook as nb

# %% [markdown]
# ## Few samples, many parameters
#
# 15 training samples with noise of standard deviation 0.3, 100 validation samples, and
# a network with two hidden layers of 64 neurons: thousands of parameters for 15 numbers.
# Every step uses the full training set.

# %%
X, y = nb.datasets.sine(215, noise=0.3, rng=1)
(X_train, y_train), (X_val, y_val), _ = nb.datasets.train_val_test_split(
    X, y, val_fraction=100 / 215, test_fraction=100 / 215, rng=0
)


def make_model():
    return nb.Model(
        [
            nb.Dense(1, 64, rng=0),
            nb.ReLU(),
            nb.Dense(64, 64, rng=1),
            nb.ReLU(),
            nb.Dense(64, 1, rng=2),
            nb.Linear(),
        ],
        optimizer=nb.SGD(learning_rate=0.1),
    )


EPOCHS = 2000
model = make_model()
n_parameters = sum(layer.weights.size + layer.biases.size for layer in model.trainable)
history = model.fit(
    X_train,
    y_train,
    epochs=EPOCHS,
    batch_size=len(X_train),
    validation_data=(X_val, y_val),
    verbose=0,
    rng=0,
)
train_loss = np.array(history.history["loss"])
val_loss = np.array(history.history["val_loss"])
best = int(val_loss.argmin())
print(f"{n_parameters} parameters, {len(X_train)} training samples")

# %% [markdown]
# ## The loss curves part ways

# %%
epochs = np.arange(1, EPOCHS + 1)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(epochs, train_loss, label="training loss")
ax.plot(epochs, val_loss, label="validation loss")
ax.axvline(
    best + 1, color="grey", linestyle="--", linewidth=1, label="best validation epoch"
)
ax.set(xlabel="epoch", ylabel="mean squared error", yscale="log")
ax.legend()
plt.show()

# %% [markdown]
# ## Early and late fits
#
# Training is seeded, so a second model trained for exactly the best number of epochs
# has the weights the first one had at that epoch.

# %%
early = make_model()
early.fit(X_train, y_train, epochs=best + 1, batch_size=len(X_train), verbose=0, rng=0)
assert np.isclose(early.evaluate(X_val, y_val)["loss"], val_loss[best], rtol=1e-12)

grid = np.linspace(0, 1, 400).reshape(-1, 1)
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.scatter(
    X_val[:, 0], y_val[:, 0], s=8, alpha=0.3, color="grey", label="validation data"
)
ax.scatter(X_train[:, 0], y_train[:, 0], s=30, color="black", label="training data")
ax.plot(
    grid[:, 0], early.predict(grid)[:, 0], linewidth=2, label=f"after {best + 1} epochs"
)
ax.plot(
    grid[:, 0], model.predict(grid)[:, 0], linewidth=2, label=f"after {EPOCHS} epochs"
)
ax.set(xlabel="x", ylabel="y")
ax.legend()
plt.show()

# %% [markdown]
# ## In numbers

# %%
assert train_loss[-1] < train_loss[best] / 2 and val_loss[-1] > val_loss[best] * 1.2
display(
    Markdown(
        f"The validation loss is lowest at epoch {best + 1}: {val_loss[best]:.3f} "
        f"(training loss {train_loss[best]:.3f}). By epoch {EPOCHS} the training loss has "
        f"fallen to {train_loss[-1]:.3f}, {train_loss[best] / train_loss[-1]:.1f} times lower, "
        f"while the validation loss has risen to {val_loss[-1]:.3f}, "
        f"{val_loss[-1] / val_loss[best] - 1:.0%} higher. The late curve bends towards the "
        "individual training points: it has learned their noise, which no new sample shares."
    )
)
