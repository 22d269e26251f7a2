"""The task engine: serial, process-pool and Dask executors give the same results apart from
timings, and the sweep aggregates them per claim."""

import math

import pytest

from proofs_checks.engine import Task, execute, parse_scheduler
from proofs_checks.registry import all_claims
from proofs_checks.runner import run_claims, run_task
from proofs_checks.sweep import format_sweep, parse_seeds, run_sweep
from numerics.errors import InputError


def _cheap_claims(count_per_paper=2):
    """The cheapest claims of each paper (by declared cost), for executor comparisons."""
    chosen = []
    for paper in sorted({c.paper for c in all_claims()}):
        claims = sorted((c for c in all_claims(paper) if c.numeric is not None), key=lambda c: c.cost)
        chosen += [c.id for c in claims[:count_per_paper]]
    return chosen


def _without_timings(value):
    if isinstance(value, dict):
        return {k: _without_timings(v) for k, v in value.items() if k != "seconds"}
    if isinstance(value, list):
        return [_without_timings(v) for v in value]
    return value


CLAIMS = _cheap_claims()
SEEDS = [3, 11]


@pytest.fixture(scope="module")
def serial_sweep():
    return run_sweep(CLAIMS, SEEDS, jobs=1)


def test_process_pool_equals_serial(serial_sweep):
    assert _without_timings(run_sweep(CLAIMS, SEEDS, jobs=2)) == _without_timings(serial_sweep)


def test_dask_local_cluster_equals_serial(serial_sweep):
    pytest.importorskip("dask.distributed")
    dask_sweep = run_sweep(CLAIMS, SEEDS, scheduler="local:2")
    assert _without_timings(dask_sweep) == _without_timings(serial_sweep)


def test_run_claims_keeps_input_order_and_drops_duplicates():
    ids = CLAIMS[:3]
    results = run_claims(ids + ids[:1], seed=5, jobs=2)
    assert [r["id"] for r in results] == ids
    assert all(r["seed"] == 5 for r in results)


def test_sweep_summary_counts_and_worst_seed(serial_sweep):
    by_id = {c["id"]: c for c in serial_sweep["claims"]}
    assert list(by_id) == CLAIMS
    for claim_id, summary in by_id.items():
        runs = [r for r in serial_sweep["runs"] if r["id"] == claim_id]
        assert summary["seeds"] == len(SEEDS) == len(runs)
        assert summary["passed"] + summary["failed"] + summary["not_applicable"] + summary["errors"] == len(SEEDS)
        worst = [r["worst_ratio"] for r in runs if r["worst_ratio"] is not None]
        if worst:
            assert summary["worst_ratio"] == max(worst)
            assert summary["worst_seed"] in SEEDS
            assert [r for r in runs if r["worst_ratio"] == max(worst)][0]["seed"] == summary["worst_seed"]
            assert summary["ratios"]["min"] <= summary["ratios"]["median"] <= summary["ratios"]["max"]
            assert summary["ratios"]["max"] == summary["worst_ratio"]
    text = format_sweep(serial_sweep["claims"])
    assert all(cid in text for cid in CLAIMS)


def test_a_failure_gets_its_reproduce_command():
    """A claim that fails on one seed is counted and its exact reproduce command is listed."""
    from proofs_checks import registry
    claim = registry.get_claim(CLAIMS[0])
    original = claim.numeric

    def failing_on_seed_11(ctx):
        original(ctx)
        ctx.record(2.0 if ctx.seed == 11 else 0.5, 1.0, planted="yes")

    object.__setattr__(claim, "numeric", failing_on_seed_11)
    try:
        sweep = run_sweep([claim.id], SEEDS, jobs=1)
    finally:
        object.__setattr__(claim, "numeric", original)
    summary = sweep["claims"][0]
    assert summary["failed"] == 1 and summary["passed"] == 1
    assert summary["worst_seed"] == 11 and summary["worst_ratio"] == pytest.approx(2.0)
    assert summary["failures"][0]["reproduce"].startswith(f"rnnproof run --claim {claim.id} --seed 11 ")


def test_task_results_do_not_depend_on_execution_order():
    tasks = [Task(cid, 7) for cid in CLAIMS[:4]]
    forward = {r["id"]: _without_timings(r) for r in execute(run_task, tasks)}
    backward = {r["id"]: _without_timings(r) for r in execute(run_task, tasks[::-1])}
    assert forward == backward


@pytest.mark.parametrize("text, seeds", [("0..3", [0, 1, 2, 3]), ("5", [5]), ("1,3,3", [1, 3]),
                                         ("0..1,9", [0, 1, 9])])
def test_parse_seeds(text, seeds):
    assert parse_seeds(text) == seeds


@pytest.mark.parametrize("text", ["-1", "3..1", "a..b", "", "0..-2", "1.5"])
def test_parse_seeds_rejects(text):
    with pytest.raises(InputError, match="--seeds"):
        parse_seeds(text)


@pytest.mark.parametrize("text", ["local:0", "local:x", "local:", "two words"])
def test_parse_scheduler_rejects(text):
    with pytest.raises(InputError, match="--scheduler"):
        parse_scheduler(text)


def test_parse_scheduler():
    assert parse_scheduler("local:2") == ("local", 2)
    assert parse_scheduler("tcp://127.0.0.1:8786") == ("address", "tcp://127.0.0.1:8786")


def test_ratio_summary_ignores_exact_facts():
    from proofs_checks.registry import CheckContext
    ctx = CheckContext(claim_id=CLAIMS[0], seed=0, examples=1)
    ctx.require(True, "a boolean fact")
    ctx.record(1e-16, 1e-15)
    ctx.record(-5.0, 1.0)  # a signed margin well inside counts as ratio 0
    assert ctx.ratios == [pytest.approx(0.1), 0.0]
    assert math.isclose(max(ctx.ratios), 0.1)
