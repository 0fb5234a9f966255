"""`python -m assess` is the `assess` command."""

from .cli import main

main()
