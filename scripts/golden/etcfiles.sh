#!/usr/bin/env bash
# Regenerate fixtures/golden/etcfiles.json: what CPython (glibc) answers when
# one /etc file is not a plain file: unreadable (mode 000, asked as user
# nobody), a directory, a FIFO nobody writes to, /dev/zero. The scenarios
# and cases are in scripts/golden/etcfiles.py.
#
#   scripts/golden/etcfiles.sh          (root; about a minute)
#
# Each case runs in a fresh process, in the scenario's world
# (scripts/netns/run.sh), with an empty environment, under a 5 s timeout:
# a case still running then is recorded as {"hang": true}. Debian's
# /usr/bin/python3.11 is the interpreter (the same glibc 2.36): user nobody
# cannot reach a python under /root.
set -euo pipefail

repo=$(cd "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"
python=/usr/bin/python3.11
out=fixtures/golden/etcfiles.json

if [[ ${1:-} == --inside ]]; then
  world=$2
  tmp=$(mktemp -d /tmp/netdb-etcfiles.XXXXXX)
  chmod 755 "$tmp"
  list=$(cd scripts/golden && "$python" etcfiles.py --list)
  count=$("$python" -c 'import json,sys; print(len(json.loads(sys.argv[1])))' "$list")
  for ((i = 0; i < count; i++)); do
    read -r w file kind < <("$python" -c 'import json,sys; c=json.loads(sys.argv[1])[int(sys.argv[2])]; print(c[0], c[1], c[2])' "$list" "$i")
    [[ $w == "$world" ]] || continue
    as=()
    case $kind in
      unreadable)
        cp -- "/etc/$file" "$tmp/unreadable"; chmod 000 "$tmp/unreadable"
        mount --bind "$tmp/unreadable" "/etc/$file"
        as=(setpriv --reuid=nobody --regid=nogroup --clear-groups) ;;
      fifo)
        rm -f "$tmp/fifo"; mkfifo -m 644 "$tmp/fifo"; mount --bind "$tmp/fifo" "/etc/$file" ;;
      zero)
        mount --bind /dev/zero "/etc/$file" ;;
      directory)
        # A directory cannot be bound over a file: /etc itself is replaced by
        # links to the real entries, with a directory in the file's place.
        mkdir -p "$tmp/orig" "$tmp/etc"
        mount --rbind /etc "$tmp/orig"
        for entry in "$tmp"/orig/* "$tmp"/orig/.[!.]*; do
          [[ -e $entry || -L $entry ]] && ln -s -- "$entry" "$tmp/etc/${entry##*/}"
        done
        rm -f -- "$tmp/etc/$file"; mkdir -- "$tmp/etc/$file"
        mount --bind "$tmp/etc" /etc ;;
    esac
    started=$(date +%s%N)
    if line=$(cd scripts/golden && timeout 5 "${as[@]}" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
        PYTHONDONTWRITEBYTECODE=1 "$python" etcfiles.py "$i"); then
      :
    else
      line=$("$python" -c 'import json,sys; c=json.loads(sys.argv[1])[int(sys.argv[2])][3]; print(json.dumps({"id": c[0], "call": c[1], "args": c[2], "hang": True, "ms": int(sys.argv[3])}))' \
        "$list" "$i" "$(( ($(date +%s%N) - started) / 100000000 * 100 ))")
    fi
    printf '{"world": "%s", "file": "%s", "kind": "%s", "case": %s}\n' "$world" "$file" "$kind" "$line"
    case $kind in
      directory) umount /etc; umount -R "$tmp/orig"; rm -rf -- "$tmp/etc" ;;
      *) umount "/etc/$file" ;;
    esac
  done
  rm -rf -- "$tmp"
  exit 0
fi

lines=$(mktemp)
trap 'rm -f -- "$lines"' EXIT
for world in seed hostsonly; do
  scripts/netns/run.sh "fixtures/worlds/$world" -- "$0" --inside "$world" >> "$lines"
done
{
  printf '{\n "python": "%s", "glibc": "%s",\n "cases": [\n' \
    "$("$python" -c 'import platform; print(platform.python_version())')" "$(getconf GNU_LIBC_VERSION | cut -d' ' -f2)"
  sed -e 's/^/  /' -e '$!s/$/,/' "$lines"
  printf ' ]\n}\n'
} > "$out"
echo "etcfiles: $(wc -l < "$lines") cases -> $out"
