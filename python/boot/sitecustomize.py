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
    state = {"fault_file": None, "dump_registered": False, "worker": None}

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

    # Patches applied when (and in whichever process) a module is first imported: fork
    # children inherit them, spawn children apply them again on their own import.
    after_import = {}

    def keep_faulthandler_in_dataloader_workers(module):
        # A DataLoader worker installs torch's own SIGSEGV/SIGBUS handlers, which print one line
        # and die without a stack: put faulthandler back over them (the parent still reports
        # "killed by signal: Segmentation fault").
        original = getattr(module, "_set_worker_signal_handlers", None)
        if original is None:
            return

        def set_worker_signal_handlers(*args, **kwargs):
            result = original(*args, **kwargs)
            if state["fault_file"] is not None:
                faulthandler.disable()  # enable() alone keeps torch's handlers when already enabled
                faulthandler.enable(file=state["fault_file"], all_threads=True)
            return result

        module._set_worker_signal_handlers = set_worker_signal_handlers

    def announce_dataloader_workers(module):
        # A worker says which one it is, so its stacks and exceptions name "DataLoader worker N".
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
                worker = int(signature.bind(*args, **kwargs).arguments["worker_id"])
                state["worker"] = worker
                emit('{"ev": "role", "pid": %d, "t": %.6f, "worker": %d}\n' % (os.getpid(), time.time(), worker))
            except Exception:
                pass
            return original(*args, **kwargs)

        module._worker_loop = _worker_loop

    def report_process_exceptions(module):
        # multiprocessing catches what a Process's run() raises and prints it itself: sys.excepthook
        # never sees it. Report it on the way out, and say the process's name first.
        base = getattr(module, "BaseProcess", None)
        original = getattr(base, "_bootstrap", None)
        if original is None:
            return

        def _bootstrap(self, *args, **kwargs):
            emit('{"ev": "role", "pid": %d, "t": %.6f, "name": %s}\n' % (os.getpid(), time.time(), quote(str(self.name))))
            run = self.run

            def reporting_run():
                try:
                    return run()
                except (SystemExit, KeyboardInterrupt):
                    raise
                except BaseException as error:
                    report("MainThread", type(error), error, error.__traceback__)
                    raise

            self.run = reporting_run
            return original(self, *args, **kwargs)

        base._bootstrap = _bootstrap

    def when_imported(name, patch):
        if name in sys.modules:
            patch(sys.modules[name])
        else:
            after_import[name] = patch

    when_imported("torch.utils.data._utils.signal_handling", keep_faulthandler_in_dataloader_workers)
    when_imported("torch.utils.data._utils.worker", announce_dataloader_workers)
    when_imported("multiprocessing.process", report_process_exceptions)

    register("start")
    def after_fork():
        state["worker"] = None
        register("fork")

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

    def report(thread, exc_type, exc, tb):
        try:
            import traceback

            text = "".join(traceback.format_exception(exc_type, exc, tb))[-8000:]
            emit(
                '{"ev": "exception", "pid": %d, "t": %.6f, "thread": %s, "worker": %s, "type": %s, "message": %s, "traceback": %s}\n'
                % (
                    os.getpid(),
                    time.time(),
                    quote(thread),
                    "null" if state["worker"] is None else state["worker"],
                    quote(exc_type.__name__),
                    quote(str(exc)[:2000]),
                    quote(text),
                )
            )
        except Exception:
            pass

    def excepthook(exc_type, exc, tb):
        if not issubclass(exc_type, KeyboardInterrupt):
            try:
                import threading

                thread = threading.current_thread().name
            except Exception:
                thread = "MainThread"
            report(thread, exc_type, exc, tb)
        original_excepthook(exc_type, exc, tb)

    sys.excepthook = excepthook
    try:
        import threading

        original_thread_hook = threading.excepthook

        def thread_hook(args):
            if args.exc_type is not SystemExit:
                report(args.thread.name if args.thread else "?", args.exc_type, args.exc_value, args.exc_traceback)
            original_thread_hook(args)

        threading.excepthook = thread_hook
    except Exception:
        pass

    stdlib = getattr(sys, "stdlib_module_names", frozenset())

    class ImportMarker:
        """Marks the start of each top-level third-party import, and runs the after_import
        patches once their module has executed; finds nothing itself."""

        @staticmethod
        def find_spec(name, path=None, target=None):
            if path is None and "." not in name and name not in stdlib and name not in sys.modules:
                emit('{"ev": "import", "pid": %d, "t": %.6f, "module": %s}\n' % (os.getpid(), time.time(), quote(name)))
            patch = after_import.pop(name, None)
            return None if patch is None else patched_spec(name, path, target, patch)

        @staticmethod
        def invalidate_caches():
            pass

    def patched_spec(name, path, target, patch):
        """The spec the other finders give, its loader running `patch` after the module."""
        for finder in sys.meta_path:
            find = getattr(finder, "find_spec", None)
            if finder is ImportMarker or find is None:
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

    sys.meta_path.insert(0, ImportMarker)


_install_hooks()
_chain_shadowed_sitecustomize()
