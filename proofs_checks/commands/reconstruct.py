"""``rnnproof reconstruct NODES.npy INPUTS.npy [--B B.npy] [--decoder linear|omp|mlp] [--out DECODED.npy]
[--json PATH]``.

Runs $x_k=\\Lambda x_{k-1}+Bu_k$, $x_0=0$, over the inputs (an L-vector or an L×M array; B defaults
to ones), decodes the whole input sequence from the final state $x_L$ and reports how well.
The linear decoder is exact in whatever precision the conditioning needs (digits ≥ log10 κ₂ + 20,
the state itself computed at that precision; claim
``linear_recurrence.high_precision_reconstruction``). ``omp`` and ``mlp`` are scikit-learn decoders on the float64
real-stacked system (for sparse inputs below N = L, and for comparison).

JSON (schema ``rnnproof.reconstruct/1``): ``N``, ``L``, ``M``, ``decoder``, ``relative_error``
(‖û − u‖/‖u‖), ``cond2`` (number or ``null`` beyond float64), ``cond2_text``, ``log10_cond2``,
``dps_used`` (16 = float64), ``rank``, ``recoverable`` (input values the state determines),
``method``, ``out`` (the DECODED.npy path or ``null``).
"""

from __future__ import annotations

from proofs_checks.argtypes import positive_int as _positive_int, seed as _seed

SCHEMA = "rnnproof.reconstruct/1"


def register(subparsers):
    p = subparsers.add_parser("reconstruct", help="run a diagonal linear recurrence over INPUTS and decode "
                              "the whole sequence from its final state")
    p.add_argument("nodes", metavar="NODES.npy", help="1-D array of the N eigenvalues (real or complex)")
    p.add_argument("inputs", metavar="INPUTS.npy", help="the inputs: an L-vector or an L×M array")
    p.add_argument("--B", metavar="B.npy", help="input matrix B (N×M, or length N when M = 1); default ones")
    p.add_argument("--decoder", choices=("linear", "omp", "mlp"), default="linear",
                   help="linear (exact, high precision), omp (sparse) or mlp (scikit-learn); default linear")
    p.add_argument("--sparsity", type=_positive_int, metavar="K", help="omp: number of nonzeros (default: "
                   "stop on the residual)")
    p.add_argument("--seed", type=_seed, default=0, help="mlp: training seed (default 0)")
    p.add_argument("--out", metavar="DECODED.npy", help="write the decoded inputs here (same shape as INPUTS)")
    p.add_argument("--json", metavar="PATH", help="write the JSON result here (atomically)")
    p.set_defaults(handler=_run)


def _save_npy_atomic(path, arr):
    import numpy as np

    from numerics.arrays import write_atomic
    write_atomic(path, lambda handle: np.save(handle, arr, allow_pickle=False))


def _run(args) -> int:
    import math

    import mpmath
    import numpy as np

    from numerics import InputError
    from numerics import linear_recurrence as NL
    from numerics import vandermonde as NV
    from proofs_checks import inputs
    if args.out and not args.out.endswith(".npy"):
        raise InputError(f"--out must end in .npy, got {args.out}")
    inputs.check_outputs({"--out": args.out, "--json": args.json},
                         inputs={"NODES": args.nodes, "INPUTS": args.inputs, "--B": args.B})
    nodes = NV.as_nodes(inputs.read_npy_argument(args.nodes, "NODES", finite=False), name="NODES")
    raw = inputs.read_npy_argument(args.inputs, "INPUTS", finite=False)
    u = NL.as_inputs(raw, name="INPUTS")
    B = inputs.read_npy_argument(args.B, "--B", finite=False) if args.B else None
    N, L, M = nodes.size, u.shape[0], u.shape[1]
    # the N×L Vandermonde system in high precision (an mpmath number is ~100 bytes) and in float64
    inputs.require_resources(f"decoding L = {L} inputs (M = {M}) from N = {N} states",
                             memory=300 * N * L + 16 * 8 * N * L * M,
                             seconds=2e-6 * N * L * min(N, L) + 1e-6 * N * L * M,
                             lower="the sizes of NODES/INPUTS")
    res = NL.reconstruct(nodes, u, B=B, decoder=args.decoder, sparsity=args.sparsity, seed=args.seed)
    finite = math.isfinite(res.log10_cond2)
    rep = {
        "schema": SCHEMA, "N": int(nodes.size), "L": int(u.shape[0]), "M": int(u.shape[1]),
        "decoder": args.decoder, "relative_error": res.relative_error,
        "cond2": float(res.cond2) if finite and res.log10_cond2 < 308 else None,
        "cond2_text": mpmath.nstr(res.cond2, 12) if finite else "inf",
        "log10_cond2": res.log10_cond2 if finite else None,
        "dps_used": int(res.dps_used), "rank": int(res.rank), "recoverable": int(res.recoverable),
        "method": res.method, "out": args.out,
    }
    from proofs_checks.report import write_json
    with inputs.transaction():
        if args.out:
            _save_npy_atomic(args.out, res.decoded.reshape(np.shape(raw)))
        if args.json:
            write_json(args.json, rep)
    print(f"N = {rep['N']}, L = {rep['L']}, M = {rep['M']}, decoder {args.decoder}: relative error "
          f"{res.relative_error:.3e}; cond2 = {rep['cond2_text']}; {res.dps_used} digits ({res.method})")
    return 0
