"""``python -m mailtls_lint``: the mailtls-lint command line, run in this process."""

import sys

from . import _core


def main() -> int:
    status, out, err = _core.main(["mailtls-lint", *sys.argv[1:]], sys.stdout.isatty())
    sys.stdout.buffer.write(out)
    sys.stdout.flush()
    sys.stderr.buffer.write(err)
    sys.stderr.flush()
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
