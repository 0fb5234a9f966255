"""The numerical library's worker threads, in a command-line process.

numpy's OpenBLAS starts worker threads (one per core) as numpy is imported.
`assess` has no matrix work to give them: the sensitivity draws, the only
arrays it makes, are element-wise sums and percentiles, which numpy does on
the calling thread. Measured on a 2-core machine, `python -c "import numpy"`
took 0.11-0.13 s of CPU with the default and 0.05 s with one thread (wall
time 0.08 against 0.07 s): CPU spent for nothing in every `assess
sensitivity` and `assess report`. The command line asks OpenBLAS for one
thread before numpy can be imported; a value the user set is kept, and a
library caller's process is left alone.
"""

from __future__ import annotations

import os
from typing import MutableMapping

# the variable OpenBLAS reads at start-up, and the value the command line gives it
BLAS_THREADS = {"OPENBLAS_NUM_THREADS": "1"}


def one_blas_thread(environ: MutableMapping[str, str] | None = None) -> None:
    """Asks OpenBLAS for a single thread, unless `environ` (default:
    os.environ) already says how many; it must run before numpy is imported
    to count (cli.main calls it first).

    Returns: None.
    Raises: nothing.

    Example:
        >>> env = {}
        >>> one_blas_thread(env)
        >>> env
        {'OPENBLAS_NUM_THREADS': '1'}
    """
    environ = os.environ if environ is None else environ
    for name, value in BLAS_THREADS.items():
        environ.setdefault(name, value)
