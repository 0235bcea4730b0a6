/**
 * `{checkpoint}` in the job's command: the chosen checkpoint's path, or — with none — the
 * placeholder left out together with the option word right before it, so one command line both
 * starts fresh and resumes: `train.py --resume {checkpoint}` → `train.py` on the first attempt.
 * A word holding the placeholder with other text (`--resume={checkpoint}`, Hydra's
 * `ckpt_path={checkpoint}`) disappears whole.
 */

export const CHECKPOINT_PLACEHOLDER = '{checkpoint}';

export function substituteCheckpoint(argv: readonly string[], checkpoint: string | null): string[] {
  if (checkpoint !== null) return argv.map((word) => word.replaceAll(CHECKPOINT_PLACEHOLDER, checkpoint));
  const kept: string[] = [];
  for (const word of argv) {
    if (!word.includes(CHECKPOINT_PLACEHOLDER)) kept.push(word);
    else if (word === CHECKPOINT_PLACEHOLDER && isOptionWord(kept.at(-1))) kept.pop();
  }
  return kept;
}

/** `--resume`, `-r`: an option naming what follows; not `-` (stdin) nor `--` (end of options), nor `--opt=value`. */
const isOptionWord = (word: string | undefined): boolean => word !== undefined && /^--?[^-=\s][^=\s]*$/.test(word);

export function mentionsCheckpoint(argv: readonly string[]): boolean {
  return argv.some((word) => word.includes(CHECKPOINT_PLACEHOLDER));
}
