"""Ask CPython (glibc) lookups with HOSTALIASES set, in the seed world, and
write fixtures/golden/hostaliases.json (the format of lookup-<world>.json,
with the alias file's path relative to the repository).

Run by scripts/golden/seedextra.sh, inside the world, with an environment
holding only HOSTALIASES (and PATH/LANG).
"""
import os
import sys

from cases import case
from lookup import evaluate, glibc_version, namespace, write_golden
import platform

NAMES = ["py", "PY", "py.", "pyalias", "homer2", "self", "nowhere", "dotted.alias", "empty", "again",
         "tabbed", "leela", "www", "nosuchalias", "localhost"]

CASES = ([case("gethostbyname", name) for name in NAMES]
         + [case("gethostbyname_ex", name) for name in NAMES]
         + [case("getaddrinfo", name, 80, 2, 1, 0, 2) for name in NAMES]
         + [case("getaddrinfo", name, None) for name in ["py", "homer2", "nowhere", "www"]])


def main(out_path):
    golden = {
        "world": "seed",
        "python": platform.python_version(),
        "glibc": glibc_version(),
        "hostaliases": os.path.relpath(os.environ["HOSTALIASES"]),
        "namespace": namespace(),
        "cases": [evaluate(c) for c in CASES],
    }
    write_golden(golden, out_path)
    print("hostaliases: %d cases -> %s" % (len(CASES), out_path))


if __name__ == "__main__":
    main(sys.argv[1])
