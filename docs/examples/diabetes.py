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
# # Diabetes progression: nnbook next to scikit-learn
#
# A real data set this time: scikit-learn's bundled *diabetes* data (one
# row per patient, a few standardized measurements such as age, BMI and
# blood pressure; the target is a measure of disease progression one year
# later). It ships inside the scikit-learn package, so nothing is
# downloaded.
#
# We train a small nnbook network and compare it, **on exactly the same
# split**, with two well-known baselines: ordinary least squares
# (`LinearRegression`) and scikit-learn's own neural network
# (`MLPRegressor`). Everything on this page is computed when the site is
# built, including the sentences that say who wins.

# %%
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import Markdown, display
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LinearRegression
from sklearn.neural_network import MLPRegressor

import nnbook as nb

# %% [markdown]
# ## Data, split and standardization
#
# One seeded split into training, validation and test parts (the cell
# prints the fractions and the shapes), used by all three models. Inputs
# and target are standardized with the mean and standard deviation of the
# **training** part only (using the other parts would leak information
# about them). The models learn the standardized target; every score below
# is computed after converting predictions back to the original unit.

# %%
X, y = load_diabetes(return_X_y=True)
y = y.reshape(-1, 1)  # (k, 1): one output
assert X.shape == (442, 10) and y.shape == (442, 1)
VAL_FRACTION = TEST_FRACTION = 0.2
splits = nb.datasets.train_val_test_split(
    X, y, val_fraction=VAL_FRACTION, test_fraction=TEST_FRACTION, rng=0
)
(X_train, y_train), (X_val, y_val), (X_test, y_test) = splits
x_mean, x_std = X_train.mean(axis=0), X_train.std(axis=0)
y_mean, y_std = y_train.mean(), y_train.std()


def scale_x(A):
    return (A - x_mean) / x_std


def scale_y(b):
    return (b - y_mean) / y_std


def unscale_y(b):
    return b * y_std + y_mean


print(f"{len(X)} patients, {X.shape[1]} measurements each")
print(f"validation fraction {VAL_FRACTION}, test fraction {TEST_FRACTION}")
print("X", X.shape, "y", y.shape, "| train", X_train.shape,
      "val", X_val.shape, "test", X_test.shape)

# %% [markdown]
# ## nnbook: choosing the size on the validation set
#
# One hidden ReLU layer; we try a few widths (the cell prints each) and
# keep the one with the lowest validation loss, together with the epoch at
# which it was reached. The test set plays no part in these choices.
# Because training is seeded, retraining the chosen width for the chosen
# number of epochs reproduces exactly the weights it had at that epoch.

# %%
EPOCHS, LEARNING_RATE, BATCH_SIZE, WIDTHS = 100, 0.01, 32, (8, 16, 32)
print(f"up to {EPOCHS} epochs of SGD at {LEARNING_RATE}, "
      f"batches of {BATCH_SIZE}")


def make_model(width):
    return nb.Model(
        [
            nb.Dense(X.shape[1], width, rng=0),
            nb.ReLU(),
            nb.Dense(width, 1, rng=1),
            nb.Linear(),
        ],
        optimizer=nb.SGD(learning_rate=LEARNING_RATE),
    )


def train(width, epochs):
    model = make_model(width)
    history = model.fit(
        scale_x(X_train),
        scale_y(y_train),
        epochs=epochs,
        batch_size=BATCH_SIZE,
        validation_data=(scale_x(X_val), scale_y(y_val)),
        verbose=0,
        rng=0,
    )
    return model, history


candidates = {}
for width in WIDTHS:
    _, history = train(width, EPOCHS)
    val_loss = np.array(history.history["val_loss"])
    epoch = int(val_loss.argmin()) + 1
    candidates[width] = (val_loss.min(), epoch, history)
    print(f"width {width:2d}: best validation loss {val_loss.min():.4f} "
          f"at epoch {epoch}")

best_width = min(candidates, key=lambda width: candidates[width][0])
best_val, best_epochs, best_history = candidates[best_width]
model, _ = train(best_width, best_epochs)
chosen_val = model.evaluate(scale_x(X_val), scale_y(y_val))["loss"]
assert np.isclose(chosen_val, best_val, rtol=1e-12)
chosen = f"**{best_width}** hidden neurons, **{best_epochs}** epochs"
display(Markdown(f"Chosen: {chosen}."))

# %%
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(best_history.history["loss"], label="training loss")
ax.plot(best_history.history["val_loss"], label="validation loss")
ax.axvline(best_epochs - 1, color="grey", linestyle="--", linewidth=1,
           label="chosen epoch")
ax.set(
    xlabel="epoch",
    ylabel="MSE (standardized target)",
    title=f"nnbook, {best_width} hidden neurons",
)
ax.legend()
plt.show()

# %% [markdown]
# ## The baselines
#
# `LinearRegression` has nothing to tune. `MLPRegressor` gets the same hidden width and
# its defaults otherwise (Adam optimizer, a small L2 penalty), with early stopping on a
# part of the training data, the same kind of protection against overfitting that our
# validation choice gives nnbook.

# %%
linear = LinearRegression().fit(scale_x(X_train), scale_y(y_train))
mlp = MLPRegressor(
    hidden_layer_sizes=(best_width,),
    early_stopping=True,
    max_iter=2000,
    random_state=0,
)
mlp.fit(scale_x(X_train), scale_y(y_train).ravel())

