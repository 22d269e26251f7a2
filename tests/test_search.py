"""rnnproof search: Hypothesis finds and shrinks counterexamples; replay files re-check them."""

import json

import numpy as np
import pytest

from proofs_checks import registry
from proofs_checks.instances import HypothesisGenerator, ReplayGenerator, load_draws, save_draws
from proofs_checks.registry import Claim, Proof, Sides, Tolerance
from proofs_checks.runner import run_claim
from proofs_checks.search import search_claim
from numerics.errors import InputError


def _planted(ctx):
    """A 'claim' that trace(A) = sum of eigenvalues, with a planted bug for n ≥ 3: the witness
    drops the last diagonal entry."""
    for rng in ctx.instances():
        n = int(rng.integers(1, 7))
        A = rng.standard_normal((n, n))
        trace = np.trace(A) - (A[-1, -1] if n >= 3 else 0.0)
        error = abs(trace - np.linalg.eigvals(A).sum().real)
        ctx.record(error, 1e-9 * (1 + np.abs(A).sum()), n=n)


@pytest.fixture
def planted_claim():
    claim = Claim(id="demo.planted_trace", paper="demo", title="trace = Σ eigenvalues (planted bug)",
                  reference="test", statement=lambda: None, hypotheses=(),
                  tolerance=Tolerance("1e-9·(1 + Σ|A_ij|)", "eig is backward stable", kind="roundoff"),
                  numeric=_planted, symbolic=lambda: Proof(True), sides=Sides(numeric=("numpy",)),
                  relaxable={"square": "non-square"})
    registry._REGISTRY[claim.id] = claim
    yield claim
    del registry._REGISTRY[claim.id]


def test_search_finds_and_shrinks(planted_claim, tmp_path):
    record = search_claim(planted_claim.id, budget=100, seed=1)
    assert record["found"], record
    c = record["counterexample"]
    assert c["kind"] == "fail" and c["info"]["n"] == 3, c  # shrunk to the smallest failing size
    # The shrunk matrix is simple: the bug needs only A[2, 2] ≠ 0.
    matrix = np.array(c["draws"][1][1])
    assert matrix.shape == (3, 3) and np.count_nonzero(matrix) == 1 and matrix[2, 2] != 0
    path = tmp_path / "cx.json"
    save_draws(str(path), planted_claim.id, c["draws"])
    replayed = run_claim(planted_claim.id, replay_path=str(path))
    assert replayed["status"] == "fail"
    assert replayed["reproduce"] == f"rnnproof run --claim {planted_claim.id} --replay {path}"


def test_search_on_a_true_claim_finds_nothing(planted_claim, monkeypatch):
    def fixed(ctx):
        for rng in ctx.instances():
            n = int(rng.integers(1, 7))
            A = rng.standard_normal((n, n))
            ctx.record(abs(np.trace(A) - np.linalg.eigvals(A).sum().real), 1e-9 * (1 + np.abs(A).sum()), n=n)
            ctx.edge("n = 1", n == 1)
    object.__setattr__(planted_claim, "numeric", fixed)
    record = search_claim(planted_claim.id, budget=40, seed=2)
    assert not record["found"] and record["tried"] == 40
    assert 0 < record["edges"]["n = 1"] < 40


def test_database_replays_a_failure_first(planted_claim, tmp_path):
    first = search_claim(planted_claim.id, budget=100, seed=3, database=str(tmp_path / "db"))
    assert first["found"]
    again = search_claim(planted_claim.id, budget=100, seed=4, database=str(tmp_path / "db"))
    assert again["found"] and again["tried"] <= 3


def test_relax_must_be_declared(planted_claim):
    with pytest.raises(InputError, match="--relax"):
        search_claim(planted_claim.id, relax="contractive")


def test_replay_file_validation(planted_claim, tmp_path):
    bad = tmp_path / "bad.json"
    for content in ("not json", json.dumps({"schema": "x"}),
                    json.dumps({"schema": "rnnproof.instance/1", "claim": "other.claim", "draws": []}),
                    json.dumps({"schema": "rnnproof.instance/1", "claim": planted_claim.id,
                                "draws": [["eval", "__import__('os')"]]})):
        bad.write_text(content)
        with pytest.raises(InputError, match="--replay"):
            load_draws(str(bad), planted_claim.id)


