#!/usr/bin/env python3
"""Probes a real Odoo for what a safe retry and a stale-mail purge meet on mail.mail and ir.attachment.

Every call goes over /xmlrpc/2/object. Each exchange is saved byte for byte as
<out>/<name>.request.xml and <out>/<name>.response.xml (the password replaced by __ODOO_PASSWORD__,
as in shared/odoo-fixtures), and a summary of what came back goes to <out>/observed-facts.json.
The rows it creates carry "sim5 probe" in their subject or name; it deletes or cancels them at the end.
The mails get a scheduled_date in 2099 so that the mail cron never sends them during the probe.

Usage: probe_retry_cleanup.py [--url http://127.0.0.1:8069] [--db watchdog] [--out DIR]
(login admin, password from ODOO_PASSWORD or "admin").
"""
import argparse
import base64
import hashlib
import json
import os
import pathlib
import urllib.request
import xmlrpc.client

FUTURE = "2099-01-01 00:00:00"
PLACEHOLDER = "__ODOO_PASSWORD__"


class Recorder:
    def __init__(self, url, db, login, password, out):
        self.url, self.db, self.password, self.out = url.rstrip("/"), db, password, out
        common = xmlrpc.client.ServerProxy(self.url + "/xmlrpc/2/common")
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise SystemExit("authentication failed")
        self.facts = {"server_version": common.version()["server_version"], "uid": self.uid}

    def call(self, name, model, method, args, kwargs=None):
        """execute_kw; returns the value, or the xmlrpc.client.Fault. Saves the exchange when name is set."""
        params = (self.db, self.uid, self.password, model, method, args, kwargs or {})
        body = xmlrpc.client.dumps(params, "execute_kw", allow_none=False).encode()
        request = urllib.request.Request(self.url + "/xmlrpc/2/object", data=body,
                                         headers={"Content-Type": "text/xml"})
        with urllib.request.urlopen(request, timeout=60) as reply:
            answer = reply.read()
        if name:
            shown = (self.db, self.uid, PLACEHOLDER) + params[3:]
            (self.out / f"{name}.request.xml").write_bytes(xmlrpc.client.dumps(shown, "execute_kw").encode())
            (self.out / f"{name}.response.xml").write_bytes(answer)
        try:
            (value,), _ = xmlrpc.client.loads(answer)
            return value
        except xmlrpc.client.Fault as fault:
            return fault


class ProbeRefused(Exception):
    def __init__(self, fault):
        super().__init__(str(fault))
        self.fault = fault


def remove_leftovers(odoo):
    """Deletes what this probe created, now or in an interrupted run: mails and messages that point at no
    document are first pointed at partner 3, since Odoo refuses to delete them otherwise."""
    results = []
    mails = odoo.call(None, "mail.mail", "search", [[("subject", "=like", "sim5 probe %")]])
    for mail_id in mails:
        odoo.call(None, "mail.mail", "write", [[mail_id], {"model": "res.partner", "res_id": 3,
                                                             "message_type": "email"}])
        results.append(fault_summary(odoo.call(None, "mail.mail", "unlink", [[mail_id]])))
    messages = odoo.call(None, "mail.message", "search", [[("subject", "=like", "sim5 probe %")]])
    if messages:
        odoo.call(None, "mail.message", "write", [messages, {"model": "res.partner", "res_id": 3,
                                                             "message_type": "email"}])
        odoo.call(None, "mail.message", "unlink", [messages])
    partners = odoo.call(None, "res.partner", "search", [[("name", "=like", "sim5 probe %")]])
    if partners:
        odoo.call(None, "res.partner", "unlink", [partners])
    attachments = odoo.call(None, "ir.attachment", "search", [[("name", "=like", "sim5 probe %")]])
    if attachments:
        odoo.call(None, "ir.attachment", "unlink", [attachments])
    return results


