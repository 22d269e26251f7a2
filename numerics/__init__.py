"""Independent numeric computations (numpy, scipy, mpmath; never SymPy).

Network file and validation
    RNNSpec, load_network, save_network, NETWORK_FORMAT -- the shared ``.npz`` network format
    InputError                                          -- bad user input (CLI exit status 2)
    load_npy                                            -- one numeric .npy array, never a pickle
Activations
    Activation, ACTIVATIONS, get_activation             -- phi, phi', phi'', phi^{-1}, L_phi

Paper-specific modules (``numerics.linearization``, ``numerics.unitary``, ...) are imported
explicitly by their users, so that importing :mod:`numerics` stays cheap.
"""

from .arrays import load_npy
from .activations import ACTIVATIONS, Activation, get_activation
from .errors import InputError
from .network import NETWORK_FORMAT, RNNSpec, load_network, save_network

__all__ = ["load_npy", "ACTIVATIONS", "Activation", "get_activation", "InputError", "NETWORK_FORMAT", "RNNSpec",
           "load_network", "save_network"]
