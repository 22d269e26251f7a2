"""``rnnproof docs --out DIR`` (the claim catalogue) and ``rnnproof explain ID`` (one card).

The catalogue is generated from the registry (:mod:`proofs_checks.catalogue`): ``DIR/claims/<paper>.md``
for every paper and ``DIR/claims/README.md``. The committed copy lives in ``docs/``.
"""

from __future__ import annotations


def register(subparsers):
    p = subparsers.add_parser("docs", help="write the claim catalogue (DIR/claims/<paper>.md) from the registry")
    p.add_argument("--out", default="docs", metavar="DIR", help="output folder (default docs)")
    p.set_defaults(handler=_docs)

    p = subparsers.add_parser("explain", help="print one claim's card: statement, hypotheses, "
                              "tolerance, sides, source, commands")
    p.add_argument("claim", metavar="ID", help="a claim ID, e.g. linearization.similarity")
    p.set_defaults(handler=_explain)


def _docs(args) -> int:
    import os

    from numerics.errors import InputError

    from .. import inputs
    from ..catalogue import write_catalogue
    if os.path.exists(args.out) and not os.path.isdir(args.out):
        raise InputError(f"--out {args.out}: exists and is not a folder; give a folder")
    inputs.check_outputs({}, folders={"--out": args.out})
    with inputs.transaction(folders=[args.out]):
        written = write_catalogue(args.out)
    for path in written:
        print(f"wrote {path}")
    return 0


def _explain(args) -> int:
    from numerics.errors import InputError

    from ..catalogue import card_text
    from ..registry import get_claim
    try:
        claim = get_claim(args.claim)
    except KeyError as exc:
        raise InputError(exc.args[0]) from None
    print(card_text(claim))
    return 0
