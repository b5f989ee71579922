#!/usr/bin/env python3
"""Baseline for the Java watchdog: one probe ("the five facts") made with Python's xmlrpc.client.

Makes the same XML-RPC calls, in the same order, as one probe of the watchdog and prints one JSON
line with the requests, wall time and client CPU time (user+sys of this process) per probe.
Standard library only. Every request uses a new ServerProxy (Odoo closes the connection anyway).
With --server-cpu (Linux, same machine as Odoo) it also reads from /proc the CPU that the Odoo server
process (found by its listening port, or --odoo-pid) and all PostgreSQL processes spent during the
measured probes (warm-up excluded), per probe.

    python3 bench/probe_baseline.py --url http://127.0.0.1:8069 --db watchdog --login admin --password admin
    ODOO_URL=... ODOO_DB=... ODOO_LOGIN=... ODOO_PASSWORD=... python3 bench/probe_baseline.py --probes 50
"""
import argparse
import json
import os
import re
import subprocess
import time
from urllib.parse import urlsplit
import xmlrpc.client
from datetime import datetime, timezone

CTX = {"context": {"lang": "en_US"}}
SERVER_FIELDS = ["id", "name", "active", "smtp_host", "smtp_port", "smtp_user", "smtp_encryption",
                 "smtp_authentication", "from_filter", "sequence", "write_date"]
CRON_FIELDS = ["active", "nextcall", "lastcall", "interval_number", "interval_type", "priority", "cron_name"]


class Client:
    def __init__(self, url, db, login, password):
        self.url, self.db, self.login, self.password = url.rstrip("/"), db, login, password
        self.requests = 0

    def common(self, method, *args):
        self.requests += 1
        return getattr(xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common"), method)(*args)

    def call(self, model, method, args, **kwargs):
        self.requests += 1
        proxy = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/object")
        return proxy.execute_kw(self.db, self.uid, self.password, model, method, args, dict(kwargs, **CTX))

    def setup(self):
        """Session setup, once: version, uid, the mail cron's id."""
        info = self.common("version")
        self.server_version, self.major = info["server_version"], info["server_version_info"][0]
        self.uid = self.common("authenticate", self.db, self.login, self.password, {})
        if not self.uid:
            raise SystemExit("authentication failed")
        rows = self.call("ir.model.data", "search_read",
                         [[("module", "=", "mail"), ("name", "=", "ir_cron_mail_scheduler_action")]],
                         fields=["res_id"], limit=1)
        self.cron_id = rows[0]["res_id"]
        extra = ["numbercall", "doall"] if self.major < 18 else ["failure_count", "first_failure_date"]
        self.cron_fields = CRON_FIELDS + extra

    def probe(self):
        """The five facts."""
        now = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S")
        due = [("state", "=", "outgoing"), "|", ("scheduled_date", "=", False), ("scheduled_date", "<=", now)]
        if self.major >= 19:
            states = self.call("mail.mail", "formatted_read_group", [[], ["state"], ["__count"]])
        else:
            states = self.call("mail.mail", "read_group", [[], ["state"], ["state"]], lazy=False)
        oldest = self.call("mail.mail", "search_read", [due], fields=["id", "create_date", "scheduled_date"],
                           order="create_date asc, id asc", limit=100)
        failed = self.call("mail.mail", "search_read", [[("state", "=", "exception")]],
                           fields=["id", "failure_type", "failure_reason", "write_date", "create_date", "model"],
                           order="write_date desc, id desc", limit=50)
        cron = self.call("ir.cron", "read", [[self.cron_id]], fields=self.cron_fields)
        servers = self.call("ir.mail_server", "search_read", [[]], fields=SERVER_FIELDS)
        return states, oldest, failed, cron, servers


CLK_TCK = os.sysconf("SC_CLK_TCK")


def proc_ticks(pid):
    """utime+stime+cutime+cstime of one process (cutime/cstime: its reaped children), in clock ticks."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0
    return sum(int(x) for x in fields[11:15])


def postgres_ticks():
    """All PostgreSQL processes; the postmaster's cutime/cstime hold the backends that already exited
    (Odoo opens and closes one connection per XML-RPC request)."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/comm") as f:
                if f.read().strip() != "postgres":
                    continue
        except OSError:
            continue
        total += proc_ticks(pid)
    return total


def pid_listening_on(port):
    out = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True).stdout
    m = re.search(r"pid=(\d+)", out)
    if not m:
        raise SystemExit(f"no process found listening on port {port} (run as the same user as Odoo, or give --odoo-pid)")
    return int(m.group(1))


def main():
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", default=env("ODOO_URL", "http://127.0.0.1:8069"))
    p.add_argument("--db", default=env("ODOO_DB", "watchdog"))
    p.add_argument("--login", default=env("ODOO_LOGIN", "admin"))
    p.add_argument("--password", default=env("ODOO_PASSWORD", "admin"))
    p.add_argument("--probes", type=int, default=50)
    p.add_argument("--warmup", type=int, default=5)
    p.add_argument("--server-cpu", action="store_true",
                   help="also measure Odoo's and PostgreSQL's CPU per probe from /proc (same machine)")
    p.add_argument("--odoo-pid", type=int, help="the Odoo server's PID (default: found by the URL's port)")
    a = p.parse_args()
    odoo_pid = None
    if a.server_cpu or a.odoo_pid:
        url = urlsplit(a.url)
        odoo_pid = a.odoo_pid or pid_listening_on(url.port or (443 if url.scheme == "https" else 80))

    c = Client(a.url, a.db, a.login, a.password)
    c.setup()
    for _ in range(a.warmup):
        c.probe()
    c.requests = 0
    if odoo_pid:
        odoo0, pg0 = proc_ticks(odoo_pid), postgres_ticks()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(a.probes):
        c.probe()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    server = {}
    if odoo_pid:
        odoo, pg = proc_ticks(odoo_pid) - odoo0, postgres_ticks() - pg0
        per_probe = 1000 / CLK_TCK / a.probes
        server = {
            "odoo_pid": odoo_pid,
            "odoo_cpu_ms_per_probe": round(odoo * per_probe, 2),
            "postgres_cpu_ms_per_probe": round(pg * per_probe, 2),
            "server_cpu_ms_per_probe": round((odoo + pg) * per_probe, 2),
        }
    print(json.dumps({
        "mode": "five-facts",
        "client": "python-xmlrpc.client",
        "version": c.server_version,
        "probes": a.probes,
        "requests_per_probe": c.requests / a.probes,
        "wall_ms_per_probe": round(wall * 1000 / a.probes, 2),
        "cpu_ms_per_probe": round(cpu * 1000 / a.probes, 2),
        **server,
    }))


if __name__ == "__main__":
    main()
