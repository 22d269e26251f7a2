"""Exceptions shared by every numeric module.

``InputError`` is what bad *user input* raises (a malformed network file, a shape mismatch, a
non-contractive weight matrix, ...). The command line turns it into one line on stderr and exit
status 2. It subclasses ``ValueError`` so that library users can catch either.
"""

__all__ = ["InputError"]


class InputError(ValueError):
    """Malformed or out-of-hypothesis input; the message names the argument and the fix."""