predictions = {
    "nnbook": unscale_y(model.predict(scale_x(X_test))),
    "LinearRegression": unscale_y(linear.predict(scale_x(X_test))),
    "MLPRegressor": unscale_y(mlp.predict(scale_x(X_test)).reshape(-1, 1)),
}
scores = {
    name: {
        "MSE": nb.mean_squared_error(pred, y_test),
        "MAE": nb.mean_absolute_error(pred, y_test),
        "R²": nb.r2_score(pred, y_test),
    }
    for name, pred in predictions.items()
}

# %% [markdown]
# ## Test scores
#
# Computed once, on the test patients, whom no model and no choice has
# seen.

# %%
rows = ["| model | test MSE | test MAE | test R² |",
        "|---|---:|---:|---:|"]
rows += [
    f"| {name} | {s['MSE']:.1f} | {s['MAE']:.2f} | {s['R²']:.3f} |"
    for name, s in scores.items()
]
display(Markdown("\n".join(rows)))

# %%
fig, ax = plt.subplots(figsize=(5.5, 5.5))
for marker, (name, pred) in zip("o^s", predictions.items(), strict=True):
    ax.scatter(y_test[:, 0], pred[:, 0], s=18, alpha=0.7, marker=marker,
               label=name)
low, high = y_test.min(), y_test.max()
ax.plot(
    [low, high],
    [low, high],
    color="grey",
    linestyle="--",
    linewidth=1,
    label="perfect prediction",
)
ax.set(
    xlabel="true progression",
    ylabel="predicted progression",
    title="Test set: predicted vs true",
)
ax.legend()
plt.show()

# %% [markdown]
# ## Verdict
#
# Generated from the table above.

# %%
ranking = sorted(scores, key=lambda name: scores[name]["MSE"])
ours = scores["nnbook"]


def compare(other):
    theirs = scores[other]
    change = (ours["MSE"] - theirs["MSE"]) / theirs["MSE"]
    verdict = "lower (better)" if change < 0 else "higher (worse)"
    score = f"{theirs['MSE']:.1f}, R² {theirs['R²']:.3f}"
    text = f"{abs(change):.1%} {verdict} than {other}'s ({score})"
    if abs(change) < 0.1:
        text += (f" — a gap this small on {len(X_test)} test patients "
                 "could flip with another random split")
    return text


best_r2 = max(s["R²"] for s in scores.values())
ours_score = f"{ours['MSE']:.1f}, R² {ours['R²']:.3f}"
display(
    Markdown(
        f"Ranking by test MSE: {' < '.join(ranking)}. "
        f"nnbook's test MSE ({ours_score}) is "
        f"{compare('LinearRegression')}, and {compare('MLPRegressor')}. "
        f"No model explains more than {best_r2:.0%} of the variance: most "
        "of the spread in disease progression is not predictable from "
        f"these {X.shape[1]} measurements, and with {len(X_train)} "
        "training patients a straight line is a strong baseline — on "
        "small tabular data like this, a neural network is not expected "
        "to beat it by much, if at all."
    )
)
# Sanity bounds, not a race: every model must clearly beat predicting the
# training mean.
assert all(s["R²"] > 0.3 for s in scores.values()), scores

# %% [markdown]
# ## Exercises
#
# Each exercise is marked with its difficulty, (★) to (★★★), as in the
# chapters. The solutions are folded: try first, then open them.
#
# **1. Derive: the mean is not enough.** (★★) A "model" predicts the
# training targets' mean for every test patient. Derive why its test R²
# can never be above zero, whatever the split, then compute it.

# %% [markdown] tags=["solution"]
# For a constant prediction $c$, $R^2 = -(\bar{y} - c)^2 / s^2$, where
# $\bar{y}$ and $s^2$ are the test targets' mean and variance (the
# metrics chapter's exercise): zero at best, reached only if the training
# mean happens to equal the test mean.

# %% tags=["solution"]
c = float(y_train.mean())
constant_r2 = nb.r2_score(np.full_like(y_test, c), y_test)
derived_r2 = -((y_test.mean() - c) ** 2) / y_test.var()
print(f"R² of the training mean on the test set: {constant_r2:.4f}")
assert np.isclose(constant_r2, derived_r2) and constant_r2 <= 0

# %% [markdown]
# **2. Derive: errors in the original units.** (★★) The network trains on
# standardized targets, $(y - \bar{y}) / s$. Derive how its MSE in those
# units relates to the MSE of `unscale_y` of its predictions in the
# original units, and check it on the test set.

# %% [markdown] tags=["solution"]
# Unscaling multiplies every error by $s$ (the mean cancels in the
# difference), so every squared error, and their mean, by $s^2$:
# $\text{MSE}_{\text{original}} = s^2 \, \text{MSE}_{\text{standardized}}$.

# %% tags=["solution"]
scaled_pred = model.predict(scale_x(X_test))
mse_scaled = np.mean((scaled_pred - scale_y(y_test)) ** 2)
mse_original = np.mean((unscale_y(scaled_pred) - y_test) ** 2)
print(f"standardized {mse_scaled:.4f} × s² ({y_std:.1f}²) "
      f"= {y_std**2 * mse_scaled:.1f}; original units {mse_original:.1f}")
assert np.isclose(mse_original, y_std**2 * mse_scaled)
