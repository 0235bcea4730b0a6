"""A chatty trainer: `rate` short lines per second for `seconds`, paced by the clock. Prints its own
wall time (what the job experiences) as the last line."""
import sys, time

rate = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10
start = time.monotonic()
batch = rate // 100
n = 0
while n < rate * seconds:
    for _ in range(batch):
        print(f"step {n} loss {1.0 / (n + 1):.6f} lr 0.001")
        n += 1
    behind = start + n / rate - time.monotonic()
    if behind > 0:
        time.sleep(behind)
print(f"JOB_WALL {time.monotonic() - start:.4f}", flush=True)
