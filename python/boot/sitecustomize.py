"""vigil's instrumentation of every Python process of a supervised job, with no code change.

Put first on PYTHONPATH by `vigil run` (off with --no-python-hooks). In each process:
- faulthandler writes into a per-process file in the run directory, so a segfaulting
  DataLoader worker leaves its Python stack (torch's own worker handlers are replaced, in fork
  and spawn workers);
- an all-threads stack dump on VIGIL_DUMP_SIGNAL, registered only while the program leaves
  that signal alone: if it installs its own handler, vigil's steps aside and says so;
- each process says who it is (its parent, RANK, its DataLoader worker id, its
  multiprocessing name), so the supervisor can name it;
- uncaught exceptions (main, threads, multiprocessing children) become structured events;
- the start of each top-level non-stdlib import is marked, so a startup stall can say which
  module has been importing for how long.
Then it runs the sitecustomize it shadows (Debian ships one), as if vigil were not there.

Everything here runs at the start of every Python process of the job, and some of it at every
fork: it imports nothing that is not already loaded (no signal, json or threading module: their
patches wait for the program to import them) and never lets its own failure reach the program.
Creating a file costs more than a fork, so a fork child creates its fault file and says hello
only once it matters (see _after_fork).
"""

import os
import sys

try:
    import _signal
    import faulthandler
except ImportError:  # an unusual interpreter: run the program uninstrumented
    faulthandler = None

_events_path = None
_fault_dir = None
_dump_signal = None
# pid: the process that registered (a fork child inherits its parent's state until it registers
# itself); fault_fd and fault_id: its fault file, and that file's (st_dev, st_ino).
_state = {"pid": None, "fault_fd": None, "fault_id": None, "dump_registered": False}
_register_dump = None  # faulthandler.register before the guard wraps it


# --- Events: one JSON line each, appended to VIGIL_EVENTS -------------------------------------


def _json(value):
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "%.6f" % value
    escaped = str(value).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c >= " " else "\\u%04x" % ord(c) for c in escaped) + '"'


def _emit(ev, **fields):
    """Opened per event, unlike vigil._channel: start-up is where programs close or reuse
    descriptors (daemonising), and a cached fd could then write into someone else's file.
    About 100 import markers cost well under a millisecond this way."""
    import time

    items = [("ev", ev), ("pid", os.getpid()), ("t", time.time())] + list(fields.items())
    line = "{" + ", ".join('"%s": %s' % (key, _json(value)) for key, value in items) + "}\n"
    try:
        fd = os.open(_events_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
    except OSError:
        pass


def _send(ev, **fields):
    """An event about this process: a fork child registers first, so that it is known."""
    if _state["pid"] != os.getpid():
        _register("fork")
    _emit(ev, **fields)


# --- faulthandler and the dump signal ----------------------------------------------------------


def _register(role):
    """This process's fault file, its dump signal if free, and its hello. Tried once per process."""
    inherited_fd, inherited_id = _state["fault_fd"], _state["fault_id"]
    if role == "start":
        registered = _dump_signal is not None and _signal.getsignal(_dump_signal) in (_signal.SIG_DFL, None)
    else:  # the parent's: released if the program took the signal, its own faulthandler dump included
        registered = _state["dump_registered"]
    _state.update(pid=os.getpid(), fault_fd=None, fault_id=None, dump_registered=registered)
    path = os.path.join(_fault_dir, "%d.fault" % os.getpid())
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o644)
        stat = os.fstat(fd)
    except OSError:
        return  # fatal errors keep going where they went (stderr, in a fork child)
    _state.update(fault_fd=fd, fault_id=(stat.st_dev, stat.st_ino))
    faulthandler.enable(file=fd, all_threads=True)
    if registered:
        _register_dump(_dump_signal, file=fd, all_threads=True, chain=False)
    if inherited_fd is not None:
        _close_if_ours(inherited_fd, inherited_id)  # the parent's file
    _emit(
        "hello",
        ppid=os.getppid(),
        role=role,
        fault_file=path,
        dump_signal=int(_dump_signal) if registered else None,
        argv0=sys.argv[0] if sys.argv and sys.argv[0] else "python",
        rank=os.environ.get("RANK"),
    )


