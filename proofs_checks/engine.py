"""The task engine shared by ``rnnproof run`` and ``rnnproof sweep``: one task = one (claim, seed).

A task is a pure function of its fields (:func:`proofs_checks.runner.run_claim`), so its result
does not depend on where it runs. Three executors run a list of tasks and yield the results as
they finish:

- ``serial``: in this process;
- ``processes``: a ``ProcessPoolExecutor`` with ``jobs`` workers (forked where available, so the
  workers inherit the imported SymPy and claim modules);
- ``dask``: a ``dask.distributed`` cluster, given as ``ADDRESS`` (an existing scheduler) or
  ``local:N`` (a ``LocalCluster`` of N single-threaded worker processes, started and stopped here).
  A worker process imports SymPy and the registry with its first task and keeps them.

The callers sort the results back into task order, so reports are identical across executors
apart from timings.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_all_start_methods, get_context
from typing import Callable, Iterator, Optional, Sequence

from numerics.errors import InputError

from .registry import all_claims, get_claim

__all__ = ["Task", "execute", "parse_scheduler"]


@dataclass(frozen=True)
class Task:
    """One claim at one seed, with everything that decides its result."""

    claim_id: str
    seed: int
    examples: Optional[int] = None
    profile: str = "quick"
    network_path: Optional[str] = None
    mnist_path: Optional[str] = None
    keep_ratios: bool = False  # the sweep needs every error/tolerance ratio, a run only their summary
    replay_path: Optional[str] = None

    @property
    def key(self) -> tuple:
        return (self.claim_id, self.seed)


def parse_scheduler(text: str):
    """``local:N`` -> ("local", N); anything else is a scheduler address (``tcp://host:8786``)."""
    if text.startswith("local:"):
        try:
            workers = int(text.split(":", 1)[1])
        except ValueError:
            workers = 0
        if not 1 <= workers <= 256:
            raise InputError(f"--scheduler {text!r}: write local:N with N workers, 1 ≤ N ≤ 256")
        return "local", workers
    if not text or any(ch.isspace() for ch in text):
        raise InputError(f"--scheduler {text!r}: give a scheduler address (tcp://host:8786) or local:N")
    return "address", text


def execute(run_task: Callable[[Task], dict], tasks: Sequence[Task], jobs: int = 1,
            scheduler: Optional[str] = None) -> Iterator[dict]:
    """Run ``run_task`` on every task and yield each result as it finishes (completion order).

    ``run_task`` must be a module-level function (it is pickled to worker processes):
    :func:`proofs_checks.runner.run_task`."""
    tasks = list(tasks)
    if scheduler:
        yield from _execute_dask(run_task, tasks, scheduler)
    elif jobs <= 1 or len(tasks) <= 1:
        for task in tasks:
            yield run_task(task)
    else:
        yield from _execute_processes(run_task, tasks, jobs)


def _largest_first(tasks: list) -> list:
    # One slow claim should not start last on an otherwise idle pool.
    cost = {cid: get_claim(cid).cost for cid in {t.claim_id for t in tasks}}
    return sorted(tasks, key=lambda t: -cost[t.claim_id])


def _execute_processes(run_task, tasks: list, jobs: int) -> Iterator[dict]:
    # fork hands the workers the already-imported SymPy and claim modules; spawn would re-import
    # them in every worker, which costs seconds per worker.
    method = "fork" if "fork" in get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context(method)) as pool:
        futures = [pool.submit(run_task, task) for task in _largest_first(tasks)]
        for future in as_completed(futures):
            yield future.result()


def _warm_worker() -> int:
    """Import the registry (and with it SymPy) once in a Dask worker; returns its pid."""
    import os
    all_claims()
    return os.getpid()


def _execute_dask(run_task, tasks: list, scheduler: str) -> Iterator[dict]:
    try:
        from dask.distributed import Client, LocalCluster, as_completed as dask_as_completed
    except ImportError:
        raise InputError("--scheduler needs dask.distributed: pip install -e '.[distributed]'") from None
    kind, value = parse_scheduler(scheduler)
    cluster = None
    if kind == "local":
        # Single-threaded worker processes: BLAS stays single-threaded (OMP_NUM_THREADS is
        # inherited) and SymPy, which is not thread-safe in its caches, never shares a process.
        cluster = LocalCluster(n_workers=value, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    else:
        try:
            client = Client(value, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"--scheduler {value}: cannot connect to a Dask scheduler ({exc})") from None
    try:
        client.run(_warm_worker)
        futures = client.map(run_task, _largest_first(tasks), pure=False)
        for future in dask_as_completed(futures):
            yield future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
