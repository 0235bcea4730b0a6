"""Framework callbacks: progress reported from inside Hugging Face and Lightning trainers.
Each imports its framework only when created, so `import vigil` never pulls them in."""

from . import phase, should_stop, step

# Names step() takes itself: a metric of the same name (HF logs carry "epoch") must not clash.
_RESERVED = ("step", "n", "total", "epoch")


def _numeric(values):
    metrics = {}
    for key, value in (values or {}).items():
        if key in _RESERVED:
            continue
        try:
            metrics[str(key)] = float(value)  # numbers, tensors and numpy scalars
        except (TypeError, ValueError):
            pass
    # Frameworks name the training loss "train_loss", "loss_step", …: the watchdog looks for `loss`.
    if "loss" not in metrics:
        train = [k for k in metrics if "loss" in k and not k.startswith(("val", "test", "eval"))]
        if train:
            metrics["loss"] = metrics[train[0]]
    return metrics


def HuggingFaceCallback():
    """transformers.Trainer(..., callbacks=[vigil.callbacks.HuggingFaceCallback()])"""
    from transformers import TrainerCallback

    class _VigilCallback(TrainerCallback):
        def on_step_end(self, args, state, control, **kwargs):
            phase("train")
            step(state.global_step, total=state.max_steps or None, epoch=state.epoch)
            if should_stop():  # `vigil stop`: save this step and end training the Trainer's own way
                control.should_save = True
                control.should_training_stop = True

        def on_log(self, args, state, control, logs=None, **kwargs):
            step(state.global_step, total=state.max_steps or None, epoch=state.epoch, **_numeric(logs))

        def on_prediction_step(self, args, state, control, **kwargs):
            phase("eval")

        def on_evaluate(self, args, state, control, **kwargs):
            phase("train")

    return _VigilCallback()


def LightningCallback():
    """lightning.Trainer(callbacks=[vigil.callbacks.LightningCallback()])"""
    try:
        from lightning.pytorch import Callback
    except ImportError:
        from pytorch_lightning import Callback

    class _VigilCallback(Callback):
        @staticmethod
        def _stop_checkpoint_path(trainer):
            import os

            # Where a ModelCheckpoint would save (its dirpath), named as Lightning names its own.
            checkpoint = getattr(trainer, "checkpoint_callback", None)
            directory = getattr(checkpoint, "dirpath", None) or os.path.join(trainer.default_root_dir, "checkpoints")
            return os.path.join(directory, "epoch=%d-step=%d.ckpt" % (trainer.current_epoch, trainer.global_step))

        def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
            phase("train")
            total = trainer.max_steps if trainer.max_steps and trainer.max_steps > 0 else None
            step(trainer.global_step, total=total, epoch=trainer.current_epoch, **_numeric(trainer.callback_metrics))
            if should_stop() and not trainer.should_stop:  # `vigil stop`: save this step, then end training
                trainer.save_checkpoint(self._stop_checkpoint_path(trainer))
                trainer.should_stop = True

        def on_validation_start(self, trainer, pl_module):
            phase("eval")

        def on_validation_end(self, trainer, pl_module):
            phase("train")

        def on_save_checkpoint(self, trainer, pl_module, checkpoint):
            phase("checkpoint")

    return _VigilCallback()
