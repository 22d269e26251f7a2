"""``rnnproof vandermonde NODES.npy --L L [--B B.npy] [--json PATH]``.

The N×L Vandermonde matrix of a linear recurrence's eigenvalues (rows = nodes, columns = powers,
Orvieto et al. 2024; claims ``linear_recurrence.*``): its 2-norm condition number, exact to at least 6 significant digits
even far beyond 1e16 (high precision at the digits the conditioning needs, see
``numerics.vandermonde.cond2``), its exact rank, and the digits used.

JSON (schema ``rnnproof.vandermonde/1``): ``N``, ``L``, ``cond2`` (a number; ``null`` when the
matrix is rank-deficient or κ₂ exceeds the float64 range), ``cond2_text`` (12 significant digits,
any size), ``log10_cond2``, ``rank``, ``singular``, ``distinct_nodes``, ``dps_used`` (16 = float64),
``method``, ``nodes`` (``real`` or ``complex``), ``weighted`` (whether ``--B`` scaled the rows),
``real_dof`` (ρ: real degrees of freedom for real inputs, 1 per real and 2 per non-real node up to
conjugation; real inputs are recoverable from the real-stacked state iff ρ ≥ L, claim
``real_dof_counting``).
"""

from __future__ import annotations

from proofs_checks.argtypes import positive_int as _positive_int

SCHEMA = "rnnproof.vandermonde/1"


def register(subparsers):
    p = subparsers.add_parser("vandermonde", help="condition number (exact beyond 1e16) and rank of the "
                              "N×L Vandermonde matrix of a linear recurrence's eigenvalues")
    p.add_argument("nodes", metavar="NODES.npy", help="1-D array of the N eigenvalues (real or complex)")
    p.add_argument("--L", type=_positive_int, required=True, metavar="L", help="horizon (number of powers)")
    p.add_argument("--B", metavar="B.npy", help="optional row weights b (length N): use diag(b)·V")
    p.add_argument("--json", metavar="PATH", help="write the JSON result here (atomically)")
    p.set_defaults(handler=_run)


def vandermonde_report(nodes, L, b=None) -> dict:
    """The JSON-ready result for nodes (array), horizon L and optional weights b."""
    import math

    import mpmath
    import numpy as np

    from numerics import linear_recurrence as NL
    from numerics import vandermonde as NV
    x = NV.as_nodes(nodes)
    w = NV.as_weights(b, x.size, name="--B")
    res = NV.cond2(x, L, w)
    finite = not res.singular
    return {
        "schema": SCHEMA, "N": int(x.size), "L": int(L),
        "cond2": res.as_float() if finite and math.isfinite(res.as_float()) else None,
        "cond2_text": mpmath.nstr(res.cond2, 12) if finite else "inf",
        "log10_cond2": res.log10 if finite else None,
        "rank": int(res.rank), "singular": not finite,
        "distinct_nodes": int(np.unique(x).size), "dps_used": int(res.dps_used), "method": res.method,
        "nodes": "complex" if np.iscomplexobj(x) else "real", "weighted": b is not None,
        "real_dof": int(NL.real_dof(x, w)),
    }


def _run(args) -> int:
    from numerics import vandermonde as NV
    from proofs_checks import inputs
    inputs.check_outputs({"--json": args.json}, inputs={"NODES": args.nodes, "--B": args.B})
    nodes = inputs.read_npy_argument(args.nodes, "NODES", finite=False)
    b = inputs.read_npy_argument(args.B, "--B", finite=False) if args.B else None
    NV.as_nodes(nodes, name="NODES")  # validate with the file's name in the message
    N, L = int(nodes.size), args.L
    # κ₂ of the N×L matrix at the precision the conditioning needs: mpmath entries (~300 bytes with
    # the SVD's work space) and an O(N·L·min(N, L)) factorisation
    inputs.require_resources(f"the {N}×{L} Vandermonde matrix", memory=300 * N * L + 16 * 8 * N * L,
                             seconds=2e-6 * N * L * min(N, L), lower="--L or the number of nodes")
    rep = vandermonde_report(nodes, args.L, b)
    if rep["singular"]:
        why = (f"{rep['N'] - rep['distinct_nodes']} repeated node(s)" if rep["distinct_nodes"] < rep["N"]
               else "") or (f"N = {rep['N']} < L = {rep['L']}" if rep["N"] < rep["L"] else "zero weights in --B")
        print(f"singular: {why}; rank {rep['rank']} < L = {rep['L']}, cond2 = inf (real inputs: "
              f"{rep['real_dof']} real degrees of freedom{', enough for L' if rep['real_dof'] >= rep['L'] else ''})")
    else:
        print(f"N = {rep['N']}, L = {rep['L']}: cond2 = {rep['cond2_text']} (log10 {rep['log10_cond2']:.4f}), "
              f"rank {rep['rank']}, {rep['dps_used']} digits ({rep['method']})")
    if args.json:
        from proofs_checks.report import write_json
        with inputs.transaction():
            write_json(args.json, rep)
    return 0
