"""The glibc client of the burst and spoofing runs (see burst-client.ts):
CPython's socket.gethostbyname in a thread pool, so glibc's stub resolver
(a fresh socket and port per lookup) asks resolv.conf's nameserver. Runs
only inside a private network namespace whose resolv.conf names 127.0.0.1
alone (bench/netns.ts builds one); refuses to run anywhere else.

    python3 test/reliability/burst-glibc.py '<BurstTask JSON>'

Prints one line of JSON in the shape of burst-client.ts's BurstReport.
"""
import json
import socket
import sys
import time
from concurrent.futures import ThreadPoolExecutor

BURST_ADDRESS = "192.0.2.7"
FORGED_ADDRESS = "203.0.113.66"
CODES = {-2: "EAI_NONAME", -3: "EAI_AGAIN", -4: "EAI_FAIL", -5: "EAI_NODATA"}

interfaces = [name for _, name in socket.if_nameindex()]
with open("/etc/resolv.conf") as f:
    servers = [line.split()[1] for line in f if line.startswith("nameserver")]
if interfaces != ["lo"] or servers != ["127.0.0.1"]:
    sys.exit(f"burst-glibc.py: not in the bench's namespace (interfaces {interfaces}, nameservers {servers}); refusing to use glibc's resolver")

task = json.loads(sys.argv[1])
name_of = lambda i: f"{'same' if task.get('sameName') else f'n{i}'}.{task['tag']}.burst.test"
if task["warmup"]:
    socket.gethostbyname(f"warm.{task['tag']}.burst.test")

report = {"library": "glibc", "lookups": task["lookups"], "resolved": 0, "forged": 0, "otherAddress": 0, "failed": {}}


settled = []


def lookup(i):
    try:
        return socket.gethostbyname(name_of(i))
    except OSError as err:
        return err
    finally:
        settled.append((time.perf_counter() - started) * 1000)


cpu, started = time.process_time(), time.perf_counter()
with ThreadPoolExecutor(max_workers=min(task["concurrency"], task["lookups"])) as pool:
    outcomes = list(pool.map(lookup, range(task["lookups"])))
report["wallMs"] = (time.perf_counter() - started) * 1000
report["cpuMs"] = (time.process_time() - cpu) * 1000
settled.sort()
report["settledP50Ms"] = settled[int(0.5 * (len(settled) - 1))]
report["settledP99Ms"] = settled[int(0.99 * (len(settled) - 1))]
for i, got in enumerate(outcomes):
    if isinstance(got, OSError):
        code = CODES.get(got.errno, str(got.errno))
        report["failed"][code] = report["failed"].get(code, 0) + 1
        report.setdefault("firstError", f"{name_of(i)}: {got}")
    elif got == BURST_ADDRESS:
        report["resolved"] += 1
    elif got == FORGED_ADDRESS:
        report["forged"] += 1
    else:
        report["otherAddress"] += 1
print(json.dumps(report))
