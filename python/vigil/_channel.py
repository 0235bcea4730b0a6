"""The one-way channel from Python processes to the vigil supervisor.

Events are JSON lines appended to the file named by VIGIL_EVENTS (O_APPEND, one write per
event, so lines from many processes never interleave). With no supervisor the variable is
unset and every call is a no-op, never an error.
"""

import math
import os
import time

_fd = None
_pid = None
_identity = None  # (st_dev, st_ino) of the events file behind _fd


def _open(verify=True):
    global _fd, _pid, _identity
    if _pid == os.getpid() and (not verify or _still_ours()):
        return _fd
    _pid = os.getpid()
    _fd = None
    path = os.environ.get("VIGIL_EVENTS")
    if path:
        try:
            _fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o644)
            stat = os.fstat(_fd)
            _identity = (stat.st_dev, stat.st_ino)
        except OSError:
            _fd = None
    return _fd


def _still_ours():
    """A program that closes every descriptor (daemonising) may reuse our fd number for a file
    of its own: never write into it. One fstat per event."""
    if _fd is None:
        return True  # no supervisor: stay a no-op
    try:
        stat = os.fstat(_fd)
    except OSError:
        return False
    return (stat.st_dev, stat.st_ino) == _identity


def enabled():
    return _open(verify=False) is not None


def _clean(value):
    """JSON has no NaN or Infinity: send them as the strings JavaScript's Number() reads back."""
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    try:  # tensors and numpy scalars
        return _clean(float(value))
    except Exception:
        return str(value)


def emit(event, **fields):
    fd = _open()
    if fd is None:
        return
    import json

    fields["ev"] = event
    fields["pid"] = _pid
    fields["t"] = time.time()
    try:
        os.write(fd, (json.dumps(_clean(fields), allow_nan=False) + "\n").encode())
    except (OSError, ValueError, TypeError):
        pass
