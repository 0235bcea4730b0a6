/**
 * What a job declares to `vigil run` that the doctor can check beforehand: where it writes
 * checkpoints (and which names are checkpoints) and which paths it fingerprints. Read from its
 * `vigil run` option words (vigil.yaml's jobs store them as `--checkpoints=/abs/dir`; the
 * `--checkpoints DIR` form is read too). Pure.
 */

export type JobDeclarations = { checkpointDirs: string[]; checkpointGlob: string | null; fingerprints: string[] };

export const NOTHING_DECLARED: JobDeclarations = { checkpointDirs: [], checkpointGlob: null, fingerprints: [] };

export function jobDeclarations(words: readonly string[]): JobDeclarations {
  const values = (option: string): string[] => {
    const found: string[] = [];
    for (let i = 0; i < words.length; i += 1) {
      const word = words[i] as string;
      if (word.startsWith(`${option}=`)) found.push(word.slice(option.length + 1));
      else if (word === option && words[i + 1] !== undefined) found.push(words[(i += 1)] as string);
    }
    return found;
  };
  return {
    checkpointDirs: values('--checkpoints'),
    checkpointGlob: values('--checkpoint-glob').at(-1) ?? null,
    fingerprints: values('--fingerprint'),
  };
}
