"""The kernel that executes a notebook talks to the build over encrypted sockets.

ipykernel 7 prints ``[IPKernelApp] WARNING | Kernel is running over TCP without
encryption...`` on its stderr, which is the build's, whenever its sockets are plain TCP.
The warning is right: jupyter_client (since its transport-encryption release) can give the kernel CurveZMQ keys when its
kernelspec declares ``"supported_encryption": ["curve"]`` (ipykernel 7's does), through
the ``KernelManager.transport_encryption`` setting; but MyST-NB and jupyter-cache create
their kernel managers with no configuration to set it.  So the setting's default is
``"auto"`` for the build's process: a kernel that supports encryption gets it (and says
nothing), any other kernel starts as before.  Nothing of the kernel's stderr is hidden.
"""

from __future__ import annotations


def encrypt_kernel_transport() -> bool:
    """Make ``"auto"`` the default of ``KernelManager.transport_encryption`` (True: done).

    Left as it is when jupyter_client has no such setting (older releases; ipykernel
    before 7 does not warn either), when pyzmq was built without CurveZMQ (``"auto"`` would fail there),
    or when the default is no longer ``"disabled"`` (a newer jupyter_client decided)."""
    try:
        # optional: the notebooks extra (jupyter_client, pyzmq)
        import zmq
        from jupyter_client.manager import KernelManager
    except ImportError:
        return False
    trait = KernelManager.class_traits().get("transport_encryption")
    if trait is None or not zmq.has("curve"):
        return False
    if trait.default_value == "disabled":
        trait.default_value = "auto"
    return trait.default_value == "auto"
