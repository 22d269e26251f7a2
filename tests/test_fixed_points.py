"""numerics.fixed_points: fixed and slow points from many starts, checked against independent
scalar root finding, finite-difference gradients and an analytic slow point."""

import itertools
import json

import numpy as np
import pytest
from scipy.optimize import brentq

from numerics import InputError, RNNSpec
from numerics.fixed_points import auto_starts, find_fixed_points, linearize_points, speed
from numerics.fixed_points import _Residual, _drive


def _specs(W, **kw):
    return {"elman": RNNSpec(W=W, time="discrete", **kw),
            "leaky": RNNSpec(W=W, time="discrete", alpha=0.3, **kw),
            "continuous": RNNSpec(W=W, tau=np.full(len(W), 2.0), **kw)}


@pytest.mark.parametrize("kind", ["elman", "leaky", "continuous"])
def test_gradient_matches_central_differences(kind):
    rng = np.random.default_rng(1)
    n = 5
    spec = _specs(rng.standard_normal((n, n)), B=rng.standard_normal((n, 2)), b=rng.standard_normal(n))[kind]
    res = _Residual(spec, _drive(spec, [0.3, -0.2]))
    S = rng.standard_normal((3, n))
    q, G, _ = res.q_and_grad(S)
    h = 1e-6
    for i in range(n):
        e = np.zeros(n)
        e[i] = h
        fd = (res.q_and_grad(S + e)[0] - res.q_and_grad(S - e)[0]) / (2 * h)
        # central difference: truncation h²|q'''|/6 plus rounding ε|q|/h, both far below 1e-6 here
        assert np.allclose(fd, G[:, i], rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("kind", ["elman", "leaky", "continuous"])
def test_decoupled_units_every_fixed_point(kind):
    """W = diag(2, 2.5): the fixed points are all 9 products of each unit's scalar roots."""
    gains = np.array([2.0, 2.5])
    spec = _specs(np.diag(gains))[kind]
    # Scalar roots of a = g tanh(a) (activation form) by bracketing, independent of the solver.
    roots = [[-brentq(lambda a: g * np.tanh(a) - a, 0.5, 5.0), 0.0, brentq(lambda a: g * np.tanh(a) - a, 0.5, 5.0)]
             for g in gains]
    expected_a = np.array(list(itertools.product(*roots)))
    # States: h = tanh(a) for Elman, the activation a otherwise.
    expected = np.tanh(expected_a) if kind == "elman" else expected_a
    grid = np.array(list(itertools.product(*[np.linspace(-1.5 * r[2], 1.5 * r[2], 7) for r in roots])))
    starts = (np.tanh(grid) if kind == "elman" else grid) + 1e-3
    out = find_fixed_points(spec, starts)
    found = np.array([p.state for p in out.fixed])
    assert len(out.fixed) == 9 and not out.slow
    for x, a in zip(expected, expected_a):
        j = int(np.argmin(np.linalg.norm(found - x, axis=1)))
        assert np.max(np.abs(found[j] - x)) <= 1e-12
        # unstable modes = units sitting at the 0 root (slope g > 1 there)
        assert out.fixed[j].unstable == int(np.sum(a == 0.0))
    assert np.all(out.assigned >= 0)


def test_slow_point_past_a_fold():
    """τẋ = −x + 2 tanh(x) + c just past the fold at x* = arccosh(√2): q = ½ẋ² has a positive
    local minimum at x*, q* = ½(c − c_fold)² with c_fold = x* − 2 tanh(x*)."""
    x_fold = np.arccosh(np.sqrt(2.0))
    c_fold = x_fold - 2 * np.tanh(x_fold)
    delta = 1e-3
    spec = RNNSpec(W=[[2.0]], b=[c_fold - delta])
    out = find_fixed_points(spec, np.linspace(0.3, 1.5, 9)[:, None], q_tol=1e-6)
    slow = out.slow
    assert len(slow) == 1
    assert abs(slow[0].state[0] - x_fold) <= 1e-4
    assert slow[0].q == pytest.approx(0.5 * delta ** 2, rel=1e-6)


def test_linearize_points_both_frames_and_speed():
    rng = np.random.default_rng(2)
    n = 12
    spec = RNNSpec(W=1.5 * rng.standard_normal((n, n)) / np.sqrt(n), B=rng.standard_normal((n, 1)),
                   b=0.1 * rng.standard_normal(n), time="discrete")
    starts, traj = auto_starts(spec, [0.2], n_starts=64, rng=np.random.default_rng(0))
    assert traj.shape[-1] == n and starts.shape == (64, n)
    out = find_fixed_points(spec, starts, u=[0.2])
    assert out.points
    lin = linearize_points(spec, out)
    for p, d in zip(out.points, lin):
        assert speed(spec, p.state, [0.2])[0] == pytest.approx(p.q, abs=1e-25)
        w_x = np.array([complex(*z) for z in d["eigenvalues"]["activation"]])
        # DW (state update in h) and WD share their spectrum: compare with the search's count
        assert int(np.sum(np.abs(w_x) > 1 + 1e-12)) == p.unstable
        assert d["similar"] is True and d["spectrum_max_distance"] <= 1e-10
    json.dumps(lin)


@pytest.mark.parametrize("starts, needle", [(np.ones((3, 4)), "must have shape (N, 3)"),
                                            (np.full((2, 3), np.nan), "NaN"),
                                            (np.zeros((0, 3)), "must have shape")])
def test_bad_starts(starts, needle):
    spec = RNNSpec(W=np.eye(3) * 0.5, time="discrete")
    with pytest.raises(InputError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        find_fixed_points(spec, starts)
    with pytest.raises(InputError, match="--q-tol"):
        find_fixed_points(spec, np.zeros((1, 3)), q_tol=-1.0)


def test_linearize_cli_starts(tmp_path, capsys):
    from numerics import save_network
    from proofs_checks.cli import main
    save_network(tmp_path / "net.npz", RNNSpec(W=np.diag([2.0, 2.5]), B=np.eye(2), time="discrete"))
    np.save(tmp_path / "u.npy", np.zeros(2))
    np.save(tmp_path / "s.npy", np.random.default_rng(0).uniform(-1, 1, (40, 2)))
    rc = main(["linearize", str(tmp_path / "net.npz"), "--starts", str(tmp_path / "s.npy"), "--input",
               str(tmp_path / "u.npy"), "--json", str(tmp_path / "p.json"), "--plot", str(tmp_path / "fig")])
    assert rc == 0
    data = json.loads((tmp_path / "p.json").read_text())
    assert data["schema"] == "rnnproof.linearize.points/1" and data["fixed_points"] == 9
    assert (tmp_path / "fig" / "points.png").stat().st_size > 0
    assert main(["linearize", str(tmp_path / "net.npz"), "--plot", str(tmp_path / "x")]) == 2
    np.save(tmp_path / "wrong.npy", np.ones((3, 5)))
    assert main(["linearize", str(tmp_path / "net.npz"), "--starts", str(tmp_path / "wrong.npy"),
                 "--json", str(tmp_path / "bad.json")]) == 2
    assert not (tmp_path / "bad.json").exists()
