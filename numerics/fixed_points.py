r"""Fixed and slow points of trained networks, found the way FixedPointFinder does, but faster.

Golub & Sussillo (JOSS 2018) find the fixed points of a trained RNN by minimising the speed

.. math:: q(s) = \tfrac12\lVert r(s)\rVert^2

from many states $s$ sampled along the network's own trajectories, where $r$ is the residual of the
state update in the network's own state coordinates (constant input $u$, $c = Bu + b$):

* discrete (Elman), state $h$: $r(h) = \phi(Wh + c) - h$, so $q = \frac12\lVert F(h) - h\rVert^2$;
* discrete leaky, state $x$: $r(x) = F(x) - x = \alpha(-x + W\phi(x) + c)$;
* continuous, state $x$: $r(x) = \dot x = T^{-1}(-x + W\phi(x) + c)$.

The residual's Jacobian is analytic ($DW - I$; $\alpha(-I + WD)$; $T^{-1}(-I + WD)$ with
$D = \operatorname{diag}\phi'(\cdot)$), so $\nabla q = J_r^\top r$ costs two matrix products for a
whole batch of states. The search:

1. **Quasi-Newton from every start.** L-BFGS on each start's own $q$ with the analytic gradient,
   all starts in one float32 batch (each iteration is one pair of batched matrix products over
   the starts still running), until the residual is about $10^{-4}$ per entry (inside Newton's
   basin) or the gradient vanishes (a slow point). A start whose $q$ cannot reach the kept level
   within the iteration budget at its own rate (a local minimum of $q$ above it) leaves early.
2. **Newton polish, start by start.** The end points are grouped in clusters of radius
   $0.1\cdot$scale; damped Newton (float64) converges at one representative per cluster, and the
   chord method (that point's LU factors reused) polishes every member from its own end point.
   Starts left unpolished resume L-BFGS in float64 (at most 100 iterations) and get a second round
   with radius $0.01\cdot$scale, Newton only in the clusters where a member reached q_tol. A start
   whose polished $q\le$ ``fixed_q_tol`` reached a *fixed point*; one that no round polishes keeps
   its quasi-Newton end point, a *slow point* when $\text{fixed\_q\_tol} < q \le \text{q\_tol}$.
3. **Deduplicate** within ``dedup_tol`` (2-norm, as FixedPointFinder's ``tol_unique``); each point
   records every start that reached it.

Stability is counted on the Jacobian of the state update at the point: unstable modes are the
eigenvalues with $|\lambda| > 1$ (discrete) or $\Re\lambda > 0$ (continuous).
:func:`linearize_points` linearizes every point in both frames (activation $A_x$, activity $A_r$)
with the conventions of ``rnnproof linearize`` (claims ``linearization.same_spectrum`` and
``linearization.intertwining``), and :func:`simulate` gives the trajectories the starts come from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import time
from typing import Optional

import numpy as np
import scipy.linalg as sla

from .activations import get_activation
from .errors import InputError
from .network import RNNSpec

__all__ = ["CriticalPoint", "FixedPointSearch", "speed", "simulate", "auto_starts",
           "find_fixed_points", "linearize_points", "state_kind"]

EPS = np.finfo(float).eps


def state_kind(spec: RNNSpec) -> str:
    """``activity`` for a plain discrete network (its state is $h=\\phi(a)$), else ``activation``."""
    return "activity" if spec.time == "discrete" and spec.alpha is None else "activation"


def _drive(spec: RNNSpec, u) -> np.ndarray:
    m = spec.m
    if u is None:
        u = np.zeros(m)
    u = np.asarray(u, dtype=float).reshape(-1)
    if u.shape != (m,):
        raise InputError(f"--input must hold m = {m} values (one per column of B), got {u.size}")
    if not np.all(np.isfinite(u)):
        raise InputError("--input contains NaN or Inf; every entry must be finite")
    return spec.input_matrix() @ u + spec.bias()


class _Residual:
    """Batched residual r(S), q(S) and grad q(S) for states S (N, n) under the drive c."""

    def __init__(self, spec: RNNSpec, c: np.ndarray, dtype=np.float64):
        if spec.form != "rnn":
            raise InputError("fixed points of form=srnn networks are found by `rnnproof volterra`, not here")
        self.spec, self.c = spec, np.asarray(c, dtype=dtype)
        self.W = np.asarray(spec.W, dtype=dtype)
        self.act = get_activation(spec.activation)
        self.kind = "elman" if spec.time == "discrete" and spec.alpha is None else (
            "leaky" if spec.time == "discrete" else "continuous")
        self.scale = spec.alpha if self.kind == "leaky" else 1.0
        self.inv_tau = None if self.kind != "continuous" else (1.0 / spec.tau_vector()).astype(dtype)
        self.dtype = dtype

    def residual(self, S):
        """(r, gains argument a): r(S) and the point where φ' is taken."""
        if self.kind == "elman":
            A = S @ self.W.T + self.c
            return self.act.phi(A) - S, A
        R = -S + self.act.phi(S) @ self.W.T + self.c
        R = R * (self.scale if self.kind == "leaky" else self.inv_tau)
        return R, S

    def q_and_grad(self, S):
        R, A = self.residual(S)
        d = self.act.dphi(A)
        if self.kind == "elman":              # J_r = D W - I  ->  J_rᵀ r = Wᵀ(d ⊙ r) - r
            G = (d * R) @ self.W - R
        elif self.kind == "leaky":            # J_r = α(-I + W D)  ->  J_rᵀ r = α(-r + d ⊙ Wᵀ r)
            G = self.scale * (-R + d * (R @ self.W))
        else:                                 # J_r = T⁻¹(-I + W D)  ->  J_rᵀ r = -T⁻¹r + d ⊙ Wᵀ T⁻¹ r
            Rt = R * self.inv_tau
            G = -Rt + d * (Rt @ self.W)
        return 0.5 * np.einsum("ij,ij->i", R, R), G, R

    def jacobians(self, S):
        """Stacked J_r(s) (K, n, n)."""
        _, A = self.residual(S)
        d = self.act.dphi(A)
        n = self.W.shape[0]
        eye = np.eye(n)
        if self.kind == "elman":
            return d[:, :, None] * self.W[None] - eye
        J = self.W[None] * d[:, None, :] - eye
        return J * (self.scale if self.kind == "leaky" else self.inv_tau[None, :, None])

    def update_jacobians(self, S):
        """Jacobian of the state update: F'(s) = I + J_r (discrete) or J_r = ẋ' (continuous)."""
        J = self.jacobians(S)
        if self.kind != "continuous":
            J = J + np.eye(J.shape[1])
        return J


