#!/usr/bin/env python3
"""Puts a non-empty mail queue in an Odoo for the benchmark, and takes it away again.

    python3 bench/queue_fixture.py seed    --url http://127.0.0.1:8069 --db watchdog [--outgoing 200 --exception 50]
    python3 bench/queue_fixture.py cleanup --url http://127.0.0.1:8069 --db watchdog

seed: deactivates the mail scheduler (mail.ir_cron_mail_scheduler_action) so that nothing is sent,
then creates the mails in one call: outgoing ones and exceptions (failure_reason "111\\nConnection
refused"), linked to admin's partner (model/res_id, so that they can be unlinked later) with
auto_delete False and a subject starting with the marker below.
cleanup: unlinks every mail.mail whose subject starts with the marker and activates the cron again.
Standard library only.
"""
import argparse
import os
import xmlrpc.client

MARKER = "[watchdog-bench]"
CRON_XMLID = ("mail", "ir_cron_mail_scheduler_action")


class Odoo:
    def __init__(self, url, db, login, password):
        self.url, self.db, self.password = url.rstrip("/"), db, password
        common = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise SystemExit(f"{url} {db}: authentication failed")

    def __call__(self, model, method, *args, **kwargs):
        proxy = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/object", allow_none=True)
        return proxy.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)

    def cron_id(self):
        rows = self("ir.model.data", "search_read", [("module", "=", CRON_XMLID[0]), ("name", "=", CRON_XMLID[1])],
                    fields=["res_id"], limit=1)
        return rows[0]["res_id"]


def seed(odoo, outgoing, exception):
    odoo("ir.cron", "write", [odoo.cron_id()], {"active": False})
    partner = odoo("res.users", "read", [odoo.uid], fields=["partner_id"])[0]["partner_id"][0]
    common = {"model": "res.partner", "res_id": partner, "auto_delete": False, "email_to": "bench@example.com",
              "body_html": "<p>watchdog benchmark</p>"}
    vals = [dict(common, subject=f"{MARKER} outgoing {i}", state="outgoing") for i in range(outgoing)]
    vals += [dict(common, subject=f"{MARKER} exception {i}", state="exception", failure_type="mail_smtp",
                  failure_reason="111\nConnection refused") for i in range(exception)]
    ids = odoo("mail.mail", "create", vals) if vals else []
    states = odoo("mail.mail", "search_count", [("subject", "=like", MARKER + "%")])
    print(f"{odoo.url} {odoo.db}: mail cron deactivated, {len(ids)} mails created ({states} bench mails in the queue)")


def cleanup(odoo):
    ids = odoo("mail.mail", "search", [("subject", "=like", MARKER + "%")])
    if ids:
        odoo("mail.mail", "unlink", ids)
    odoo("ir.cron", "write", [odoo.cron_id()], {"active": True})
    print(f"{odoo.url} {odoo.db}: {len(ids)} bench mails unlinked, mail cron active again")


def main():
    env = os.environ.get
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("action", choices=["seed", "cleanup"])
    p.add_argument("--url", default=env("ODOO_URL", "http://127.0.0.1:8069"))
    p.add_argument("--db", default=env("ODOO_DB", "watchdog"))
    p.add_argument("--login", default=env("ODOO_LOGIN", "admin"))
    p.add_argument("--password", default=env("ODOO_PASSWORD", "admin"))
    p.add_argument("--outgoing", type=int, default=200)
    p.add_argument("--exception", type=int, default=50)
    a = p.parse_args()
    odoo = Odoo(a.url, a.db, a.login, a.password)
    if a.action == "seed":
        seed(odoo, a.outgoing, a.exception)
    else:
        cleanup(odoo)


if __name__ == "__main__":
    main()
