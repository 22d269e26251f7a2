"""Paper-specific subcommands, one module each, discovered by :func:`proofs_checks.cli.build_parser`.

A module here exposes ``register(subparsers)``: it adds its parser and sets ``handler`` to a
function ``handler(args) -> int``. Bad input raises :class:`numerics.InputError` (exit status 2).
"""