def speed(spec: RNNSpec, states, u=None) -> np.ndarray:
    r"""$q(s)=\frac12\lVert r(s)\rVert^2$ for each row of ``states`` (module docstring)."""
    S = _check_states(spec, states)
    return _Residual(spec, _drive(spec, u)).q_and_grad(S)[0]


def _check_states(spec, states, name="--starts"):
    S = np.asarray(states)
    if S.dtype == object or S.dtype.kind not in "iuf":
        raise InputError(f"{name} must be a real numeric array, got dtype {S.dtype}")
    S = S.astype(float)
    if S.ndim == 1 and S.size == spec.n:
        S = S[None, :]
    if S.ndim == 3 and S.shape[-1] == spec.n:
        S = S.reshape(-1, spec.n)          # (trials, time, n) trajectories
    if S.ndim != 2 or S.shape[1] != spec.n or S.shape[0] == 0:
        raise InputError(f"{name} must have shape (N, {spec.n}) or (trials, T, {spec.n}) (one state per "
                         f"row, in the network's {state_kind(spec)} coordinates), got {np.shape(states)}")
    if not np.all(np.isfinite(S)):
        raise InputError(f"{name} contains NaN or Inf; every state must be finite")
    return S


def simulate(spec: RNNSpec, U, x0=None) -> tuple:
    r"""States (T, n) and outputs (T, k) of a discrete network on inputs ``U`` (T, m).

    Elman: $h_k=\phi(Wh_{k-1}+Bu_k+b)$, $y_k=Ch_k+d$; leaky: $x_k=x_{k-1}+\alpha(-x_{k-1}+W\phi(x_{k-1})
    +Bu_k+b)$, $y_k=C\phi(x_k)+d$; $x_{-1}$ = ``x0``, else ``spec.h0``, else 0. Outputs are the
    states when there is no ``C``.

    >>> spec = RNNSpec(W=[[0.5]], B=[[1.0]], time="discrete", activation="relu", alpha=0.5)
    >>> simulate(spec, [[1.0], [0.0]])[0].ravel().tolist()
    [0.5, 0.375]
    """
    if spec.time != "discrete" or spec.form != "rnn":
        raise InputError("simulate needs a discrete-time network (time=discrete, form=rnn)")
    U = np.asarray(U, dtype=float)
    if U.ndim == 1 and spec.m <= 1:
        U = U.reshape(-1, spec.m)
    if U.ndim != 2 or U.shape[1] != spec.m:
        raise InputError(f"inputs must have shape (T, {spec.m}), got {U.shape}")
    act = get_activation(spec.activation)
    W = np.asarray(spec.W)
    x = np.zeros(spec.n) if x0 is None and spec.h0 is None else np.asarray(spec.h0 if x0 is None else x0, float)
    drive = U @ spec.input_matrix().T + spec.bias()
    X = np.empty((U.shape[0], spec.n))
    for k in range(U.shape[0]):
        if spec.alpha is None:
            x = act.phi(W @ x + drive[k])
        else:
            x = x + spec.alpha * (-x + W @ act.phi(x) + drive[k])
        X[k] = x
    if spec.C is None:
        return X, X
    H = X if spec.alpha is None else act.phi(X)
    return X, H @ spec.C.T + (0.0 if spec.d is None else spec.d)