def _close_if_ours(fd, identity):
    """Never close a descriptor number the program has since reused for a file of its own."""
    try:
        stat = os.fstat(fd)
        if (stat.st_dev, stat.st_ino) == identity:
            os.close(fd)
    except OSError:
        pass


def _after_fork():
    """Runs in every fork child, so does the least: nothing on disk, no event. Until the child
    registers (it starts a multiprocessing.Process, as DataLoader workers do, raises, or imports
    a module), its fatal-error stack goes to stderr, the job's log, rather than into its
    parent's file, which would blame the parent. The supervisor knows nothing of it till then,
    so never sends it the dump signal; were someone else to, the stack goes to stderr too."""
    try:
        faulthandler.enable(file=2, all_threads=True)
        if _state["dump_registered"]:
            _register_dump(_dump_signal, file=2, all_threads=True, chain=False)
    except Exception:
        pass


def _release_dump_signal(signalnum):
    if signalnum == _dump_signal and _state["dump_registered"]:
        faulthandler.unregister(_dump_signal)
        _state["dump_registered"] = False
        if _state["pid"] == os.getpid():  # a fork child that never said hello has nothing to take back
            _emit("dump_signal_released")


def _guard(module, name):
    """Never steal a signal the program uses: when it installs its own handler (signal.signal,
    or a faulthandler dump of its own), step aside."""
    original = getattr(module, name)

    def vigil_aware(signalnum, *args, **kwargs):
        _release_dump_signal(signalnum)
        return original(signalnum, *args, **kwargs)

    vigil_aware.__wrapped__ = original
    vigil_aware.__doc__ = original.__doc__
    setattr(module, name, vigil_aware)


def _install_signal_guard():
    _guard(faulthandler, "register")
    _when_imported("signal", lambda module: _guard(module, "signal"))


# --- Uncaught exceptions -----------------------------------------------------------------------


def _report(thread, exc_type, exc, tb):
    try:
        import traceback

        text = "".join(traceback.format_exception(exc_type, exc, tb))[-8000:]
        _send("exception", thread=thread, type=exc_type.__name__, message=str(exc)[:2000], traceback=text)
    except Exception:
        pass


def _install_exception_hooks():
    original_excepthook = sys.excepthook

    def excepthook(exc_type, exc, tb):
        if not issubclass(exc_type, KeyboardInterrupt):
            threading = sys.modules.get("threading")
            _report(threading.current_thread().name if threading else "MainThread", exc_type, exc, tb)
        original_excepthook(exc_type, exc, tb)

    sys.excepthook = excepthook
    _when_imported("threading", _report_thread_exceptions)


def _report_thread_exceptions(threading):
    original_thread_hook = threading.excepthook

    def thread_hook(args):
        if args.exc_type is not SystemExit:
            _report(args.thread.name if args.thread else "?", args.exc_type, args.exc_value, args.exc_traceback)
        original_thread_hook(args)

    threading.excepthook = thread_hook


# --- Patches applied when a module is first imported -------------------------------------------
# In whichever process imports it: fork children inherit the patch, spawn children apply it again
# on their own import.

_after_import = {}


def _when_imported(name, patch):
    if name in sys.modules:
        patch(sys.modules[name])
    else:
        _after_import[name] = patch


def _keep_faulthandler_in_dataloader_workers(module):
    """A DataLoader worker installs torch's own SIGSEGV/SIGBUS handlers, which print one line and
    die without a stack: put faulthandler back over them (the parent still reports "killed by
    signal: Segmentation fault")."""
    original = getattr(module, "_set_worker_signal_handlers", None)
    if original is None:
        return

    def set_worker_signal_handlers(*args, **kwargs):
        result = original(*args, **kwargs)
        if _state["pid"] != os.getpid():
            _register("fork")
        if _state["fault_fd"] is not None:
            faulthandler.disable()  # enable() alone keeps torch's handlers when already enabled
            faulthandler.enable(file=_state["fault_fd"], all_threads=True)
        return result

    module._set_worker_signal_handlers = set_worker_signal_handlers


