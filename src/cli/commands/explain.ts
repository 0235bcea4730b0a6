import { diagnoseFile } from '../../diagnosis/diagnose-file.ts';
import { ExitCode, VigilError } from '../../errors.ts';
import { out } from '../colours.ts';
import { renderDiagnosis } from '../render-diagnosis.ts';

type ExplainOptions = { json?: boolean; exitCode?: number; signal?: string };

export function explainCommand(file: string, options: ExplainOptions): void {
  let diagnosis;
  try {
    diagnosis = diagnoseFile(file, { exitCode: options.exitCode ?? null, signal: options.signal ?? null });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new VigilError(`cannot read ${file}: ${code}`, ExitCode.usage, { cause: error });
  }
  process.stdout.write(options.json ? `${JSON.stringify(diagnosis, null, 2)}\n` : renderDiagnosis(diagnosis, out));
}