def auto_starts(spec: RNNSpec, u=None, n_starts: int = 256, rng=None, n_trials: int = 16,
                steps: int = 100, noise: float = 0.0) -> tuple:
    r"""Starts sampled along the network's own trajectories under the constant input ``u``.

    ``n_trials`` trajectories of ``steps`` steps from seeded random initial states
    ($\tanh$: uniform in $(-1, 1)^n$; otherwise $N(0, (1+\lVert W\rVert_F/\sqrt n)^2)$, plus
    ``spec.h0`` when set), then ``n_starts`` states drawn from them uniformly (FixedPointFinder's
    ``sample_states``), with optional Gaussian ``noise``. Continuous networks are integrated with
    ``scipy.integrate.solve_ivp`` over ``steps`` time constants. Returns ``(starts, trajectories)``.
    """
    if rng is None:
        raise InputError("auto_starts needs a seeded numpy Generator (rng)")
    c = _drive(spec, u)
    n = spec.n
    scale = 1.0 + np.linalg.norm(spec.W) / np.sqrt(n)
    inits = (rng.uniform(-1.0, 1.0, size=(n_trials, n)) if spec.activation == "tanh"
             else scale * rng.standard_normal((n_trials, n)))
    if spec.h0 is not None:
        inits[0] = spec.h0
    if spec.time == "discrete":
        U = np.broadcast_to(np.asarray(u if u is not None else np.zeros(spec.m), float), (steps, spec.m))
        traj = np.stack([simulate(spec, U, x0=x0)[0] for x0 in inits])
    else:
        from scipy.integrate import solve_ivp
        res = _Residual(spec, c)
        t_end = float(steps) * float(np.max(spec.tau_vector()))
        t_eval = np.linspace(0.0, t_end, steps)
        traj = np.stack([solve_ivp(lambda t, x: res.residual(x[None])[0][0], (0.0, t_end), x0, t_eval=t_eval,
                                   rtol=1e-8, atol=1e-10).y.T for x0 in inits])
    flat = traj.reshape(-1, n)
    pick = rng.choice(flat.shape[0], size=int(n_starts), replace=flat.shape[0] < n_starts)
    starts = flat[pick]
    if noise > 0:
        starts = starts + noise * rng.standard_normal(starts.shape)
    return starts, traj


@dataclass(eq=False)
class CriticalPoint:
    """One fixed or slow point: ``state`` (network coordinates), ``activation`` $a$ (where the gains
    $\\phi'(a)$ are taken), ``q``, ``kind`` (``fixed`` / ``slow``), ``start`` (index of the start with
    the lowest end-point q), ``starts`` (every start that reached it), ``newton_steps``,
    ``unstable`` (number of unstable modes) and ``eigenvalues`` of the state-update Jacobian."""

    state: np.ndarray
    activation: np.ndarray
    q: float
    kind: str
    start: int
    starts: list
    newton_steps: int
    unstable: int = 0
    eigenvalues: Optional[np.ndarray] = None


@dataclass(eq=False)
class FixedPointSearch:
    """What :func:`find_fixed_points` found: ``points`` (fixed first, then slow, each by q), the
    per-start end-point ``q_end`` and ``assigned`` point index (-1: none), and the settings."""

    points: list
    q_end: np.ndarray
    assigned: np.ndarray
    q_tol: float
    fixed_q_tol: float
    dedup_tol: float
    iterations: int
    info: dict = field(default_factory=dict)

    @property
    def fixed(self):
        return [p for p in self.points if p.kind == "fixed"]

    @property
    def slow(self):
        return [p for p in self.points if p.kind == "slow"]


