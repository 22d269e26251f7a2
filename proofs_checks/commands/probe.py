"""``rnnproof probe NETWORK.npz --data DATA.npz [--drift K] [--seed S] [--json PATH]``.

The per-time-step analysis of ``rnnproof experiment geometry.digits`` (Horoi et al. 2020; claims ``geometry.*``), for
your own trained discrete tanh network (the shared network file: h_k = tanh(W h_{k−1} + B u_k + b),
y_k = C h_k + d, initial state h0) on your own labelled sequences: an ``.npz`` with ``x_train``,
``y_train``, ``x_test``, ``y_test``, sequences of shape samples × T × input (for example your own
sequential MNIST). For t = 1..T and K zero-input drift steps: the accuracy of the network's readout
``argmax(C h_t + d)`` (when C is given), a ridge probe refit at each t, the probe on the raw rows
1..t, the participation ratio and the between/within class distance ratio (with a shuffled-label
control) of the test states; the spectral radius of W; the probe fitted at T under drift; the
autonomous dynamics when the network has no bias.

JSON (schema ``rnnproof.geometry/1``): ``T``, ``drift``, ``chance_accuracy``, ``final_accuracy``,
``per_step`` (records with ``t``, ``phase``, ``readout_accuracy``, ``probe_accuracy``,
``pixel_probe_accuracy``, ``participation_ratio``, ``distance_ratio``, ``distance_ratio_shuffled``),
``fitted_probe_under_drift``, ``spectral_radius`` (``{"initial": null, "trained"}``), ``autonomous``
(bias-free networks only), ``network`` and ``data``.

Bad input (not a discrete tanh network, mismatched shapes or labels, NaN) is one line and exit 2.
"""

from __future__ import annotations

from proofs_checks.argtypes import bounded_int, seed as _seed
from proofs_checks.network_options import add_network_options, reader_options


def register(subparsers):
    p = subparsers.add_parser(
        "probe", help="per-time-step probes, readout, PR and class distances of a discrete tanh network "
                      "on your sequences",
        description=__doc__.split("\n\n")[1])
    p.add_argument("network", metavar="NETWORK.npz", help="a discrete tanh network file")
    p.add_argument("--data", required=True, metavar="DATA.npz",
                   help="x_train, y_train, x_test, y_test; x of shape samples × T × input")
    p.add_argument("--drift", type=bounded_int(0, 10 ** 6, "zero-input steps"), default=12,
                   help="zero-input steps after T (default 12)")
    p.add_argument("--seed", type=_seed, default=0, help="seed of the shuffled-label control (default 0)")
    p.add_argument("--json", metavar="PATH", help="write the JSON report here (atomically)")
    add_network_options(p)
    p.set_defaults(handler=_run)


def load_sequence_data(path):
    """Read ``x_train, y_train, x_test, y_test`` from an .npz (never pickles); InputError otherwise."""
    from proofs_checks.inputs import read_npz_argument
    keys = ("x_train", "y_train", "x_test", "y_test")
    data = read_npz_argument(path, "--data", keys, real=True, finite=False, memory_factor=3.0)
    return tuple(data[k] for k in keys)


def check_network(spec):
    """InputError unless ``spec`` is a discrete, non-leaky tanh RNN with an input matrix B."""
    from numerics import InputError

    if spec.time != "discrete" or spec.activation != "tanh" or spec.alpha is not None or spec.form != "rnn":
        raise InputError(f"probe needs a discrete tanh network (time=discrete, activation=tanh, no alpha, "
                         f"form=rnn); {spec.source} has time={spec.time}, activation={spec.activation}, "
                         f"alpha={spec.alpha}, form={spec.form}")
    if spec.B is None:
        raise InputError(f"probe needs the input matrix B in {spec.source} (the sequences drive h through B)")


def _run(args) -> int:
    import numpy as np

    from numerics import InputError
    from numerics import geometry as N

    from .. import inputs
    from ..experiments.geometry import analyze, print_summary
    from ..report import write_json

    inputs.check_outputs({"--json": args.json}, inputs={"NETWORK": args.network, "--data": args.data})
    spec = inputs.read_network_argument(args.network, "NETWORK", **reader_options(args))
    check_network(spec)
    raw = load_sequence_data(args.data)
    samples = sum(len(x) for x in (raw[0], raw[2]))
    T = raw[0].shape[1] if raw[0].ndim == 3 else 0
    steps = T + args.drift
    # the states of every sequence and step (train and test), one probe refit per step
    inputs.require_resources(f"the states of {samples} sequences over T + --drift = {steps} steps",
                             memory=8 * 4 * samples * (steps + 1) * spec.n + 8 * 8 * spec.n * spec.n,
                             seconds=steps * (samples * (2e-9 * spec.n * spec.n + 4e-9 * spec.n * 10)
                                              + 1e-8 * spec.n ** 3),
                             lower="--drift or the data")
    xtr, ytr, xte, yte = N.check_sequence_data(*raw, input_dim=spec.m,
                                               n_outputs=spec.k if spec.C is not None else None)
    V = spec.C
    c = None if V is None else (np.zeros(spec.k) if spec.d is None else spec.d)
    b = None if spec.b is None or not np.any(spec.b) else spec.b
    report = analyze(spec.W, spec.B, V, c, xtr, ytr, xte, yte, drift=args.drift,
                     rng=np.random.default_rng([args.seed, 2]), b=b, h0=spec.h0)
    report.pop("_states", None)
    report.pop("_labels", None)
    report["network"] = {"path": args.network, "n": spec.n, "inputs": spec.m, "outputs": spec.k,
                         "bias": b is not None, "h0": spec.h0 is not None}
    report["data"] = {"path": args.data, "n_train": int(len(ytr)), "n_test": int(len(yte)),
                      "T": int(xtr.shape[1]), "input": int(xtr.shape[2]),
                      "classes": [int(k) for k in np.unique(ytr)]}
    if V is None:
        report["note"] = "the network has no readout C: readout accuracies are null"
    print_summary(report)
    if args.json:
        with inputs.transaction():
            write_json(args.json, report)
        print(f"wrote {args.json}")
    return 0
