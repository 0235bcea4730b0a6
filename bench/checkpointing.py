"""A CPU-bound trainer that checkpoints: a fixed amount of arithmetic in `steps` steps, a step line
every step and a small, valid torch-style zip (`epoch=0-step=N.ckpt`) into `dir` every `every`
steps. Prints its own wall time (what the job experiences) as the last line."""
import os, sys, time, zipfile

ckpt_dir = sys.argv[1]
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
every = int(sys.argv[3]) if len(sys.argv) > 3 else 200
first_step = 100_000  # above the pre-filled checkpoints' steps: each save is the newest
start = time.monotonic()
acc = 0
for step in range(1, steps + 1):
    for i in range(20_000):  # the step's work: fixed, so wall time shows any contention
        acc = (acc + i * i) % 1_000_003
    print(f"step {first_step + step} loss {1.0 / step:.6f} lr 0.001", flush=True)
    if step % every == 0:
        path = os.path.join(ckpt_dir, f"epoch=0-step={first_step + step}.ckpt")
        with zipfile.ZipFile(path + ".tmp", "w") as z:
            z.writestr("archive/data.pkl", os.urandom(4096))
        os.replace(path + ".tmp", path)
print(f"JOB_WALL {time.monotonic() - start:.4f}", flush=True)