def test_replay_generator_reproduces_hypothesis_draws():
    from hypothesis import given, settings, strategies as st
    seen = {}

    @settings(max_examples=5, database=None)
    @given(st.data())
    def draw(data):
        gen = HypothesisGenerator(data)
        values = (gen.integers(2, 5), gen.uniform(-1, 2, size=(2,)), gen.standard_normal((100,)),
                  gen.choice(["a", "b", "c"]), gen.permutation(4), gen.random(), gen.normal(1.0, 2.0),
                  gen.choice(10, size=3, replace=False), gen.dirichlet(np.ones(3)))
        seen["draws"], seen["values"] = list(gen.draws), values

    draw()
    replay = ReplayGenerator(seen["draws"])
    again = (replay.integers(2, 5), replay.uniform(-1, 2, size=(2,)), replay.standard_normal((100,)),
             replay.choice(["a", "b", "c"]), replay.permutation(4), replay.random(), replay.normal(1.0, 2.0),
             replay.choice(10, size=3, replace=False), replay.dirichlet(np.ones(3)))
    for a, b in zip(seen["values"], again):
        assert np.array_equal(np.asarray(a), np.asarray(b))


def test_replay_of_a_relaxed_counterexample_runs_relaxed(planted_claim, tmp_path, monkeypatch):
    """A counterexample found with --relax NAME is re-checked beyond the same hypothesis."""
    seen = []

    def check(ctx):
        seen.append(ctx.relaxed)
        for rng in ctx.instances():
            ctx.record(float(rng.standard_normal() ** 2) if "square" in ctx.relaxed else 0.0, 1e-300)
    object.__setattr__(planted_claim, "numeric", check)
    path = tmp_path / "cx.json"
    save_draws(str(path), planted_claim.id, [("standard_normal", 0.5)], extra={"relaxed": "square"})
    assert run_claim(planted_claim.id, replay_path=str(path))["status"] == "fail"
    assert seen[-1] == frozenset({"square"})
    save_draws(str(path), planted_claim.id, [("standard_normal", 0.5)], extra={"relaxed": "contractive"})
    with pytest.raises(InputError, match="does not declare"):
        run_claim(planted_claim.id, replay_path=str(path))


def test_replay_of_a_crash_continues_once_the_crash_is_fixed(planted_claim, tmp_path):
    """A crash stops the recording at the crash; after the fix, the check draws past the file's end.
    Those draws get Hypothesis' simplest values (0 within the bounds), and the report says so."""
    def crashing(ctx):
        for rng in ctx.instances():
            n = int(rng.integers(1, 4))
            if n == 2:
                raise ZeroDivisionError("the planted crash at n = 2")
            ctx.record(0.0, 1.0)
    object.__setattr__(planted_claim, "numeric", crashing)
    record = search_claim(planted_claim.id, budget=50, seed=2)
    assert record["found"] and record["counterexample"]["kind"] == "error", record
    path = tmp_path / "crash.json"
    save_draws(str(path), planted_claim.id, record["counterexample"]["draws"])
    assert len(load_draws(str(path), planted_claim.id)) == 1
    seen = []

    def fixed(ctx):
        for rng in ctx.instances():
            n = int(rng.integers(1, 4))
            gain = float(rng.uniform(0.5, 2.0))          # a draw the crashing version never reached
            A = rng.standard_normal((n, n))
            seen.append((n, gain, A))
            ctx.record(abs(np.trace(A) - np.linalg.eigvals(A).sum().real), 1e-9 * (1 + np.abs(A).sum()))
    object.__setattr__(planted_claim, "numeric", fixed)
    replayed = run_claim(planted_claim.id, replay_path=str(path))
    assert replayed["status"] == "pass", replayed
    n, gain, A = seen[-1]
    assert n == 2 and gain == 0.5 and A.shape == (2, 2) and not A.any()
    assert "2 value(s) past the end of the file" in replayed["detail"], replayed["detail"]