def fault_summary(value):
    if isinstance(value, xmlrpc.client.Fault):
        lines = [line for line in value.faultString.strip().split("\n") if line.strip()]
        return {"faultCode": value.faultCode, "faultString": value.faultString if value.faultCode != 1 else None,
                "lastLine": lines[-1] if lines else ""}
    return {"value": value}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", default="watchdog")
    parser.add_argument("--login", default="admin")
    parser.add_argument("--out", default=str(pathlib.Path(__file__).resolve().parents[2]
                                             / "src/test/resources/fixtures-retry"))
    opts = parser.parse_args()
    out = pathlib.Path(opts.out)
    out.mkdir(parents=True, exist_ok=True)
    odoo = Recorder(opts.url, opts.db, opts.login, os.environ.get("ODOO_PASSWORD", "admin"), out)
    facts = odoo.facts

    remove_leftovers(odoo)

    def mail(subject, record_as=None, **values):
        vals = {"subject": "sim5 probe " + subject, "email_from": "admin@example.com",
                "email_to": "sim5-probe@watchdog.test", "body_html": "<p>sim5 probe body</p>",
                "auto_delete": False, "scheduled_date": FUTURE, "state": "cancel"}
        vals.update(values)
        mail_id = odoo.call(record_as, "mail.mail", "create", [vals])
        if not isinstance(mail_id, int):
            raise ProbeRefused(mail_id)
        return mail_id

    def message_of(mail_id):
        return odoo.call(None, "mail.mail", "read", [[mail_id], ["mail_message_id"]])[0]["mail_message_id"][0]

    def existing(model, ids):
        return sorted(r["id"] for r in odoo.call(None, model, "search_read", [[("id", "in", ids)], ["id"]]))

    # 1. unlink of a mail linked to no document, alone and in a batch; with a document; notifications
    nodoc = mail("no document", record_as="create_mail_mail_no_document")
    facts["no_document_mail"] = {"id": nodoc, "mail_message_id": message_of(nodoc)}
    facts["unlink_no_document"] = fault_summary(odoo.call("unlink_mail_mail_no_document", "mail.mail", "unlink", [[nodoc]]))
    facts["no_document_mail"]["after_unlink"] = existing("mail.mail", [nodoc])

    with_doc = mail("partner 3", model="res.partner", res_id=3)
    nodoc2 = mail("no document 2")
    facts["batch"] = {"with_document": with_doc, "no_document": nodoc2,
                      "mail_message_ids": [message_of(with_doc), message_of(nodoc2)]}
    facts["batch"]["unlink"] = fault_summary(odoo.call("unlink_mail_mail_batch_with_no_document", "mail.mail", "unlink",
                                                       [[with_doc, nodoc2]]))
    facts["batch"]["after_unlink"] = existing("mail.mail", [with_doc, nodoc2])
    odoo.call("search_read_mail_mail_after_refused_batch", "mail.mail", "search_read",
              [[("id", "in", [with_doc, nodoc2])], ["state", "model", "res_id", "is_notification"]])
    facts["batch"]["unlink_reversed"] = fault_summary(odoo.call(None, "mail.mail", "unlink", [[nodoc2, with_doc]]))

    for count, record_as in ((3, "unlink_mail_mail_three_no_document"), (7, None)):
        several = [mail(f"no document {i + 1} of {count}") for i in range(count)]
        facts[f"unlink_{count}_no_document"] = {
            "mail_ids": several, "mail_message_ids": [message_of(m) for m in several],
            # newest first, as a purge reading mail.mail's default order would pass them
            **fault_summary(odoo.call(record_as, "mail.mail", "unlink", [several[::-1]])),
            "after_unlink": existing("mail.mail", several)}

    facts["unlink_with_document"] = fault_summary(odoo.call("unlink_mail_mail_with_document", "mail.mail", "unlink",
                                                            [[with_doc]]))
    facts["unlink_with_document"]["message_after"] = existing("mail.message", [facts["batch"]["mail_message_ids"][0]])

    cases = {
        "model_without_res_id": {"model": "res.partner", "res_id": 0},
        "res_id_of_a_missing_partner": {"model": "res.partner", "res_id": 999999},
        "user_notification_with_document": {"model": "res.partner", "res_id": 3, "message_type": "user_notification"},
        "notification_without_document": {"is_notification": True},
    }
    for case, values in cases.items():
        try:
            mail_id = mail(case.replace("_", " "), **values)
        except ProbeRefused as refused:
            facts["create_" + case] = fault_summary(refused.fault)
            continue
        message_id = message_of(mail_id)
        result = fault_summary(odoo.call(None, "mail.mail", "unlink", [[mail_id]]))
        result["mail_after"] = existing("mail.mail", [mail_id])
        result["message_after"] = existing("mail.message", [message_id])
        facts["unlink_" + case] = result
    # a mail whose document is deleted afterwards (stale mail of a removed partner)
    partner = odoo.call(None, "res.partner", "create", [{"name": "sim5 probe partner"}])
    orphaned = mail("partner deleted later", model="res.partner", res_id=partner)
    orphaned_message = message_of(orphaned)
    odoo.call(None, "res.partner", "unlink", [[partner]])
    facts["document_deleted_later"] = {"mail_after_partner_unlink": existing("mail.mail", [orphaned]),
                                       "message_after_partner_unlink": existing("mail.message", [orphaned_message])}
    # user_notification set after creation (creating one with a document fails, see above)
    notified = mail("user notification", model="res.partner", res_id=3)
    notified_message = message_of(notified)
    odoo.call(None, "mail.mail", "write", [[notified], {"message_type": "user_notification"}])
    facts["unlink_user_notification_with_document"] = fault_summary(odoo.call(None, "mail.mail", "unlink", [[notified]]))
    facts["unlink_user_notification_with_document"]["message"] = notified_message

    facts["unlink_deleted_mail"] = fault_summary(odoo.call("unlink_mail_mail_deleted", "mail.mail", "unlink", [[with_doc]]))
    facts["unlink_empty"] = fault_summary(odoo.call(None, "mail.mail", "unlink", [[]]))

    # 2. cancel and mark_outgoing: return values, unconditional writes, deleted ids
    sent = mail("sent", model="res.partner", res_id=3, state="sent")
    facts["sent_mail"] = {"id": sent, "mail_message_id": message_of(sent)}
    facts["mark_outgoing_sent"] = fault_summary(odoo.call("mark_outgoing_mail_mail_sent", "mail.mail", "mark_outgoing",
                                                          [[sent]]))
    facts["mark_outgoing_sent"]["state_after"] = odoo.call(None, "mail.mail", "read", [[sent], ["state"]])[0]["state"]
    facts["cancel_outgoing"] = fault_summary(odoo.call("cancel_mail_mail", "mail.mail", "cancel", [[sent]]))
    facts["cancel_outgoing"]["state_after"] = odoo.call(None, "mail.mail", "read", [[sent], ["state"]])[0]["state"]
    facts["cancel_with_deleted_id"] = fault_summary(odoo.call("cancel_mail_mail_with_deleted_id", "mail.mail", "cancel",
                                                              [[sent, with_doc]]))
    facts["mark_outgoing_deleted_id"] = fault_summary(odoo.call("mark_outgoing_mail_mail_deleted", "mail.mail",
                                                                "mark_outgoing", [[with_doc]]))
    facts["search_read_in_with_deleted_id"] = odoo.call("search_read_mail_mail_in_with_deleted_id", "mail.mail",
                                                        "search_read", [[("id", "in", [sent, with_doc])], ["state"]])

    facts["read_no_document_mail"] = odoo.call("read_mail_mail_no_document", "mail.mail", "read", [
        [nodoc], ["mail_message_id", "record_name", "message_type", "author_id", "reply_to", "mail_ids", "body"]])

    # 3. read without a field list
    everything = odoo.call("read_mail_mail_all_fields", "mail.mail", "read", [[sent]])
    facts["read_all_fields_keys"] = sorted(everything[0])
    empty_list = odoo.call("read_mail_mail_empty_field_list", "mail.mail", "read", [[sent], []])
    facts["read_empty_field_list_same_keys"] = sorted(empty_list[0]) == sorted(everything[0])
    search_all = odoo.call(None, "mail.mail", "search_read", [[("id", "=", sent)]])
    facts["search_read_all_fields_same_keys"] = sorted(search_all[0]) == sorted(everything[0])
    fields_get = odoo.call(None, "mail.mail", "fields_get", [], {"attributes": ["type"]})
    facts["fields_get_not_read"] = sorted(set(fields_get) - set(everything[0]))

    # 4. attachments: created through the mail, linked, and what unlink does to them
    data = b"sim5 probe attachment\n"
    with_new = mail("attachment created inline", record_as="create_mail_mail_with_attachment", model="res.partner",
                    res_id=3, attachment_ids=[(0, 0, {"name": "sim5 probe inline.txt",
                                                      "datas": base64.b64encode(data).decode(),
                                                      "mimetype": "text/plain"})])
    inline = odoo.call("read_mail_mail_attachment_ids", "mail.mail", "read", [[with_new], ["attachment_ids"]])[0][
        "attachment_ids"]
    read_fields = ["name", "mimetype", "file_size", "checksum", "datas", "res_model", "res_id", "create_date"]
    facts["inline_attachment"] = odoo.call("read_ir_attachment_inline", "ir.attachment", "read", [inline, read_fields])
    facts["inline_attachment_sha1_of_data"] = hashlib.sha1(data).hexdigest()

    standalone = {}
    for owner, values in {"none": {}, "mail_message_0": {"res_model": "mail.message", "res_id": 0},
                          "res_partner_3": {"res_model": "res.partner", "res_id": 3}}.items():
        att = odoo.call(None, "ir.attachment", "create", [dict(name=f"sim5 probe {owner}.txt",
                                                               datas=base64.b64encode(data).decode(),
                                                               mimetype="text/plain", **values)])
        standalone[owner] = att
    with_linked = mail("attachments linked", model="res.partner", res_id=3,
                       attachment_ids=[(6, 0, list(standalone.values()))])
    linked_message = message_of(with_linked)
    facts["attachment_mails"] = {"inline": {"id": with_new, "mail_message_id": message_of(with_new)},
                                 "linked": {"id": with_linked, "mail_message_id": linked_message}}
    own = odoo.call(None, "ir.attachment", "create", [dict(name="sim5 probe own message.txt",
                                                           datas=base64.b64encode(data).decode(),
                                                           mimetype="text/plain", res_model="mail.message",
                                                           res_id=linked_message)])
    standalone["mail_message_own"] = own
    odoo.call(None, "mail.mail", "write", [[with_linked], {"attachment_ids": [(4, own)]}])
    facts["linked_attachments"] = {
        owner: odoo.call(None, "ir.attachment", "read", [[att], ["res_model", "res_id"]])[0]
        for owner, att in standalone.items()}

    facts["link_missing_attachment"] = fault_summary(odoo.call("write_mail_mail_missing_attachment", "mail.mail", "write",
                                                               [[with_new], {"attachment_ids": [(6, 0, [999999])]}]))
    facts["create_attachment_bad_base64"] = fault_summary(odoo.call("create_ir_attachment_bad_base64", "ir.attachment",
                                                                    "create", [{"name": "sim5 probe bad", "datas": "abc"}]))
    guessed = odoo.call(None, "ir.attachment", "create", [{"name": "sim5 probe no extension",
                                                           "datas": base64.b64encode(data).decode()}])
    facts["attachment_without_mimetype"] = odoo.call(None, "ir.attachment", "read", [[guessed], ["mimetype", "type"]])
    odoo.call("fields_get_ir_attachment", "ir.attachment", "fields_get", [],
              {"attributes": ["string", "type", "selection", "relation", "required", "readonly", "store"]})

    facts["unlink_with_attachments"] = fault_summary(odoo.call("unlink_mail_mail_with_attachment", "mail.mail", "unlink",
                                                               [[with_new, with_linked]]))
    odoo.call("search_ir_attachment_after_unlink", "ir.attachment", "search", [[("id", "in", inline)]])
    facts["attachments_left_after_unlink"] = {
        "inline": existing("ir.attachment", inline),
        **{owner: existing("ir.attachment", [att]) for owner, att in standalone.items()}}

    # 5. clean up: a mail without document can be deleted once it points at one
    facts["cleanup_unlink_after_pointing_at_partner_3"] = remove_leftovers(odoo)

    (out / "observed-facts.json").write_text(json.dumps(facts, indent=2, sort_keys=False) + "\n")
    print(json.dumps(facts, indent=2))


if __name__ == "__main__":
    main()
