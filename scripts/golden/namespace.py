"""The namespace plumbing the recorded-scenario golden scripts share
(unreachable.py, resolv-parity.py): checking that a child runs in a fresh
network namespace, and laying /etc files over the host's by bind mounts
(the host's /etc is never written)."""
import json
import os
import subprocess


def in_fresh_namespace():
    """True when this is a new network namespace: only lo, and it is down."""
    links = json.loads(subprocess.run(["ip", "-j", "link", "show"], check=True, capture_output=True, text=True).stdout)
    return [link["ifname"] for link in links] == ["lo"] and "UP" not in links[0]["flags"]


def bind_etc(scratch, files):
    """Writes each of `files` (name → text) into `scratch` and bind-mounts it over /etc/<name>."""
    for name, text in files.items():
        path = os.path.join(scratch, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        subprocess.run(["mount", "--bind", path, "/etc/" + name], check=True)
