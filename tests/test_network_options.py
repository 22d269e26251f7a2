"""Every command that takes a network reads trained-network files with the shared reader options.

For each command: a PsychRNN ``.npz`` with ``--dt/--tau`` and a 2-layer torch ``.safetensors``
with ``--layer 1`` are read (the network the command received is compared with the file's own
weights, independently of the reader), and a PsychRNN file without ``--dt/--tau`` exits 2 with one
line naming the options. Fixtures are written here with numpy and safetensors.
"""

import numpy as np
import pytest

from proofs_checks import inputs
from proofs_checks.cli import main

safetensors_numpy = pytest.importorskip("safetensors.numpy")

N, M = 3, 2
DT, TAU = 10.0, 50.0


@pytest.fixture
def files(tmp_path):
    rng = np.random.default_rng(7)
    psych = {"W_in": rng.uniform(-0.5, 0.5, (N, M)), "W_rec": 0.3 * rng.standard_normal((N, N)),
             "W_out": rng.standard_normal((1, N)), "b_rec": 0.1 * rng.standard_normal(N),
             "b_out": np.zeros(1), "init_state": np.zeros((1, N))}
    np.savez(tmp_path / "psych.npz", **psych)
    torch2 = {"weight_ih_l0": rng.standard_normal((N, M)), "weight_hh_l0": 0.3 * rng.standard_normal((N, N)),
              "bias_ih_l0": rng.standard_normal(N), "bias_hh_l0": rng.standard_normal(N),
              "weight_ih_l1": rng.standard_normal((N, N)), "weight_hh_l1": 0.2 * rng.standard_normal((N, N)),
              "bias_ih_l1": 0.1 * rng.standard_normal(N), "bias_hh_l1": 0.1 * rng.standard_normal(N)}
    safetensors_numpy.save_file({k: np.ascontiguousarray(v) for k, v in torch2.items()},
                                str(tmp_path / "two.safetensors"), metadata={"nonlinearity": "tanh"})
    return tmp_path, psych, torch2


def _argv(command, net, tmp):
    """A command line of ``command`` on the network file ``net`` (outputs in ``tmp``)."""
    return {
        "run": ["run", "--claim", "linearization.same_spectrum", "--examples", "1", "--quiet", "--network", net],
        "linearize": ["linearize", net],
        "urnn": ["urnn", net, "--input-bound", "1", "--out", str(tmp / "u.npz"), "--check-trials", "0"],
        "equivalent": ["equivalent", net, net, "--input-bound", "1", "--steps", "2", "--trials", "1",
                       "--counterexample", str(tmp / "cex.npz")],
        "probe": ["probe", net, "--data", str(tmp / "absent-data.npz")],
        "volterra": ["volterra", net, "--input", str(tmp / "absent-input.npz"), "--order", "1"],
        "convert": ["convert", net, "--out", str(tmp / "converted.npz")],
    }[command]


COMMANDS = ["run", "linearize", "urnn", "equivalent", "probe", "volterra", "convert"]


@pytest.fixture
def recorded(monkeypatch):
    """The networks every command received from read_network_argument."""
    seen = []
    real = inputs.read_network_argument

    def spy(*args, **kwargs):
        spec = real(*args, **kwargs)
        seen.append(spec)
        return spec
    monkeypatch.setattr(inputs, "read_network_argument", spy)
    return seen


@pytest.mark.parametrize("command", COMMANDS)
def test_psychrnn_with_dt_tau_is_read(files, command, recorded, capsys):
    tmp, psych, _ = files
    argv = _argv(command, str(tmp / "psych.npz"), tmp) + ["--dt", str(DT), "--tau", str(TAU)]
    rc = main(argv)
    err = capsys.readouterr().err
    assert recorded, f"{command} did not read the network: rc={rc}, {err}"
    spec = recorded[0]
    # PsychRNN's leaky model with α = dt/τ and, without dale_ratio/masks, W = W_rec, B = W_in
    assert spec.alpha == pytest.approx(DT / TAU, rel=0, abs=0)
    np.testing.assert_array_equal(spec.W, psych["W_rec"])
    np.testing.assert_array_equal(spec.B, psych["W_in"])
    assert "--dt" not in err and "does not apply" not in err


@pytest.mark.parametrize("command", COMMANDS)
def test_torch_layer_one_is_read(files, command, recorded, capsys):
    tmp, _, sd = files
    rc = main(_argv(command, str(tmp / "two.safetensors"), tmp) + ["--layer", "1"])
    err = capsys.readouterr().err
    assert recorded, f"{command} did not read the network: rc={rc}, {err}"
    spec = recorded[0]
    # torch's h_t = tanh(W_ih x + b_ih + W_hh h + b_hh) for layer 1: W = W_hh_l1, B = W_ih_l1
    np.testing.assert_array_equal(spec.W, sd["weight_hh_l1"])
    np.testing.assert_array_equal(spec.B, sd["weight_ih_l1"])
    np.testing.assert_allclose(spec.bias(), sd["bias_ih_l1"] + sd["bias_hh_l1"], rtol=0, atol=0)
    assert "--layer" not in err


@pytest.mark.parametrize("command", COMMANDS)
def test_psychrnn_without_dt_tau_is_one_line(files, command, capsys):
    tmp, _, _ = files
    capsys.readouterr()
    assert main(_argv(command, str(tmp / "psych.npz"), tmp)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--dt" in err and "--tau" in err
    assert not (tmp / "u.npz").exists() and not (tmp / "converted.npz").exists()


@pytest.mark.parametrize("command", ["linearize", "run", "convert"])
def test_option_for_an_rnnproof_file_is_refused(tmp_path, command, capsys):
    from numerics import RNNSpec, save_network
    save_network(tmp_path / "net.npz", RNNSpec(W=0.5 * np.eye(2), time="discrete"))
    capsys.readouterr()
    assert main(_argv(command, str(tmp_path / "net.npz"), tmp_path) + ["--dt", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--dt does not apply" in err and "rnnproof network file" in err


def test_reader_options_without_network(capsys):
    assert main(["run", "--claim", "linearization.same_spectrum", "--dt", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--network" in err


def test_run_checks_the_claims_on_the_read_network(files, tmp_path):
    """run --network on a PsychRNN file: the claims see the leaky network (via its rnnproof copy)."""
    import json
    tmp, _, _ = files
    out = tmp_path / "r.json"
    rc = main(["run", "--claim", "linearization.discrete_leaky", "--examples", "1", "--quiet",
               "--network", str(tmp / "psych.npz"), "--dt", str(DT), "--tau", str(TAU), "--json", str(out)])
    report = json.loads(out.read_text())
    assert rc == 0, report
    text = json.dumps(report)
    assert "not applicable" not in text.lower() or "leaky" in text.lower()
