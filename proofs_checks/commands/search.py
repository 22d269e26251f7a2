"""``rnnproof search [--claim ID] [--paper KEY] [--budget N] [--seed S] [--database DIR]
[--relax HYPOTHESIS] [--counterexamples DIR] [--json PATH]``.

Hypothesis searches each selected claim's numeric check for a counterexample
(:mod:`proofs_checks.search`). Exit 0 when nothing is found, 1 when a counterexample is found,
2 for bad input. For each counterexample it prints the shrunk instance's draws, the case, the
error against its tolerance, and writes a replay file (``DIR/<claim>.json``) for
``rnnproof run --claim ID --replay FILE``. JSON: ``rnnproof.search/1``.
"""

from __future__ import annotations

from proofs_checks.argtypes import nonnegative_int, positive_int


def register(subparsers):
    p = subparsers.add_parser("search", help="Hypothesis search for the smallest instance that breaks a claim")
    p.add_argument("--claim", action="append", metavar="ID", help="a claim ID (repeatable)")
    p.add_argument("--paper", action="append", metavar="KEY", help="every claim of this paper (repeatable)")
    p.add_argument("--budget", type=positive_int, default=100, metavar="N",
                   help="instances tried per claim (default 100)")
    p.add_argument("--seed", type=nonnegative_int, default=0, help="Hypothesis seed (default 0)")
    p.add_argument("--database", metavar="DIR",
                   help="keep Hypothesis' example database here: a failure found once is replayed first")
    p.add_argument("--relax", metavar="HYPOTHESIS",
                   help="draw instances that violate this declared hypothesis (see rnnproof explain ID)")
    p.add_argument("--counterexamples", default="rnnproof-counterexamples", metavar="DIR",
                   help="where replay files of counterexamples go (default rnnproof-counterexamples)")
    p.add_argument("--json", metavar="PATH", help="write the search report here (atomically)")
    p.add_argument("--quiet", action="store_true", help="no progress on stderr")
    p.set_defaults(handler=_run, network=None)


def _run(args) -> int:
    import os
    import time

    from numerics.errors import InputError

    from .. import inputs
    from ..cli import _selected_claims
    from ..instances import save_draws
    from ..progress import Progress
    from ..registry import get_claim
    from ..report import environment, write_json
    from ..search import SEARCH_SCHEMA, describe_draws, search_claim
    inputs.check_outputs({"--json": args.json},
                         folders={"--counterexamples": args.counterexamples, "--database": args.database})
    ids = _selected_claims(args)
    if args.relax:
        ids = [cid for cid in ids if args.relax in get_claim(cid).relaxable]
        if not ids:
            raise InputError(f"--relax {args.relax!r}: none of the selected claims declares it relaxable")
    if os.path.exists(args.counterexamples) and not os.path.isdir(args.counterexamples):
        raise InputError(f"--counterexamples {args.counterexamples}: exists and is not a folder")
    start = time.perf_counter()
    records = []
    with Progress(len(ids) * args.budget, unit="instance", quiet=args.quiet) as bar:
        for cid in ids:
            done = [0]

            def tick(cid=cid):
                done[0] += 1
                if done[0] <= args.budget:
                    bar.advance(cid)
            record = search_claim(cid, budget=args.budget, seed=args.seed, database=args.database,
                                  relax=args.relax, on_example=tick)
            bar.advance(cid, step=max(0, args.budget - done[0]))
            if record["found"]:
                os.makedirs(args.counterexamples, exist_ok=True)
                path = os.path.join(args.counterexamples, f"{cid}.json")
                save_draws(path, cid, record["counterexample"]["draws"],
                           extra={"relaxed": args.relax, "error": record["counterexample"].get("error"),
                                  "tol": record["counterexample"].get("tol")})
                record["replay_file"] = path
                record["reproduce"] = f"rnnproof run --claim {cid} --replay {path}"
            records.append(record)
    seconds = time.perf_counter() - start
    for r in records:
        print(_describe(r))
    found = [r for r in records if r["found"]]
    hypothesis_share = 1.0 - sum(r["seconds_in_checks"] for r in records) / max(seconds, 1e-9)
    print(f"rnnproof search: {len(records)} claims, {sum(r['tried'] for r in records)} instances tried, "
          f"{len(found)} counterexample(s), {seconds:.1f} s ({100 * max(0.0, hypothesis_share):.0f} % outside the checks)")
    if args.json:
        write_json(args.json, {"schema": SEARCH_SCHEMA, "budget": args.budget, "seed": args.seed,
                               "relaxed": args.relax, "seconds": round(seconds, 3),
                               "environment": environment(), "claims": records})
    return 1 if found else 0


def _describe(r: dict) -> str:
    from ..search import describe_draws
    head = f"{r['id']}: "
    if r["status"] == "not_applicable":
        return head + f"not applicable ({r['reason']})"
    edges = ", ".join(f"{k} {v}" for k, v in {**r["edges"], **r["generic_edges"]}.items())
    if not r["found"]:
        return head + f"nothing found in {r['tried']} instances ({r['rejected']} rejected); coverage: {edges}"
    c = r["counterexample"]
    lines = [head + ("COUNTEREXAMPLE" if c["kind"] == "fail" else "the check CRASHED")
             + (f" (hypothesis '{r['relaxed']}' relaxed)" if r["relaxed"] else "")]
    if c["kind"] == "fail":
        error = "NaN" if c["error"] is None else f"{c['error']:.3e}"
        lines.append(f"  error {error} against tolerance {c['tol']:.3e}"
                     + (f"; case: {', '.join(f'{k}={v}' for k, v in c['info'].items())}" if c["info"] else ""))
    else:
        lines.append(f"  {c['error']}")
    lines.append("  shrunk instance:")
    lines += describe_draws(c["draws"])
    lines.append(f"  replay: {r['reproduce']}")
    return "\n".join(lines)
