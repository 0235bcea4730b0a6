/**
 * What makes a run's outcome suspect or worth a look, even when it looks fine. Stored on the run
 * (`runs.flags`), shown by `ps` and `show`; alerts will be keyed on them.
 */
export type RunFlag =
  /** Exited 0 without any progress, though it looked like training. */
  | 'no_progress'
  /** Exited 0 far short of its known total. */
  | 'incomplete'
  /** A pipeline stage received none of the items before it. */
  | 'empty_stage'
  /** A pipeline edge stayed flat while the stage before it advanced. */
  | 'stage_stall'
  /** The loss or a metric turned NaN/Inf. */
  | 'nan_loss'
  /** No progress for the progress timeout. */
  | 'hang'
  /** Nothing at all for the start-up timeout. */
  | 'startup_stall'
  /** The database could not be written for a while: some of the run's history may be missing. */
  | 'store_degraded';
