# GENERATED FILE — do not edit.
# Tangled by tools/tangle.py from the book's chapters:
#   docs/concepts/layer.md
#   docs/concepts/activations.md
#   docs/concepts/loss.md
#   docs/concepts/optimization.md
#   docs/implementation/data.md
#   docs/implementation/metrics.md
#   docs/implementation/feed-forward.md
#   docs/implementation/gradcheck.md
#   docs/implementation/optimizers.md
#   docs/classification/softmax.md
#   docs/classification/binary.md
#   docs/classification/accuracy.md
#   docs/regularization/dropout.md
#   docs/convolution/conv1d.md
#   docs/convolution/conv2d.md
# Edit the chapters, then run `make tangle`.

"""nnbook: neural networks from scratch with numpy, tangled from the book."""

__version__ = "0.1.0"

from nnbook.layers import Dense


from nnbook.activations import Linear, ReLU


from nnbook.losses import MeanSquaredError, regularization_loss


from nnbook.optimizers import SGD


from nnbook import datasets


from nnbook.metrics import METRICS, accuracy_within, mean_absolute_error, mean_squared_error, r2_score


from nnbook.losses import MeanAbsoluteError


from nnbook.model import Model


from nnbook import gradcheck
from nnbook.gradcheck import check_layer, check_loss, check_model, numerical_gradient, relative_error


from nnbook.optimizers import Adam, SGDMomentum


from nnbook.activations import Softmax
from nnbook.datasets import one_hot
from nnbook.losses import CategoricalCrossEntropy, SoftmaxCrossEntropy


from nnbook.activations import Sigmoid
from nnbook.losses import BinaryCrossEntropy


from nnbook.metrics import binary_accuracy, categorical_accuracy


from nnbook.dropout import Dropout


from nnbook.conv import Conv1D


from nnbook.conv import Conv2D, Flatten
