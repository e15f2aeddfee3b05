#!/usr/bin/env python3
"""Times `omnicron exec --job a/b -- /bin/true` against `/bin/true` alone, in
the same run, interleaved so both see the same machine load, and reports
the runner's added time per run and its peak memory.

Targets from the issue: the runner adds no more than 2 ms per run and stays
under 10 MB peak memory. Figures are reported, not asserted (a loaded CI
machine must not fail the suite); a run that fails, or a history that does
not hold one record per run, fails the script.

The runner writes its history to a temporary --state-dir, as it would under
the real state directory: the record is part of every run's cost.

Both commands are timed twice: in the environment cron gives a job (HOME,
LOGNAME, PATH=/usr/bin:/bin, SHELL=/bin/sh; see cron-facts.md), which is the
one the target is about, and in the environment the script was started with,
for comparison (without USER and LOGNAME there, the runner must look the user
up to fill them in for the program).

usage: /usr/bin/python3 exec_vs_true.py OMNICRON_BINARY [RUNS]
"""
import json
import os
import pwd
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TARGET_ADDED_MS = 2.0
TARGET_PEAK_MB = 10.0


def spawn(argv, env):
    """Runs ARGV to its end; returns (seconds, exit status)."""
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env)
    _, status, _ = os.wait4(pid, 0)
    elapsed = time.perf_counter() - t0
    return elapsed, os.waitstatus_to_exitcode(status)


def cron_environment():
    """What Debian's cron daemon gives a job, and nothing else."""
    account = pwd.getpwuid(os.getuid())
    return {"HOME": account.pw_dir, "LOGNAME": account.pw_name,
            "PATH": "/usr/bin:/bin", "SHELL": "/bin/sh"}


def interleaved(true_argv, exec_argv, env, runs):
    """Times both, alternating; returns the two lists of seconds."""
    alone, runner = [], []
    for _ in range(runs):
        t, code = spawn(true_argv, env)
        if code != 0:
            sys.exit(f"/bin/true exited {code}")
        alone.append(t)
        t, code = spawn(exec_argv, env)
        if code != 0:
            sys.exit(f"omnicron exec exited {code}")
        runner.append(t)
    return alone, runner


def peak_kib(argv):
    """The peak RSS of ARGV, through GNU time. Linux keeps a process's peak
    RSS across execve(2), so a process spawned straight from Python reports
    Python's own 14 MB; GNU time forks from a small image of itself."""
    res = subprocess.run(["/usr/bin/time", "-f", "%M"] + argv, capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed under /usr/bin/time: {res.stderr.strip()}")
    return int(res.stderr.strip().splitlines()[-1])


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    omnicron = os.path.abspath(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) == 3 else 300
    state = tempfile.mkdtemp(prefix="omnicron-bench-exec-")
    try:
        true_argv = ["/bin/true"]
        exec_argv = [omnicron, "exec", "--state-dir", state, "--job", "a/b", "--", "/bin/true"]
        environments = [("as cron starts it", cron_environment()),
                        ("in this environment", dict(os.environ))]
        # Warm the page cache and the dynamic loader's caches for both.
        for _ in range(10):
            spawn(true_argv, environments[0][1])
            spawn(exec_argv, environments[0][1])
        shutil.rmtree(os.path.join(state, "jobs"), ignore_errors=True)
        timings = [(name, *interleaved(true_argv, exec_argv, env, runs))
                   for name, env in environments]
        peaks = [peak_kib(exec_argv) for _ in range(10)]
        true_peak = max(peak_kib(true_argv) for _ in range(10))
        with open(os.path.join(state, "jobs", "a", "b", "history.jsonl")) as f:
            records = [json.loads(line) for line in f]
        runs_recorded = runs * len(environments) + len(peaks)
        if len(records) != runs_recorded or any(r["exit_code"] != 0 for r in records):
            sys.exit(f"expected {runs_recorded} successful records, found {len(records)}")
    finally:
        shutil.rmtree(state, ignore_errors=True)

    ms = lambda s: s * 1000.0
    peak_mb = max(peaks) / 1024.0
    print(f"exec_vs_true: {runs} runs each, interleaved")
    for i, (name, alone, runner) in enumerate(timings):
        added_median = ms(statistics.median(runner) - statistics.median(alone))
        added_mean = ms(statistics.mean(runner) - statistics.mean(alone))
        print(f" {name}:")
        print(f"  /bin/true alone          median {ms(statistics.median(alone)):.3f} ms, "
              f"mean {ms(statistics.mean(alone)):.3f} ms")
        print(f"  omnicron exec /bin/true  median {ms(statistics.median(runner)):.3f} ms, "
              f"mean {ms(statistics.mean(runner)):.3f} ms "
              f"({statistics.median(runner) / statistics.median(alone):.2f}x)")
        verdict = ""
        if i == 0:
            verdict = (f" (target <= {TARGET_ADDED_MS} ms): "
                       f"{'met' if added_median <= TARGET_ADDED_MS else 'MISSED'}")
        print(f"  added by the runner      median {added_median:.3f} ms, "
              f"mean {added_mean:.3f} ms{verdict}")
    print(f"  /bin/true peak RSS       {true_peak / 1024.0:.1f} MB")
    print(f"  runner peak RSS          {peak_mb:.1f} MB (target < {TARGET_PEAK_MB} MB): "
          f"{'met' if peak_mb < TARGET_PEAK_MB else 'MISSED'}")


if __name__ == "__main__":
    main()