def _dedup(X, order, tol):
    """Greedy clusters in ``order``: label[i] = index (into order) of the first point within ``tol``."""
    reps, labels = [], np.full(X.shape[0], -1)
    for i in order:
        if reps:
            dist = np.linalg.norm(X[reps] - X[i], axis=1)
            j = int(np.argmin(dist))
            if dist[j] <= tol:
                labels[i] = j
                continue
        labels[i] = len(reps)
        reps.append(i)
    return reps, labels


def _newton(res: _Residual, S, max_steps=50):
    """Damped Newton on r(s) = 0 for every row of S at once (batched solves, Armijo on ‖r‖)."""
    S = S.copy()
    steps = np.zeros(S.shape[0], dtype=int)
    q, _, R = res.q_and_grad(S)
    active = np.ones(S.shape[0], dtype=bool)
    for _ in range(max_steps):
        tiny = q <= 0.5 * S.shape[1] * (4 * EPS * (1.0 + np.max(np.abs(S), axis=1))) ** 2
        active &= ~tiny
        if not active.any():
            break
        idx = np.flatnonzero(active)
        J = res.jacobians(S[idx])
        try:
            delta = np.linalg.solve(J, -R[idx][:, :, None])[:, :, 0]
        except np.linalg.LinAlgError:
            delta = np.stack([np.linalg.lstsq(Jk, -rk, rcond=None)[0] for Jk, rk in zip(J, R[idx])])
        t = np.ones(idx.size)
        accepted = np.zeros(idx.size, dtype=bool)
        for _ in range(30):
            trial = S[idx] + t[:, None] * delta
            q_trial, _, R_trial = res.q_and_grad(trial)
            ok = np.isfinite(q_trial) & (q_trial <= (1.0 - 1e-4 * t) ** 2 * q[idx])
            new = ok & ~accepted
            S[idx[new]] = trial[new]
            q[idx[new]] = q_trial[new]
            R[idx[new]] = R_trial[new]
            accepted |= ok
            if accepted.all():
                break
            t = np.where(accepted, t, 0.5 * t)
        steps[idx[accepted]] += 1
        active[idx[~accepted]] = False     # no descent: leave it where it is
    return S, q, steps


PROJECTION_WINDOW = 20
# Hand-off from float32 L-BFGS to Newton. Larger levels were measured on the benchmark network
# (3e-4: 5x more Newton clusters, most chord polishes failing, twice the time).
HANDOFF_RESIDUAL = 1e-4


