# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/layer.md
#   docs/concepts/activations.md
#   docs/concepts/loss.md
#   docs/concepts/optimization.md
# Edit the chapters, then run `make tangle`.

"""nnbook: neural networks from scratch with numpy, tangled from the book."""

__version__ = "0.1.0"

from nnbook.layers import Dense


from nnbook.activations import Linear, ReLU


from nnbook.losses import MeanSquaredError, regularization_loss


from nnbook.optimizers import SGD
