/** What ran a job, as recorded when its run started (asked by src/platform/runtime-environment.ts). */
export type RuntimeEnvironment = {
  vigil: string;
  node: string;
  host: string;
  /** `python 3.11.2; torch 2.1.0; cuda build 12.1`, or why it could not be said; null: the command is no Python. */
  python: string | null;
  /** `NVIDIA H100, driver 550.54; …`; null: no nvidia-smi (or it failed). */
  gpus: string | null;
};
