"""Peak RSS of a benchmarked process, without the benchmark script's own memory in it.

`wait4`'s `ru_maxrss` for a child that Python forked (or vforked) and that then exec'd is at least the
parent's resident set at the time of the exec: Linux carries the old address space's high-water mark over
into the child's figure. A Python benchmark script is 15-25 MiB resident, more than some of the processes
measured here. So each measured command runs under `/usr/bin/time` (GNU time, a small C program), whose own
child starts from a small address space, and the peak is read from what it writes (`%M`, KiB).
"""
import os
import tempfile

TIME = "/usr/bin/time"


def wrap(cmd):
    """The command to run instead of `cmd`, and the file its peak RSS will be written to."""
    fd, path = tempfile.mkstemp(prefix="peakrss-")
    os.close(fd)
    return [TIME, "-f", "%M", "-o", path, "--"] + list(cmd), path


def read_mib(path):
    """Peak RSS in MiB that `wrap`'s command wrote (GNU time puts an exit-status line first on failure)."""
    try:
        with open(path) as f:
            words = f.read().split()
        return int(words[-1]) / 1024.0
    finally:
        os.unlink(path)
