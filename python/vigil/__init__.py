"""vigil: tell the supervisor how a job is doing. Standard library only.

    import vigil
    vigil.step(n, loss=loss)            # training progress and metrics
    vigil.count("decode")               # one more item through a pipeline stage
    vigil.phase("eval")                 # a phase that may legitimately take longer
    vigil.checkpoint(path, step=n)      # a checkpoint was written

Outside `vigil run` every call does nothing. Framework callbacks live in vigil.callbacks and
import their framework only when used.
"""

import atexit
import threading
import time

from . import _channel

__all__ = ["step", "count", "phase", "checkpoint", "stages", "enabled"]

_COUNT_FLUSH_S = 0.25
_counts = {}
_counts_lock = threading.Lock()
_last_flush = 0.0
_flusher = None


def enabled():
    """True when running under a vigil supervisor."""
    return _channel.enabled()


def step(n, total=None, epoch=None, **metrics):
    """Training reached step `n`; metrics (loss=…, lr=…) are numbers, NaN and inf included."""
    if not _channel.enabled():
        return
    fields = {"step": int(n), "metrics": metrics}
    if total is not None:
        fields["total"] = int(total)
    if epoch is not None:
        fields["epoch"] = epoch
    _channel.emit("step", **fields)


_phase = None


def phase(name):
    """Entering a phase ("train", "eval", "checkpoint", …): the progress timeout allows for it.
    Only a change is sent, so calling it on every batch costs nothing."""
    global _phase
    name = str(name)
    if name == _phase:
        return
    _phase = name
    _channel.emit("phase", name=name)


def checkpoint(path, step=None):
    _channel.emit("checkpoint", path=str(path), step=step)


def stages(*names):
    """Declares the order of pipeline stages (otherwise: order of first appearance)."""
    _channel.emit("stages", names=[str(n) for n in names])


def count(stage, n=1):
    """`n` more items went through `stage`. Cheap enough to call per item: sent in batches."""
    global _last_flush
    if not _channel.enabled():
        return
    with _counts_lock:
        _counts[stage] = _counts.get(stage, 0) + n
        now = time.monotonic()
        if now - _last_flush < _COUNT_FLUSH_S:
            _ensure_flusher()
            return
        _last_flush = now
        batch = dict(_counts)
        _counts.clear()
    _channel.emit("count", counts=batch)


def _flush_counts():
    global _last_flush
    with _counts_lock:
        if not _counts:
            return
        batch = dict(_counts)
        _counts.clear()
        _last_flush = time.monotonic()
    _channel.emit("count", counts=batch)


atexit.register(_flush_counts)


def _ensure_flusher():
    global _flusher
    if _flusher is not None and _flusher.is_alive():
        return

    def run():
        while True:
            time.sleep(_COUNT_FLUSH_S)
            _flush_counts()

    _flusher = threading.Thread(target=run, name="vigil-count-flush", daemon=True)
    _flusher.start()