def _batched_lbfgs(res: _Residual, S0, max_iter=1000, memory=5, q_stop=0.0, gtol=0.0, q_keep=None):
    """L-BFGS on every start's own q at once: per-start memory, per-start Armijo backtracking, and
    a start leaves the batch when q ≤ q_stop, ‖∇q‖∞ ≤ gtol or its line search fails. Each
    iteration is one batched residual evaluation (two (N, n)·(n, n) products) over the starts still
    running (the arrays are compacted once a quarter of the batch has stopped; stopped rows are
    frozen until then), so the batch shrinks as starts converge. Runs in ``res.dtype``.

    Hand-written rather than ``scipy.optimize.minimize``: scipy minimises one vector, so either a
    Python loop over starts (one call each) or the joint sum over starts, whose curvature pairs mix
    the starts (measured on the 256-unit benchmark network: 1698 joint L-BFGS-B iterations, against
    about 100 per start here). Returns (states, q, gradient-norm, iterations per start).

    With ``q_keep``, a start also leaves when it cannot reach ``q_keep`` within ``max_iter`` at its
    own rate: q fell by a factor ρ over the last ``PROJECTION_WINDOW`` iterations and
    ρ^((max_iter − it)/window) < q/q_keep. Such a start is settling on a local minimum of q above
    the level the caller keeps (on the benchmark network, 189 of 1024 starts, 40 % of the
    iterations); a start still approaching a zero of r keeps its rate and stays."""
    S_out = S0.astype(float)
    N, n = S0.shape
    q_out = np.empty(N)
    g_out = np.empty(N)
    its = np.zeros(N, dtype=int)
    ids = np.arange(N)
    S = S0.astype(res.dtype)
    q, G, _ = res.q_and_grad(S)
    # Per start: the last `memory` pairs (s, y) and their Gram matrices SY[a, b] = s_aᵀy_b,
    # YY[a, b] = y_aᵀy_b, kept up to date with one row and column per iteration.
    sh = np.zeros((N, memory, n), dtype=res.dtype)
    yh = np.zeros((N, memory, n), dtype=res.dtype)
    SY = np.zeros((N, memory, memory), dtype=res.dtype)
    YY = np.zeros((N, memory, memory), dtype=res.dtype)
    rho = np.zeros((N, memory), dtype=res.dtype)
    gmax = np.max(np.abs(G), axis=1)
    alive = np.ones(N, dtype=bool)
    stop = (q <= q_stop) | (gmax <= gtol)
    history = np.zeros((PROJECTION_WINDOW, N)) if q_keep is not None else None  # q, ring of float64
    for it in range(max_iter + 1):
        if it == max_iter:
            stop = alive.copy()
        newly = stop & alive
        if newly.any():
            S_out[ids[newly]], q_out[ids[newly]], g_out[ids[newly]] = S[newly], q[newly], gmax[newly]
            alive &= ~stop
        if not alive.any():
            break
        if alive.sum() < 0.75 * alive.size:
            ids, S, q, G, gmax = ids[alive], S[alive], q[alive], G[alive], gmax[alive]
            sh, yh, rho, SY, YY = sh[alive], yh[alive], rho[alive], SY[alive], YY[alive]
            if history is not None:
                history = history[:, alive]
            alive = np.ones(ids.size, dtype=bool)
        its[ids[alive]] += 1
        # The two-loop recursion over the last `memory` pairs (rho = 0 marks an empty slot), with
        # every inner product taken from Sᵀg, Yᵀg and the Gram matrices: four passes over the
        # stored pairs per iteration instead of 4·memory, and the loops run on (starts, memory)
        # arrays (Nocedal & Wright, Numerical Optimization, Alg. 7.4).
        order = [(it - 1 - j) % memory for j in range(memory)]        # newest first
        Sg = np.einsum("ikn,in->ik", sh, G)
        Yg = np.einsum("ikn,in->ik", yh, G)
        alphas = np.zeros((ids.size, memory), dtype=res.dtype)
        for pos, k in enumerate(order):
            # α_k = ρ_k s_kᵀ(g − Σ_{j newer} α_j y_j)
            newer = order[:pos]
            alphas[:, k] = rho[:, k] * (Sg[:, k] - np.einsum("ij,ij->i", alphas[:, newer], SY[:, k, newer]))
        last = order[0]
        yy = YY[:, last, last]
        tiny = np.finfo(res.dtype).tiny
        gamma = np.where(rho[:, last] > 0, 1.0 / np.maximum(rho[:, last] * yy, tiny), 0.0).astype(res.dtype)
        first = gamma <= 0
        if first.any():
            gamma[first] = 1.0 / np.maximum(np.max(np.abs(G[first]), axis=1), 1.0)
        y_qv = Yg - np.einsum("ij,ikj->ik", alphas, YY)               # y_kᵀ(g − Σ_j α_j y_j)
        betas = np.zeros_like(alphas)
        oldest_first = order[::-1]
        for pos, k in enumerate(oldest_first):
            # β_k = ρ_k y_kᵀ(γ qv + Σ_{j older} (α_j − β_j) s_j)
            older = oldest_first[:pos]
            betas[:, k] = rho[:, k] * (gamma * y_qv[:, k] + np.einsum(
                "ij,ij->i", alphas[:, older] - betas[:, older], SY[:, older, k]))
        r = gamma[:, None] * (G - np.einsum("ik,ikn->in", alphas, yh)) + np.einsum("ik,ikn->in", alphas - betas, sh)
        d = -r
        slope = np.einsum("ij,ij->i", G, d)
        bad = slope >= 0                              # not a descent direction: steepest descent
        if bad.any():
            d[bad] = -G[bad]
            slope[bad] = -np.einsum("ij,ij->i", G[bad], G[bad])
        t = np.ones(ids.size, dtype=res.dtype)
        done = ~alive
        every = bool(alive.all())
        trial = S + d if every else S[alive] + d[alive]       # the full step t = 1 first
        q_t, G_t, _ = res.q_and_grad(trial)
        todo = np.flatnonzero(alive)
        ok = np.isfinite(q_t) & (q_t <= q[todo] + 1e-4 * slope[todo])
        if every and ok.all():
            # The common case: every running start accepts the full step (no copies, no indexing).
            S_new, q_new, G_new = trial, q_t, G_t
            done[:] = True
        else:
            S_new, q_new, G_new = S.copy(), q.copy(), G.copy()
            for _ in range(40):
                acc = todo[ok]
                S_new[acc], q_new[acc], G_new[acc] = trial[ok], q_t[ok], G_t[ok]
                done[acc] = True
                todo = todo[~ok]
                if todo.size == 0:
                    break
                t[todo] *= 0.5
                trial = S[todo] + t[todo, None] * d[todo]
                q_t, G_t, _ = res.q_and_grad(trial)
                ok = np.isfinite(q_t) & (q_t <= q[todo] + 1e-4 * t[todo] * slope[todo])
        slot = it % memory
        s_vec, y_vec = S_new - S, G_new - G
        sh[:, slot], yh[:, slot] = s_vec, y_vec
        SY[:, slot, :] = np.einsum("in,ikn->ik", s_vec, yh)
        SY[:, :, slot] = np.einsum("ikn,in->ik", sh, y_vec)
        YY[:, slot, :] = YY[:, :, slot] = np.einsum("ikn,in->ik", yh, y_vec)
        sy = SY[:, slot, slot]
        ss = np.einsum("ij,ij->i", s_vec, s_vec)
        good = done & alive & (sy > 1e-12 * np.sqrt(ss * YY[:, slot, slot]))
        rho[:, slot] = np.where(good, 1.0 / np.where(good, sy, 1.0), 0.0)
        S, q, G = S_new, q_new, G_new
        gmax = np.max(np.abs(G), axis=1)
        stop = alive & ((~done) | (q <= q_stop) | (gmax <= gtol))
        if history is not None:
            slot_q = it % PROJECTION_WINDOW
            if it >= PROJECTION_WINDOW:
                q_then = history[slot_q]
                with np.errstate(divide="ignore", invalid="ignore"):
                    reachable = np.log(q_then / q) * (max_iter - it) / PROJECTION_WINDOW >= np.log(q / q_keep)
                stop |= alive & (q > q_keep) & ~reachable
            history[slot_q] = q
    return S_out, q_out, g_out, its


