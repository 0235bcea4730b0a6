"""A job that prints `count` short progress lines as fast as it can, each its own write()
(PYTHONUNBUFFERED, as under vigil). Prints its own wall time (what the job experiences) last."""
import os
import sys
import time

count = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000_000
write = sys.stdout.write
start = time.monotonic()
for i in range(count):
    write(f"epoch 1 step {i}/{count} loss 0.5\n")
sys.stdout.flush()
os.write(1, f"JOB_WALL {time.monotonic() - start:.4f}\n".encode())
