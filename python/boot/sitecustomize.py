"""vigil's instrumentation of every Python process of a supervised job, with no code change.

Put first on PYTHONPATH by `vigil run` (off with --no-python-hooks). In each process:
- faulthandler writes into a per-process file in the run directory, so a segfaulting
  DataLoader worker leaves its Python stack (fork children re-register with their own file);
- an all-threads stack dump on VIGIL_DUMP_SIGNAL, registered only while the program leaves
  that signal alone: if it installs its own handler, vigil's steps aside and says so;
- uncaught exceptions (main and threads) become structured events;
- the start of each top-level non-stdlib import is marked, so a startup stall can say which
  module has been importing for how long.
Then it runs the sitecustomize it shadows (Debian ships one), as if vigil were not there.
"""

import os
import sys


def _chain_shadowed_sitecustomize():
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        from importlib.machinery import PathFinder
        import importlib.util

        rest = [p for p in sys.path if os.path.abspath(p or ".") != here]
        spec = PathFinder.find_spec("sitecustomize", rest)
        if spec is None or spec.loader is None:
            return
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    except Exception as error:  # theirs failing must not look like ours
        sys.stderr.write("Error in sitecustomize (chained by vigil); set PYTHONVERBOSE for traceback:\n%s: %s\n" % (type(error).__name__, error))


def _install_hooks():
    events_path = os.environ.get("VIGIL_EVENTS")
    fault_dir = os.environ.get("VIGIL_PYDIR")
    if not events_path or not fault_dir:
        return
    import faulthandler
    import signal
    import time

    dump_signal = getattr(signal, os.environ.get("VIGIL_DUMP_SIGNAL", "SIGUSR2"), None)
    state = {"fault_file": None, "dump_registered": False}

    def emit(line):
        # Opened per event, unlike vigil._channel: start-up is where programs close or reuse
        # descriptors (daemonising), and a cached fd could then write into someone else's file.
        # About 100 import markers cost well under a millisecond this way.
        try:
            fd = os.open(events_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_CLOEXEC, 0o644)
            try:
                os.write(fd, line.encode())
            finally:
                os.close(fd)
        except OSError:
            pass

    def quote(text):
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        return '"' + "".join(c if c >= " " else "\\u%04x" % ord(c) for c in escaped) + '"'

    def register(role):
        pid = os.getpid()
        path = os.path.join(fault_dir, "%d.fault" % pid)
        try:
            handle = open(path, "w")
        except OSError:
            return
        previous, state["fault_file"] = state["fault_file"], handle
        faulthandler.enable(file=handle, all_threads=True)
        registered = False
        if dump_signal is not None and signal.getsignal(dump_signal) in (signal.SIG_DFL, None):
            faulthandler.register(dump_signal, file=handle, all_threads=True, chain=False)
            registered = True
        state["dump_registered"] = registered
        if previous is not None and role == "fork":
            try:
                previous.close()  # the parent's file, inherited
            except OSError:
                pass
        emit(
            '{"ev": "hello", "pid": %d, "ppid": %d, "t": %.6f, "role": %s, "fault_file": %s, "dump_signal": %s, "argv0": %s, "rank": %s}\n'
            % (
                pid,
                os.getppid(),
                time.time(),
                quote(role),
                quote(path),
                int(dump_signal) if registered else "null",
                quote(sys.argv[0] if sys.argv and sys.argv[0] else "python"),
                quote(os.environ["RANK"]) if "RANK" in os.environ else "null",
            )
        )

    def keep_faulthandler_in_dataloader_workers():
        # A DataLoader worker installs torch's own SIGSEGV/SIGBUS handlers, which print one line
        # and die without a stack: put faulthandler back over them (the parent still reports
        # "killed by signal: Segmentation fault").
        module = sys.modules.get("torch.utils.data._utils.signal_handling")
        original = getattr(module, "_set_worker_signal_handlers", None)
        if original is None or getattr(original, "_vigil", False):
            return

        def set_worker_signal_handlers(*args, **kwargs):
            result = original(*args, **kwargs)
            if state["fault_file"] is not None:
                faulthandler.disable()  # enable() alone keeps torch's handlers when already enabled
                faulthandler.enable(file=state["fault_file"], all_threads=True)
            return result

        set_worker_signal_handlers._vigil = True
        module._set_worker_signal_handlers = set_worker_signal_handlers

    def after_fork():
        register("fork")
        keep_faulthandler_in_dataloader_workers()

    register("start")
    os.register_at_fork(after_in_child=after_fork)

    # Never steal a signal the program uses: when it installs its own handler, step aside.
    original_signal = signal.signal

    def vigil_aware_signal(signalnum, handler):
        if signalnum == dump_signal and state["dump_registered"]:
            faulthandler.unregister(dump_signal)
            state["dump_registered"] = False
            emit('{"ev": "dump_signal_released", "pid": %d, "t": %.6f}\n' % (os.getpid(), time.time()))
        return original_signal(signalnum, handler)

    vigil_aware_signal.__wrapped__ = original_signal
    vigil_aware_signal.__doc__ = original_signal.__doc__
    signal.signal = vigil_aware_signal

    original_excepthook = sys.excepthook

    def report(kind, exc_type, exc, tb):
        try:
            import traceback

            text = "".join(traceback.format_exception(exc_type, exc, tb))[-8000:]
            emit(
                '{"ev": "exception", "pid": %d, "t": %.6f, "where": %s, "type": %s, "message": %s, "traceback": %s}\n'
                % (os.getpid(), time.time(), quote(kind), quote(exc_type.__name__), quote(str(exc)[:2000]), quote(text))
            )
        except Exception:
            pass

    def excepthook(exc_type, exc, tb):
        if not issubclass(exc_type, KeyboardInterrupt):
            report("main", exc_type, exc, tb)
        original_excepthook(exc_type, exc, tb)

    sys.excepthook = excepthook
    try:
        import threading

        original_thread_hook = threading.excepthook

        def thread_hook(args):
            if args.exc_type is not SystemExit:
                report("thread " + (args.thread.name if args.thread else "?"), args.exc_type, args.exc_value, args.exc_traceback)
            original_thread_hook(args)

        threading.excepthook = thread_hook
    except Exception:
        pass

    stdlib = getattr(sys, "stdlib_module_names", frozenset())

    class ImportMarker:
        """Marks the start of each top-level third-party import; finds nothing itself."""

        @staticmethod
        def find_spec(name, path=None, target=None):
            if path is None and "." not in name and name not in stdlib and name not in sys.modules:
                emit('{"ev": "import", "pid": %d, "t": %.6f, "module": %s}\n' % (os.getpid(), time.time(), quote(name)))
            return None

        @staticmethod
        def invalidate_caches():
            pass

    sys.meta_path.insert(0, ImportMarker)


_install_hooks()
_chain_shadowed_sitecustomize()