def find_fixed_points(spec: RNNSpec, starts, u=None, q_tol: float = 1e-6, fixed_q_tol: Optional[float] = None,
                      dedup_tol: float = 1e-3, max_iter: int = 2000, newton_steps: int = 50) -> FixedPointSearch:
    r"""Fixed and slow points of ``spec`` under the constant input ``u``, from every row of ``starts``.

    ``starts`` are states in the network's own coordinates (``state_kind``): $h$ for a plain
    discrete network, the activation $x$ otherwise. ``q_tol`` keeps the points with $q\le$ q_tol;
    ``fixed_q_tol`` (default $\frac n2(10^3\varepsilon\,(1+s))^2$ with $s$ the largest state entry
    seen, i.e. a residual of a thousand roundings per entry) separates fixed from slow points;
    ``dedup_tol`` is the 2-norm merge distance. See the module docstring for the algorithm.

    >>> spec = RNNSpec(W=2.0 * np.eye(1), time="discrete")      # h = tanh(2h): 0 and ±0.9575
    >>> out = find_fixed_points(spec, [[-0.5], [0.01], [0.7]])
    >>> [round(float(p.state[0]), 4) for p in sorted(out.points, key=lambda p: p.state[0])]
    [-0.9575, 0.0, 0.9575]
    >>> [p.unstable for p in sorted(out.points, key=lambda p: p.state[0])]
    [0, 1, 0]
    """
    S0 = _check_states(spec, starts)
    for name, v in (("--q-tol", q_tol), ("dedup_tol", dedup_tol)):
        if not (np.isfinite(v) and v > 0):
            raise InputError(f"{name} must be positive and finite, got {v!r}")
    res = _Residual(spec, _drive(spec, u))
    N, n = S0.shape

    clock = time.perf_counter()
    state_scale0 = 1.0 + float(np.max(np.abs(S0)))
    # Quasi-Newton in float32 (half the memory traffic of float64) until q ≤ n·(HANDOFF_RESIDUAL·scale)²,
    # a residual of about 10⁻⁴ per entry (a thousand float32 roundings of r) and inside Newton's
    # basin; or a vanishing gradient (a slow point), or max_iter. Newton then works in float64.
    fast = _Residual(spec, res.c, dtype=np.float32)
    q_stop = n * (HANDOFF_RESIDUAL * state_scale0) ** 2
    S1, _, _, its = _batched_lbfgs(fast, S0, max_iter=max_iter, q_stop=q_stop, gtol=1e-9 * state_scale0,
                                   q_keep=max(q_tol, q_stop))
    q1 = res.q_and_grad(S1)[0]
    state_scale = 1.0 + float(np.max(np.abs(S1)))
    if fixed_q_tol is None:
        fixed_q_tol = 0.5 * n * (1e3 * EPS * state_scale) ** 2
    # Candidates: every end point at or below q_tol, and those that stopped at q_stop (handed to
    # Newton); after polishing, points above q_tol are neither fixed nor slow and are dropped.
    keep = np.flatnonzero(q1 <= max(q_tol, q_stop))
    points, assigned = [], np.full(N, -1)
    if keep.size:
        order = keep[np.argsort(q1[keep], kind="stable")]
        S2, q2, steps = S1.copy(), q1.copy(), np.zeros(N, dtype=int)
        # Newton at one representative per cluster, then the chord method (that point's LU
        # factors, reused) from every member's own end point: each start is polished to its own
        # zero of r at the cost of triangular solves. A start no round polishes keeps its
        # quasi-Newton end point (a slow point if q ≤ q_tol).
        # Two rounds: clusters of radius 0.1·scale from the float32 end points; then the starts left
        # unpolished resume L-BFGS in float64 (at most 100 iterations) down to a residual of 10⁻⁸
        # per entry and form
        # clusters of radius 0.01·scale. Newton runs on few representatives either way.
        todo = order
        for radius in (0.1, 0.01):
            if todo.size == 0:
                break
            if radius < 0.1:
                # No early leave here: with it, 40 random networks gave 98 fixed points instead of 104.
                S1[todo], q1[todo], _, more = _batched_lbfgs(res, S1[todo], max_iter=100,
                                                             q_stop=n * (1e-8 * state_scale) ** 2,
                                                             gtol=1e-13 * state_scale)
                its[todo] += more
            coarse, labels_c = _dedup(S1, todo, radius * state_scale)
            tried = np.arange(len(coarse))
            if radius < 0.1:
                # Second round: Newton only in the clusters where the float64 L-BFGS brought a
                # member down to q_tol; the rest were tried by the first round's Newton already.
                best = np.full(len(coarse), np.inf)
                np.minimum.at(best, labels_c[todo], q1[todo])
                tried = np.flatnonzero(best <= q_tol)
            reps = S1[np.asarray(coarse, dtype=int)[tried]]
            P, qP, stepsP = _newton(res, reps, max_steps=newton_steps)
            moved = np.linalg.norm(P - reps, axis=1)
            for jj in np.flatnonzero((qP <= fixed_q_tol) & (moved <= 0.1 * state_scale)):
                members = todo[labels_c[todo] == tried[jj]]
                lu = sla.lu_factor(res.jacobians(P[jj][None])[0], check_finite=False)
                X, qX = S1[members].copy(), q1[members].copy()
                run = np.ones(members.size, dtype=bool)
                for _ in range(40):
                    idx = np.flatnonzero(run)
                    if idx.size == 0:
                        break
                    R = res.residual(X[idx])[0]
                    trial = X[idx] - sla.lu_solve(lu, R.T, check_finite=False).T
                    q_t = res.q_and_grad(trial)[0]
                    better = np.isfinite(q_t) & (q_t < qX[idx])
                    X[idx[better]], qX[idx[better]] = trial[better], q_t[better]
                    steps[members[idx[better]]] += 1
                    run[idx[~better | (q_t <= fixed_q_tol)]] = False
                conv = qX <= fixed_q_tol
                S2[members[conv]], q2[members[conv]] = X[conv], qX[conv]
            todo = todo[q2[todo] > fixed_q_tol]
        kinds = np.where(q2 <= fixed_q_tol, "fixed", "slow")
        order = order[q2[order] <= q_tol]
        rank = order[np.lexsort((q2[order], kinds[order] != "fixed"))]
        reps, labels = _dedup(S2, rank, dedup_tol)
        for j, r in enumerate(reps):
            members = sorted(int(i) for i in order if labels[i] == j)
            _, a = res.residual(S2[r][None])
            points.append(CriticalPoint(state=S2[r].copy(), activation=a[0].copy(), q=float(q2[r]),
                                        kind=str(kinds[r]), start=int(r), starts=members,
                                        newton_steps=int(steps[r])))
            assigned[members] = j
    search_seconds, clock = time.perf_counter() - clock, time.perf_counter()
    # Stability from the state-update Jacobian (eigenvalues only; linearize_points gives vectors).
    if points:
        F = res.update_jacobians(np.stack([p.state for p in points]))
        for p, Fp, w in zip(points, F, np.linalg.eigvals(F)):    # one stacked LAPACK call
            growth = np.abs(w) - 1.0 if res.kind != "continuous" else w.real
            p.eigenvalues = w
            p.unstable = int(np.sum(growth > 100 * EPS * max(1.0, np.linalg.norm(Fp, 1))))
    return FixedPointSearch(points=points, q_end=q1, assigned=assigned, q_tol=float(q_tol),
                            fixed_q_tol=float(fixed_q_tol), dedup_tol=float(dedup_tol), iterations=int(its.max()),
                            info={"optimizer": "batched per-start L-BFGS + batched Newton polish",
                                  "lbfgs_iterations_median": float(np.median(its)),
                                  "lbfgs_iterations_total": int(its.sum()),
                                  "seconds": {"search": search_seconds,
                                              "stability": time.perf_counter() - clock}})


