"""vigil: tell the supervisor how a job is doing. Standard library only.

    import vigil
    vigil.step(n, loss=loss)            # training progress and metrics
    vigil.count("decode")               # one more item through a pipeline stage
    vigil.phase("eval")                 # a phase that may legitimately take longer
    vigil.checkpoint(path, step=n)      # a checkpoint was written
    if vigil.should_stop(): save(); sys.exit(0)   # `vigil stop` asks before it signals

Outside `vigil run` every call does nothing. Framework callbacks live in vigil.callbacks and
import their framework only when used.

Cheap enough to call on every step and every item: steps and counts are sent at most every
_FLUSH_S (the newest step, the summed counts), by the caller or a background thread, and at
exit; a NaN or Inf metric is sent at once.
"""

import atexit
import math
import os
import sys
import threading
import time

from . import _channel

__all__ = ["step", "count", "phase", "checkpoint", "stages", "should_stop", "enabled"]

_FLUSH_S = 0.1
_lock = threading.RLock()  # reentrant: a signal handler that reports a step while the main thread sends must not deadlock
_counts = {}
_pending_step = None
_last_flush = 0.0
_flusher = None


def enabled():
    """True when running under a vigil supervisor."""
    return _channel.enabled()


def step(n, total=None, epoch=None, **metrics):
    """Training reached step `n`; metrics (loss=…, lr=…) are numbers, NaN and inf included."""
    global _pending_step
    if not _channel.enabled():
        return
    fields = {"step": int(n), "metrics": metrics}
    if total is not None:
        fields["total"] = int(total)
    if epoch is not None:
        fields["epoch"] = epoch
    urgent = any(_non_finite(value) for value in metrics.values())
    with _lock:
        _pending_step = fields
        _send(_take(force=urgent))


def count(stage, n=1):
    """`n` more items went through `stage`."""
    if not _channel.enabled():
        return
    with _lock:
        _counts[stage] = _counts.get(stage, 0) + n
        _send(_take())


_phase = None


def phase(name):
    """Entering a phase ("train", "eval", "checkpoint", …): the progress timeout allows for it.
    Only a change is sent, so calling it on every batch costs nothing."""
    global _phase
    name = str(name)
    if name == _phase:
        return
    _phase = name
    _flush(force=True)  # what came before the phase belongs before it
    _channel.emit("phase", name=name)


def checkpoint(path, step=None):
    _flush(force=True)
    _channel.emit("checkpoint", path=str(path), step=step)


_STOP_POLL_S = 0.5
_stop_asked = False
_stop_checked_at = None  # monotonic time of the last look; None: never looked


def should_stop():
    """True once `vigil stop` asked the job to save and exit (it signals only after --save-grace).
    Cheap on every step: the request file is looked at no more than every _STOP_POLL_S."""
    global _stop_asked, _stop_checked_at
    if _stop_asked or not _channel.enabled():
        return _stop_asked
    now = time.monotonic()
    if _stop_checked_at is None:
        _channel.emit("stop_listener")  # from now on a stop asks before it signals
    elif now - _stop_checked_at < _STOP_POLL_S:
        return False
    _stop_checked_at = now
    path = os.path.join(os.environ.get("VIGIL_RUN_DIR", ""), "attempt-%s.stop" % os.environ.get("VIGIL_ATTEMPT", "1"))
    _stop_asked = os.path.exists(path)
    return _stop_asked


def stages(*names):
    """Declares the order of pipeline stages (otherwise: order of first appearance)."""
    _channel.emit("stages", names=[str(n) for n in names])


def _non_finite(value):
    try:
        return not math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _take(force=False):
    """Under _lock: what is pending, if _FLUSH_S has passed (or now, when forced); else None,
    leaving it to the flusher thread."""
    global _pending_step, _last_flush
    if not _counts and _pending_step is None:
        return None
    now = time.monotonic()
    if not force and now - _last_flush < _FLUSH_S:
        _ensure_flusher()
        return None
    _last_flush = now
    due = (dict(_counts), _pending_step)
    _counts.clear()
    _pending_step = None
    return due


def _send(due):
    """Under _lock, as _take: taken and sent in one hold, so a flusher thread taken off the CPU between
    the two cannot send an older state after a newer one (the run's last step would go back)."""
    if due is None:
        return
    counts, pending = due
    if counts:
        _channel.emit("count", counts=counts)
    if pending is not None:
        _channel.emit("step", **pending)


def _flush(force=False):
    with _lock:
        _send(_take(force))


atexit.register(_flush, force=True)


def _after_fork():
    # A fork child (a DataLoader worker) starts with a copy of the parent's lock, possibly held by
    # the parent's flusher thread, which does not exist here; and the parent's pending counts.
    global _lock, _counts, _pending_step, _flusher
    _lock = threading.RLock()
    _counts = {}
    _pending_step = None
    _flusher = None


os.register_at_fork(after_in_child=_after_fork)


def _ensure_flusher():
    global _flusher
    if _flusher is not None and _flusher.is_alive():
        return
    # A multiprocessing child (a DataLoader worker) ends in os._exit: atexit never runs there,
    # multiprocessing's own finalizers do.
    mp_util = sys.modules.get("multiprocessing.util")
    if mp_util is not None:
        mp_util.Finalize(None, _flush, kwargs={"force": True}, exitpriority=100)

    def run():
        while True:
            time.sleep(_FLUSH_S)
            _flush(force=True)

    _flusher = threading.Thread(target=run, name="vigil-flush", daemon=True)
    _flusher.start()
