"""``rnnproof volterra``: agreement with an independent finite-difference-in-ε solve of the network
ODE on networks and inputs it was never tuned on, the JSON schema, and bad input (exit 2)."""

import json
import math
import os
import subprocess
import sys

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from numerics import RNNSpec, save_network
from proofs_checks.cli import main


def _fd_weights(order, q):
    # central stencil on -q..q for the order-th derivative (independent of numerics.fd_weights)
    x = np.arange(-q, q + 1, dtype=float)
    V = np.vander(x, len(x), increasing=True).T
    rhs = np.zeros(len(x))
    rhs[order] = math.factorial(order)
    return np.linalg.solve(V, rhs)


def _ode_output(spec, t, u, eps):
    """y(T) of dh = -gamma h + tanh(W h + b) + eps B u(t) from the fixed point (scipy only)."""
    g, W, b, B, C = spec.gamma, spec.W, spec.bias(), spec.B, spec.C
    act = np.tanh if spec.activation == "tanh" else (lambda z: z)
    from scipy.optimize import fsolve
    h0 = fsolve(lambda h: -g * h + act(W @ h + b), np.zeros(spec.n), xtol=1e-14)
    h = h0
    for a, c in zip(t[:-1], t[1:]):
        ua, uc = u[np.searchsorted(t, a)], u[np.searchsorted(t, c)]
        f = lambda s, x: -g * x + act(W @ x + b) + eps * (B @ (ua + (s - a) / (c - a) * (uc - ua)))  # noqa: E731
        h = solve_ivp(f, (a, c), h, method="DOP853", rtol=1e-12, atol=1e-14).y[:, -1]
    return C @ h + (0 if spec.d is None else spec.d)


def _fd_coefficients(spec, t, u, order, e=0.05, q=3):
    ys = np.array([_ode_output(spec, t, u, j * e) for j in range(-q, q + 1)])
    return [(_fd_weights(k, q) @ ys) / (math.factorial(k) * e ** k) for k in range(1, order + 1)]


def _random_case(seed, n, m, p, samples):
    rng = np.random.default_rng(seed)
    gamma = rng.uniform(0.6, 1.8, n)
    W = rng.standard_normal((n, n)) * 0.7 * gamma.min() / math.sqrt(n)
    spec = RNNSpec(W=W, B=rng.uniform(-1, 1, (n, m)), b=rng.uniform(-0.5, 0.5, n), C=rng.standard_normal((p, n)),
                   d=rng.standard_normal(p), form="srnn", gamma=gamma)
    T = rng.uniform(1.0, 4.0)
    t = np.sort(np.concatenate([[0.0, T], rng.uniform(0, T, samples - 2)]))
    u = rng.uniform(-1, 1, (samples, m))
    return spec, t, u


@pytest.mark.parametrize("seed,n,m,p,samples", [(101, 2, 1, 1, 7), (202, 3, 2, 2, 25), (303, 1, 2, 1, 12)])
def test_volterra_matches_finite_differences_in_eps(tmp_path, seed, n, m, p, samples):
    spec, t, u = _random_case(seed, n, m, p, samples)
    save_network(tmp_path / "net.npz", spec)
    np.savez(tmp_path / "inp.npz", t=t, u=u)
    out = tmp_path / "v.json"
    assert main(["volterra", str(tmp_path / "net.npz"), "--input", str(tmp_path / "inp.npz"),
                 "--order", "3", "--json", str(out)]) == 0
    res = json.loads(out.read_text())
    assert res["schema"] == "rnnproof.volterra/1" and res["order"] == 3
    assert len(res["coefficients"]) == 3 and all(len(c) == p for c in res["coefficients"])
    assert res["methods"] == ["variational_hierarchy"] * 3
    ref = _fd_coefficients(spec, t, u, 3)
    for k in range(3):
        # FD error: O(e^6) truncation of the 7-point stencil (e = 0.05) plus ~1e-12 solver error / e^k
        tol = 1e-6 + 1e-6 * np.max(np.abs(ref[k]))
        np.testing.assert_allclose(res["coefficients"][k], ref[k], rtol=0, atol=tol)
    K = np.array(res["kernel_order1"]["values"])
    assert K.shape == (len(t), p, m)


def test_kernel_values_are_impulse_responses(tmp_path):
    # K1(lag) against the derivative of the response to a short pulse, two channels
    spec, t, u = _random_case(404, 2, 2, 1, 5)
    grid = np.linspace(0, 2.0, 201)
    save_network(tmp_path / "net.npz", spec)
    np.savez(tmp_path / "inp.npz", t=grid, u=np.zeros((201, 2)))
    out = tmp_path / "k.json"
    assert main(["volterra", str(tmp_path / "net.npz"), "--input", str(tmp_path / "inp.npz"), "--order", "1",
                 "--json", str(out)]) == 0
    K = np.array(json.loads(out.read_text())["kernel_order1"]["values"])
    # Y1(T) for u = unit step on channel k starting at s equals int_0^{T-s} K(lag) dlag
    for k in range(2):
        # unit step on channel k switched on at s = 1 (jump smoothed over 1e-9)
        tt = np.array([0.0, 1.0, 1.0 + 1e-9, 2.0])
        step = np.zeros((4, 2))
        step[2:, k] = 1.0
        ref = _fd_coefficients(spec, tt, step, 1, e=0.01, q=1)[0][0]
        lags = grid[grid <= 1.0 + 1e-12]
        integ = np.trapezoid(K[: len(lags), 0, k], lags)
        assert abs(integ - ref) < 2e-4 * (1 + abs(ref))