def linearize_points(spec: RNNSpec, search: FixedPointSearch) -> list:
    r"""Both-frame linearization of every point (JSON-ready dicts, one per point).

    At the point's activation $a$ with gains $D=\operatorname{diag}\phi'(a)$: $A_x$ and $A_r$ in the
    network's convention (continuous $T^{-1}(-I+JD)$, $T^{-1}(-I+DJ)$; Elman $WD$, $DW$; leaky
    $(1-\alpha)I+\alpha JD$, $(1-\alpha)I+\alpha DJ$, as ``rnnproof linearize``), both spectra from
    independent ``eigvals`` calls paired by optimal assignment, the right-eigenvector map
    $v_r = Dv_x$ residual, and the similarity verdict: similar when every gain is nonzero
    ($A_r = DA_xD^{-1}$), otherwise the Jordan structure at the silent-unit eigenvalue decides
    (``numerics.linearization_singular.similarity_verdict``). For a slow point these describe the
    local flow, not an equilibrium.
    """
    from .linearization import _frame_matrices, match_eigenvalues
    J = np.asarray(spec.W, dtype=float)
    act = get_activation(spec.activation)
    out = []
    for i, p in enumerate(search.points):
        d = np.asarray(act.dphi(p.activation), dtype=float)
        A_x, A_r, special, label, uniform = _frame_matrices(spec, J, d)
        w_x, V_x = np.linalg.eig(A_x)
        w_r = np.linalg.eigvals(A_r)
        perm, dist = match_eigenvalues(w_x, w_r)
        Dv = d[:, None] * V_x
        nDv = np.linalg.norm(Dv, axis=0)
        cols = nDv > 0
        rel = (np.linalg.norm(A_r @ Dv[:, cols] - Dv[:, cols] * w_x[cols], axis=0)
               / (max(np.linalg.norm(A_r), 1.0) * nDv[cols]))
        silent = np.flatnonzero(d == 0.0)
        if silent.size == 0:
            similar, verdict = True, "similar: every gain is nonzero, so A_r = D A_x D⁻¹"
        elif not uniform:
            similar, verdict = None, "undetermined: silent units with heterogeneous τ"
        else:
            from .linearization_singular import similarity_verdict
            sv = similarity_verdict(J, d)
            similar, verdict = sv["similar"], sv["verdict"]
        stable_growth = (np.abs(w_x) - 1.0) if spec.time == "discrete" else w_x.real
        out.append({
            "index": i, "kind": p.kind, "q": p.q, "start": p.start, "starts": p.starts,
            "n_starts": len(p.starts), "newton_steps": p.newton_steps,
            "unstable_modes": p.unstable, "stable": p.unstable == 0,
            "state": p.state.tolist(), "state_coordinates": state_kind(spec),
            "activation": p.activation.tolist(), "silent_units": silent.tolist(),
            "jacobians": label, "special_eigenvalue": special,
            "eigenvalues": {"activation": [[float(z.real), float(z.imag)] for z in w_x],
                            "activity": [[float(z.real), float(z.imag)] for z in w_r[perm]]},
            "spectrum_max_distance": float(dist.max()),
            "leading_growth": float(np.max(stable_growth)),
            "eigvec_map_right_max_residual": float(rel.max()) if rel.size else None,
            "similar": similar, "verdict": verdict})
    return out
