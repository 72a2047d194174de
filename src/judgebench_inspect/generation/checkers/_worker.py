"""Run checker work in worker processes with an outer timeout.

Symbolic math (sympy's LaTeX parsing and simplification) can run for minutes
or hang on odd input, and the usual SIGALRM-based timeouts only work on the
main thread. So such checks run in a shared pool of worker processes: the
caller waits at most `timeout` seconds, and a job that overruns has its whole
pool killed (the pool is recreated on the next call). Jobs that were running in
the killed pool for other callers are resubmitted to the new pool.

`run_sync` blocks the calling thread; `run_async` never blocks the event loop.

Workers are started with the "forkserver" method where available (else
"spawn"): both are safe when the parent runs threads, as Inspect does. The fork
server imports the configured modules (sympy, its LaTeX parser, ...) once, so
replacing a killed pool is quick. As with any such pool, a script that calls
these functions at import time must guard its entry point with
`if __name__ == "__main__":`; Inspect's CLI, pytest and notebooks are fine.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import multiprocessing
import multiprocessing.context
import os
import threading
import weakref
from collections.abc import AsyncIterator, Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FuturesTimeoutError
from concurrent.futures import wait as futures_wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Any, TypeVar

import anyio
import anyio.to_thread

T = TypeVar("T")

STARTUP_TIMEOUT = 120.0
"""Seconds allowed for a fresh pool to start its workers (not counted in a job's timeout)."""

_RETRIES = 3
"""How often a job is resubmitted after its pool was killed for another job."""


class WorkerTimeout(Exception):
    """A job did not finish within its timeout (its pool was killed)."""


class WorkerFailure(Exception):
    """The worker pool kept breaking; the job could not be run."""


@dataclass
class _Pool:
    executor: ProcessPoolExecutor
    generation: int
    # One slot per worker: a job is submitted only when a worker is free, so its
    # timeout measures its own run time, not time spent queueing behind others.
    slots: threading.Semaphore
    ready: list[Future[None]] = field(default_factory=list)


_lock = threading.Lock()
_current: _Pool | None = None
_generation = 0
_max_workers: int | None = None
_warm_modules: tuple[str, ...] = ()


def configure(max_workers: int | None = None, warm_modules: tuple[str, ...] | None = None) -> None:
    """Set pool options (applied when the next pool is created).

    Args:
        max_workers: Number of worker processes; default is the
            JUDGEBENCH_CHECK_WORKERS environment variable, else min(2, CPUs).
        warm_modules: What each worker does when it starts, so the first job
            does not pay for heavy imports inside its timeout: "package.module"
            imports a module, "package.module:function" also calls a
            module-level function without arguments.
    """
    global _max_workers, _warm_modules
    with _lock:
        if max_workers is not None:
            if max_workers < 1:
                raise ValueError("max_workers must be >= 1")
            _max_workers = max_workers
        if warm_modules is not None:
            _warm_modules = tuple(dict.fromkeys((*_warm_modules, *warm_modules)))


def _worker_count() -> int:
    if _max_workers is not None:
        return _max_workers
    env = os.environ.get("JUDGEBENCH_CHECK_WORKERS")
    if env and env.isdigit() and int(env) > 0:
        return int(env)
    return max(1, min(2, os.cpu_count() or 1))


def _init_worker(modules: tuple[str, ...]) -> None:
    """Worker start-up: import heavy modules (and run warm-up functions) once."""
    import importlib

    for entry in modules:
        name, _, function = entry.partition(":")
        module = importlib.import_module(name)
        if function:
            getattr(module, function)()


def _ping() -> None:
    """A no-op job used to wait until workers are up."""


def _context() -> multiprocessing.context.BaseContext:
    """A start method that is safe with threads: forkserver (preloaded) or spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # Only takes effect if the fork server has not started yet.
        context.set_forkserver_preload([entry.partition(":")[0] for entry in _warm_modules])
        return context
    return multiprocessing.get_context("spawn")


def _get_pool() -> _Pool:
    """Return the current pool, creating (and warming) one if needed."""
    global _current, _generation
    with _lock:
        if _current is None:
            _generation += 1
            workers = _worker_count()
            executor = ProcessPoolExecutor(
                max_workers=workers,
                mp_context=_context(),
                initializer=_init_worker,
                initargs=(_warm_modules,),
            )
            pool = _Pool(executor, _generation, threading.Semaphore(workers))
            pool.ready = [executor.submit(_ping) for _ in range(workers)]
            _current = pool
        return _current


def _discard(pool: _Pool) -> None:
    """Kill a pool's processes (if it is still the current pool) so the next call starts afresh."""
    global _current
    with _lock:
        if _current is not None and _current.generation == pool.generation:
            _current = None
    _kill(pool.executor)


def _kill(executor: ProcessPoolExecutor) -> None:
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        try:
            process.kill()
        except Exception:  # already gone
            pass
    executor.shutdown(wait=False, cancel_futures=True)


def shutdown() -> None:
    """Stop the worker pool (a later call creates a new one)."""
    global _current
    with _lock:
        pool, _current = _current, None
    if pool is not None:
        _kill(pool.executor)


atexit.register(shutdown)


def _wait_ready(pool: _Pool) -> bool:
    """Wait until the pool's workers are up; False (pool discarded) if they failed."""
    done, pending = futures_wait(pool.ready, timeout=STARTUP_TIMEOUT)
    if pending or any(f.cancelled() or f.exception() is not None for f in done):
        _discard(pool)
        return False
    return True


def run_sync(fn: Callable[..., T], *args: Any, timeout: float) -> T:
    """Run `fn(*args)` in a worker process and wait for it in this thread.

    Args:
        fn: A picklable (module-level) function.
        *args: Picklable arguments.
        timeout: Seconds to wait for the job once the workers are up.

    Returns:
        The function's result (its exceptions are re-raised here).

    Raises:
        WorkerTimeout: The job overran; its pool was killed.
        WorkerFailure: The pool kept breaking.
    """
    for _ in range(_RETRIES):
        pool = _get_pool()
        if not _wait_ready(pool):
            continue
        pool.slots.acquire()
        try:
            future = _submit(pool, fn, args)
            if future is None:
                continue
            try:
                return future.result(timeout=timeout)
            except FuturesTimeoutError:
                raise _overran(pool, future, timeout) from None
            except BrokenProcessPool:
                _discard(pool)
        finally:
            pool.slots.release()
    raise WorkerFailure("the worker pool broke repeatedly")


def _submit(pool: _Pool, fn: Callable[..., Any], args: tuple[Any, ...]) -> Future[Any] | None:
    """Submit one job; ``None`` (the pool discarded) if the pool broke or another caller shut it down."""
    try:
        return pool.executor.submit(fn, *args)
    except (BrokenProcessPool, RuntimeError):
        _discard(pool)
        return None


def _overran(pool: _Pool, future: Future[Any], timeout: float) -> WorkerTimeout:
    """Cancel a job that overran and kill its pool; the error to raise."""
    future.cancel()
    _discard(pool)
    return WorkerTimeout(f"no result within {timeout} s")


async def run_async(fn: Callable[..., T], *args: Any, timeout: float) -> T:
    """Run `fn(*args)` in a worker process without blocking the event loop.

    Arguments, result and errors as in `run_sync`.
    """
    async with _loop_gate():
        for _ in range(_RETRIES):
            # Creating a pool and starting processes block: do it off the loop.
            pool = await anyio.to_thread.run_sync(_get_pool)
            if not await anyio.to_thread.run_sync(_wait_ready, pool):
                continue
            result = await _run_in_pool(pool, fn, args, timeout)
            if result is not _RETRY:
                return result  # type: ignore[no-any-return]
    raise WorkerFailure("the worker pool broke repeatedly")


_RETRY = object()


async def _run_in_pool(
    pool: _Pool, fn: Callable[..., Any], args: tuple[Any, ...], timeout: float
) -> Any:
    """Submit one job when a worker is free and await it; `_RETRY` if the pool broke."""
    delay = 0.002
    # Poll the worker slots (cancellation-safe; contention here is rare since
    # `_loop_gate` already queues this event loop's callers).
    while not pool.slots.acquire(blocking=False):
        await anyio.sleep(delay)
        delay = min(delay * 2, 0.05)
    try:
        future = _submit(pool, fn, args)
        if future is None:
            return _RETRY
        try:
            with anyio.fail_after(timeout):
                return await _await_future(future)
        except TimeoutError:
            raise _overran(pool, future, timeout) from None
        except BrokenProcessPool:
            _discard(pool)
            return _RETRY
    finally:
        pool.slots.release()


_gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
    weakref.WeakKeyDictionary()
)


@contextlib.asynccontextmanager
async def _loop_gate() -> AsyncIterator[None]:
    """Let one caller per worker of this event loop proceed; the others queue fairly."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # another anyio backend: rely on polling alone
        yield
        return
    gate = _gates.get(loop)
    if gate is None:
        gate = _gates[loop] = asyncio.Semaphore(_worker_count())
    async with gate:
        yield


async def _await_future(future: Future[T]) -> T:
    """Await a concurrent future: directly under asyncio, via a thread on other backends."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return await anyio.to_thread.run_sync(future.result, abandon_on_cancel=True)
    return await asyncio.wrap_future(future)


__all__ = [
    "WorkerTimeout",
    "WorkerFailure",
    "configure",
    "run_sync",
    "run_async",
    "shutdown",
]
