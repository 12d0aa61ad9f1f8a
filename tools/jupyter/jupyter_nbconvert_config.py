"""nbconvert's configuration for the book's builds (tools/hooks.py puts this folder on JUPYTER_CONFIG_PATH).

The kernels that execute the example notebooks talk to the build over local TCP, and ipykernel warns once
per kernel that the traffic is plain text. Encrypt it instead (CurveZMQ keys from the kernel manager; the
python3 kernelspec declares support for them), when this pyzmq has CurveZMQ; without it, the warning stays.
"""

import zmq

c = get_config()  # noqa: F821 - traitlets defines it for configuration files
if zmq.has("curve"):
    c.KernelManager.transport_encryption = "auto"
