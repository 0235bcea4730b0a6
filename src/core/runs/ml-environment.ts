/**
 * The part of a job's environment that changes how training runs — the CUDA, NCCL, PyTorch,
 * threading, Hugging Face, JAX and TensorFlow variables — kept with the run, so that what changed
 * between a failure and a later success can name `PYTORCH_CUDA_ALLOC_CONF` or `NCCL_P2P_DISABLE`.
 * Nothing else of the environment is kept, and never a variable whose name says it is a secret.
 */

import { isSecretName } from '../text/secret-names.ts';

const TRAINING_VARIABLE =
  /^(?:CUDA_|CUBLAS_|CUDNN_|NCCL_|GLOO_|PYTORCH_|TORCH_|TORCHINDUCTOR_|OMP_|MKL_|OPENBLAS_|HF_|TRANSFORMERS_|TOKENIZERS_|ACCELERATE_|DEEPSPEED_|XLA_|JAX_|TF_|MASTER_|WORLD_SIZE$|LOCAL_WORLD_SIZE$)/;

export function trainingEnvironment(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of Object.keys(env).sort()) {
    const value = env[name];
    if (value !== undefined && TRAINING_VARIABLE.test(name) && !isSecretName(name)) kept[name] = value;
  }
  return kept;
}