def _announce_dataloader_workers(module):
    """A worker says which one it is, so its stacks and exceptions name "DataLoader worker N"."""
    import functools
    import inspect

    original = getattr(module, "_worker_loop", None)
    if original is None:
        return
    try:
        signature = inspect.signature(original)
    except (TypeError, ValueError):
        return

    @functools.wraps(original)  # same name and module: spawn pickles the target by reference
    def _worker_loop(*args, **kwargs):
        try:
            _send("role", worker=int(signature.bind(*args, **kwargs).arguments["worker_id"]))
        except Exception:
            pass
        return original(*args, **kwargs)

    module._worker_loop = _worker_loop


def _report_process_exceptions(module):
    """multiprocessing catches what a Process's run() raises and prints it itself: sys.excepthook
    never sees it. Report it on the way out, and say the process's name first (which registers
    a forked one: DataLoader workers, pools)."""
    base = getattr(module, "BaseProcess", None)
    original = getattr(base, "_bootstrap", None)
    if original is None:
        return

    def _bootstrap(self, *args, **kwargs):
        _send("role", name=str(self.name))
        run = self.run

        def reporting_run():
            try:
                return run()
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as error:
                _report("MainThread", type(error), error, error.__traceback__)
                raise

        self.run = reporting_run
        return original(self, *args, **kwargs)

    base._bootstrap = _bootstrap


# --- Import markers, and the hook that runs the patches above ----------------------------------


class _ImportMarker:
    """Marks the start of each top-level third-party import, and runs the _after_import patches
    once their module has executed; finds nothing itself."""

    stdlib = getattr(sys, "stdlib_module_names", frozenset())

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if path is None and "." not in name and name not in cls.stdlib and name not in sys.modules:
            _send("import", module=name)
        patch = _after_import.pop(name, None)
        return None if patch is None else _patched_spec(name, path, target, patch)

    @staticmethod
    def invalidate_caches():
        pass


def _patched_spec(name, path, target, patch):
    """The spec the other finders give, its loader running `patch` after the module."""
    for finder in sys.meta_path:
        find = getattr(finder, "find_spec", None)
        if finder is _ImportMarker or find is None:
            continue
        spec = find(name, path, target)
        if spec is None:
            continue
        loader = spec.loader
        exec_module = getattr(loader, "exec_module", None)
        if exec_module is None:
            return spec

        def exec_then_patch(module):
            exec_module(module)
            if getattr(module, "__name__", None) != name:
                return  # a loader shared by many modules (zipimport): only ours is patched
            try:
                patch(module)
            except Exception:
                pass  # a patch failing must never break the program's import

        loader.exec_module = exec_then_patch
        return spec
    return None


# --- Start -------------------------------------------------------------------------------------


def _install_hooks():
    global _events_path, _fault_dir, _dump_signal, _register_dump
    _events_path = os.environ.get("VIGIL_EVENTS")
    _fault_dir = os.environ.get("VIGIL_PYDIR")
    if not _events_path or not _fault_dir or faulthandler is None:
        return
    _dump_signal = getattr(_signal, os.environ.get("VIGIL_DUMP_SIGNAL", "SIGUSR2"), None)
    _register_dump = faulthandler.register
    _when_imported("torch.utils.data._utils.signal_handling", _keep_faulthandler_in_dataloader_workers)
    _when_imported("torch.utils.data._utils.worker", _announce_dataloader_workers)
    _when_imported("multiprocessing.process", _report_process_exceptions)
    _register("start")
    os.register_at_fork(after_in_child=_after_fork)
    _install_signal_guard()
    _install_exception_hooks()
    sys.meta_path.insert(0, _ImportMarker)


def _chain_shadowed_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        # importlib's own modules, already loaded: importlib.util would cost a millisecond more.
        external = sys.modules.get("_frozen_importlib_external")
        bootstrap = sys.modules.get("_frozen_importlib")
        if external is None or bootstrap is None:
            import importlib.machinery as external
            import importlib.util as bootstrap

        rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
        spec = external.PathFinder.find_spec("sitecustomize", rest)
        if spec is None or spec.loader is None:
            return
        module = bootstrap.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception as error:  # theirs failing must not look like ours
        sys.stderr.write("Error in sitecustomize (chained by vigil); set PYTHONVERBOSE for traceback:\n%s: %s\n" % (type(error).__name__, error))


try:
    _install_hooks()
except Exception:  # an old or unusual interpreter: run the program uninstrumented, never break it
    pass
_chain_shadowed_sitecustomize()
