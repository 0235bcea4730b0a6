"""Framework callbacks: progress reported from inside Hugging Face and Lightning trainers.
Each imports its framework only when created, so `import vigil` never pulls them in."""

from . import phase, step


def HuggingFaceCallback():
    """transformers.Trainer(..., callbacks=[vigil.callbacks.HuggingFaceCallback()])"""
    from transformers import TrainerCallback

    class _VigilCallback(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            step(state.global_step, total=state.max_steps or None, epoch=state.epoch)

        def on_log(self, args, state, control, logs=None, **kwargs):
            metrics = {k: v for k, v in (logs or {}).items() if isinstance(v, (int, float))}
            step(state.global_step, total=state.max_steps or None, epoch=state.epoch, **metrics)

        def on_evaluate(self, args, state, control, **kwargs):
            phase("train")

        def on_prediction_step(self, args, state, control, **kwargs):
            phase("eval")

    return _VigilCallback()


def LightningCallback():
    """lightning.Trainer(callbacks=[vigil.callbacks.LightningCallback()])"""
    try:
        from lightning.pytorch import Callback
    except ImportError:
        from pytorch_lightning import Callback

    class _VigilCallback(Callback):
        def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
            metrics = {}
            for key, value in trainer.callback_metrics.items():
                try:
                    metrics[key] = float(value)
                except (TypeError, ValueError):
                    pass
            total = trainer.max_steps if trainer.max_steps and trainer.max_steps > 0 else None
            step(trainer.global_step, total=total, epoch=trainer.current_epoch, **metrics)

        def on_validation_start(self, trainer, pl_module):
            phase("eval")

        def on_validation_end(self, trainer, pl_module):
            phase("train")

        def on_save_checkpoint(self, trainer, pl_module, checkpoint):
            phase("checkpoint")

    return _VigilCallback()
