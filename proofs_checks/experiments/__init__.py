"""Reproduction studies run by ``rnnproof experiment NAME``, one module per paper.

A module here exposes ``EXPERIMENTS = {"<paper>.<name>": (configure_parser, run)}``, where
``configure_parser(parser)`` adds its options and ``run(args) -> int`` does the work.
"""