def test_noisy_linear_network_matches_deterministic_kernels(tmp_path, capsys):
    # OU with a linear readout: the response does not depend on sigma (claim ou_closed_form (v))
    rng = np.random.default_rng(7)
    W = rng.standard_normal((2, 2)) * 0.3
    base = RNNSpec(W=W, B=rng.standard_normal((2, 1)), b=rng.standard_normal(2), C=rng.standard_normal((1, 2)),
                   form="srnn", gamma=np.array([1.0, 1.5]), activation="linear")
    t = np.linspace(0, 2, 11)
    np.savez(tmp_path / "inp.npz", t=t, u=np.sin(3 * t)[:, None])
    res = {}
    for name, spec in (("det", base), ("ou", base.replace(sigma=np.array(0.7)))):
        save_network(tmp_path / f"{name}.npz", spec)
        assert main(["volterra", str(tmp_path / f"{name}.npz"), "--input", str(tmp_path / "inp.npz"), "--order", "2",
                     "--json", str(tmp_path / f"{name}.json")]) == 0
        res[name] = json.loads((tmp_path / f"{name}.json").read_text())
    assert res["ou"]["methods"] == ["ou_closed_form"] * 2
    np.testing.assert_allclose(res["ou"]["coefficients"], res["det"]["coefficients"], atol=1e-9)


def test_noisy_1d_network_reports_chain_method_and_uncertainty(tmp_path):
    spec = RNNSpec(W=[[0.5]], B=[[1.0]], b=[0.5], C=[[1.0]], form="srnn", gamma=[1.0], sigma=np.array(0.6))
    save_network(tmp_path / "n.npz", spec)
    t = np.linspace(0, 1.5, 16)
    np.savez(tmp_path / "i.npz", t=t, u=np.cos(2 * t)[:, None])
    assert main(["volterra", str(tmp_path / "n.npz"), "--input", str(tmp_path / "i.npz"), "--order", "2",
                 "--json", str(tmp_path / "o.json")]) == 0
    res = json.loads((tmp_path / "o.json").read_text())
    assert res["methods"] == ["grid_chain"] * 2
    assert all(0 < u[0] < 1e-3 for u in res["uncertainty"])
    # small-noise: close to the deterministic first-order coefficient (O(sigma^2) apart)
    det = spec.replace(sigma=None)
    save_network(tmp_path / "d.npz", det)
    assert main(["volterra", str(tmp_path / "d.npz"), "--input", str(tmp_path / "i.npz"), "--order", "1",
                 "--json", str(tmp_path / "d.json")]) == 0
    d = json.loads((tmp_path / "d.json").read_text())
    assert abs(res["coefficients"][0][0] - d["coefficients"][0][0]) < 0.5 * 0.6 ** 2 * abs(d["coefficients"][0][0]) + 0.05


def _bad(tmp_path, argv, capsys, fragment):
    out = tmp_path / "bad.json"
    code = main(argv + ["--json", str(out)])
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and fragment in err, err
    assert not out.exists()


@pytest.fixture
def good(tmp_path):
    spec, t, u = _random_case(11, 2, 2, 1, 6)
    save_network(tmp_path / "net.npz", spec)
    np.savez(tmp_path / "inp.npz", t=t, u=u)
    return tmp_path, spec, t, u


@pytest.mark.parametrize("case,fragment", [
    ("t_not_zero", "start at 0"),
    ("t_not_increasing", "strictly increasing"),
    ("u_shape", "shape"),
    ("u_columns", "column"),
    ("u_nan", "NaN"),
    ("order_zero", "order"),
    ("unstable", "largest real part"),
    ("not_srnn", "form='srnn'"),
    ("missing_key", "lacks key"),
])
def test_bad_input_is_one_line_exit_2(good, capsys, case, fragment):
    tmp_path, spec, t, u = good
    net, inp, order = tmp_path / "net.npz", tmp_path / "inp.npz", "2"
    if case == "t_not_zero":
        np.savez(inp, t=t + 0.5, u=u)
    elif case == "t_not_increasing":
        t2 = t.copy()
        t2[3] = t2[2]
        np.savez(inp, t=t2, u=u)
    elif case == "u_shape":
        np.savez(inp, t=t, u=u[:-1])
    elif case == "u_columns":
        np.savez(inp, t=t, u=np.ones((len(t), 3)))
    elif case == "u_nan":
        u2 = u.copy()
        u2[1, 0] = np.nan
        np.savez(inp, t=t, u=u2)
    elif case == "order_zero":
        order = "0"
    elif case == "unstable":
        save_network(net, RNNSpec(W=np.diag([3.0, 0.2]), B=spec.B, C=spec.C, form="srnn", gamma=np.ones(2),
                                  activation="linear"))
    elif case == "not_srnn":
        save_network(net, RNNSpec(W=spec.W, B=spec.B, C=spec.C))
    elif case == "missing_key":
        np.savez(inp, t=t)
    _bad(tmp_path, ["volterra", str(net), "--input", str(inp), "--order", order], capsys, fragment)


def test_cli_subprocess_exit_codes(good):
    tmp_path, *_ = good
    ok = subprocess.run([sys.executable, "-m", "proofs_checks", "volterra", str(tmp_path / "net.npz"), "--input",
                         str(tmp_path / "inp.npz"), "--order", "1"], capture_output=True, text=True)
    assert ok.returncode == 0 and "Y_1(T)" in ok.stdout
    bad = subprocess.run([sys.executable, "-m", "proofs_checks", "volterra", str(tmp_path / "nope.npz"), "--input",
                          str(tmp_path / "inp.npz"), "--order", "1"], capture_output=True, text=True)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1
    assert os.path.exists(tmp_path / "net.npz")
