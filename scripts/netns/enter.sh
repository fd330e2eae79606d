#!/usr/bin/env bash
# The inside half of run.sh: runs in the new namespaces, builds the world,
# runs the command, then stops the servers. Not meant to be called directly.
#
#   enter.sh WORLD_DIR CMD [ARG...]
set -euo pipefail

world=$1
shift
here=$(dirname -- "$(realpath -e -- "${BASH_SOURCE[0]}")")
zones_dir=$(realpath -e -- "$here/../../fixtures/zones")

# Refuse to run outside a fresh network namespace: everything below would
# otherwise touch the host (its /etc through mounts, its port 53).
if ip -o link show | grep -qv ': lo:'; then
  echo "enter.sh: not in a private network namespace; use run.sh" >&2
  exit 2
fi

tmp=$(mktemp -d /tmp/netdb-world.XXXXXX)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  rm -rf -- "$tmp"
}
trap cleanup EXIT

# Lines of a world's list files, without comments and blank lines.
lines() {
  sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' -e '/^$/d' "$1"
}

# --- network -------------------------------------------------------------
ip link set lo up
if [[ -f $world/net ]]; then
  while read -r -a args; do
    ip "${args[@]}"
  done < <(lines "$world/net")
fi

if [[ -f $world/etc/hostname ]]; then
  hostname "$(lines "$world/etc/hostname" | head -n 1)"
fi

# --- /etc ----------------------------------------------------------------
# Copies, not the fixture files themselves, so CMD may edit /etc/hosts
# (to test reloading) without changing the repository.
mkdir "$tmp/etc"
for file in "$world"/etc/*; do
  name=${file##*/}
  cp -L -- "$file" "$tmp/etc/$name"
done
# Files glibc reads that a world may leave out: an empty file stands in, so
# the host's copy never leaks into the world.
for name in gai.conf host.conf; do
  [[ -e $tmp/etc/$name ]] || : > "$tmp/etc/$name"
done
for file in "$tmp"/etc/*; do
  name=${file##*/}
  if [[ ! -f /etc/$name ]]; then
    echo "enter.sh: /etc/$name does not exist; a bind mount needs it and the real /etc is never written" >&2
    exit 1
  fi
  mount --bind -- "$file" "/etc/$name"
done

# --- silent servers --------------------------------------------------------
# WORLD_DIR/silent lists "ADDRESS PORT" pairs where a UDP and TCP socket
# accept queries and never answer, so clients run into their timeouts.
if [[ -f $world/silent ]]; then
  while read -r address port; do
    python3 "$here/silent.py" "$address" "$port" &
    pids+=("$!")
  done < <(lines "$world/silent")
fi

# --- knotd -----------------------------------------------------------------
if [[ -f $world/zones ]] && [[ -n $(lines "$world/zones") ]]; then
  knot=$tmp/knot
  mkdir -p "$knot/zones" "$knot/storage"
  {
    printf 'server:\n  rundir: "%s"\n  listen: [ 127.0.0.1@53, ::1@53 ]\n' "$knot"
    printf '  # deterministic answers: no RRset rotation (the default, said out loud)\n'
    printf '  answer-rotation: off\n'
    printf 'database:\n  storage: "%s"\n' "$knot/storage"
    printf 'log:\n  - target: "%s"\n    any: info\n' "$knot/knotd.log"
    printf 'template:\n  - id: default\n    storage: "%s"\n    zonefile-sync: -1\n    journal-content: none\n' "$knot/zones"
    printf 'zone:\n'
    while read -r origin file; do
      cp -- "$zones_dir/$file" "$knot/zones/$file"
      printf '  - domain: "%s"\n    file: "%s"\n' "$origin" "$file"
    done < <(lines "$world/zones")
  } > "$knot/knot.conf"
  knotd -c "$knot/knot.conf" 2> "$knot/knotd.stderr" &
  pids+=("$!")

  # Ready when every zone has either loaded or failed to load.
  zone_count=$(lines "$world/zones" | wc -l)
  for ((i = 0; ; i++)); do
    if ! kill -0 "${pids[-1]}" 2>/dev/null; then
      echo "enter.sh: knotd exited:" >&2
      cat "$knot/knotd.stderr" "$knot/knotd.log" >&2 2>/dev/null || true
      exit 1
    fi
    settled=$(grep -cE "\] loaded, serial|zone event 'load' failed" "$knot/knotd.log" 2>/dev/null || true)
    if (( settled >= zone_count )) && kdig @127.0.0.1 +timeout=1 +retry=0 . SOA >/dev/null 2>&1; then
      break
    fi
    if (( i >= 300 )); then
      echo "enter.sh: knotd did not load its zones within 3 s:" >&2
      cat "$knot/knotd.log" >&2
      exit 1
    fi
    sleep 0.01
  done
fi

"$@"
