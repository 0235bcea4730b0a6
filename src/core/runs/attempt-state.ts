/**
 * The life of one attempt (after torch elastic's WorkerState), as the supervisor drives it:
 *
 *   starting ──spawned──► running ──main process exits──────────────► exited ──tree empty──► ended
 *      │                     │                                          ▲
 *      │                     └─stop requested (signal, vigil stop,      │
 *      │                       watchdog)──► stopping ──exit, or grace ──┘
 *      │                                    over → SIGKILL to the tree
 *      └──spawn refused (ENOENT, E2BIG, bad cwd)──────────────────────────────────────► ended
 *
 * - starting: the attempt's files exist, the process does not yet.
 * - running: the main process lives; the watchdog and the followers run.
 * - stopping: a StopReason is recorded and the first signal sent; a second request, or the grace
 *   period running out, SIGKILLs every process of the run.
 * - exited: the main process is gone; processes it left are ended (reason `leftovers`) before the
 *   attempt counts as over, so nothing outlives it.
 * - ended: the tree is empty, the followers have read the log to its end; the outcome is final.
 * A stop requested once the main process has exited changes nothing: the outcome is what happened.
 */
export type AttemptState = 'starting' | 'running' | 'stopping' | 'exited' | 'ended';
