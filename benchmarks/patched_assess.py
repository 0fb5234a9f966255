"""`assess` with a code table patched for worlds of more than 1,341 countries.

    python benchmarks/patched_assess.py ARGS...   # as `assess ARGS...`

ISO 3166-1 and its user-assigned ranges give 1,341 three-letter codes; the
growth benchmark (run.py --scale ... 2000) needs more. This adds the codes
generate.synthetic_codes() lists to assess.validate.iso3_codes() and then runs
the `assess` command unchanged. Only the benchmarks use it; `assess` itself
rejects those codes. The patch costs one import of assess.validate (which
every command that loads a workspace imports anyway) and a dict of ~16,000
codes.
"""

import importlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import generate  # noqa: E402

# importlib: the package `assess` also exports a function named validate
validate = importlib.import_module("assess.validate")

_codes = dict(validate.iso3_codes())
_codes.update((c, f"Synthetic country {c}") for c in generate.synthetic_codes(set(_codes)))
_original = validate.iso3_codes


def iso3_codes() -> dict[str, str]:
    return _codes


for name, module in list(sys.modules.items()):
    if name.startswith("assess") and getattr(module, "iso3_codes", None) is _original:
        module.iso3_codes = iso3_codes

from assess.cli import main  # noqa: E402

if __name__ == "__main__":
    main()
