"""python -m stackbook: the command line."""

from stackbook.cli import main

main()
