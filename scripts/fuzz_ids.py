#!/usr/bin/env python3
"""Signs in to a running `kindred demo` and writes a schemathesis config
whose path parameters are real ids of the demo association, so that the
fuzzer's requests get past 404s.

    fuzz_ids.py BASE_URL ROLE OUT.toml     (ROLE: member, moderator or admin)

Prints the bearer token of the signed-in account on standard output.
Standard library only: it runs before and beside the fuzzer's venv.
"""

import json
import sys
import urllib.error
import urllib.request

PASSWORD = "kindred-demo-2026"
ACCOUNTS = {
    "member": "mira@demo.kindred.invalid",
    "moderator": "moderator@demo.kindred.invalid",
    "admin": "admin@demo.kindred.invalid",
}


def call(base, method, path, token=None, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        raw = error.read()
    try:
        return json.loads(raw) if raw else {}
    except ValueError:
        return {}


def values(doc, key):
    """Every value of `key` anywhere in a JSON document, in order."""
    found = []
    if isinstance(doc, dict):
        for k, v in doc.items():
            if k == key and isinstance(v, str):
                found.append(v)
            found.extend(values(v, key))
    elif isinstance(doc, list):
        for item in doc:
            found.extend(values(item, key))
    return found


def first(items, fallback="unknown"):
    return items[0] if items else fallback


def login(base, role):
    answer = call(base, "POST", "/auth/login", body={"email": ACCOUNTS[role], "password": PASSWORD})
    if "token" not in answer:
        sys.exit(f"fuzz_ids: cannot sign in as {role}: {answer}")
    return answer["token"], answer.get("member_id", "")


def main():
    base, role, out = sys.argv[1], sys.argv[2], sys.argv[3]
    token, me = login(base, role)
    # A second session of the same account: the one DELETE /me/sessions/{id} may end.
    spare, _ = login(base, role)
    sessions = call(base, "GET", "/me/sessions", token)
    spare_session = first([s.get("id") for s in sessions.get("sessions", []) if not s.get("current")])

    groups = values(call(base, "GET", "/groups", token), "group_id")
    categories = values(call(base, "GET", "/forum/categories", token), "category_id")
    topics = []
    for category in categories[:3]:
        topics += values(call(base, "GET", f"/forum/categories/{category}/topics", token), "topic_id")
    posts = []
    for topic in topics[:3]:
        posts += values(call(base, "GET", f"/forum/topics/{topic}", token), "post_id")
    members = [m for m in values(call(base, "GET", "/members", token), "member_id") if m != me]
    contacts = values(call(base, "GET", "/contacts", token), "member_id")
    requests = values(call(base, "GET", "/contacts/requests", token), "request_id")
    reports = values(call(base, "GET", "/moderation/reports", token), "report_id")
    notifications = values(call(base, "GET", "/notifications", token), "notification_id") or values(
        call(base, "GET", "/notifications", token), "id"
    )

    group, topic, post = first(groups), first(topics), first(posts)
    # The last members of the first page: not the sample accounts the
    # other roles sign in with.
    member = members[-1] if members else "unknown"
    other = members[-2] if len(members) > 1 else member
    overrides = [
        (r"^/groups/\{id\}/requests/", {"path.id": group, "path.member_id": other}),
        (r"^/groups/\{id\}", {"path.id": group}),
        (r"^/forum/categories/\{id\}", {"path.id": first(categories)}),
        (r"^/forum/topics/\{id\}", {"path.id": topic}),
        (r"^/forum/posts/\{id\}", {"path.id": post}),
        (r"^/members/\{id\}", {"path.id": member}),
        (r"^/contacts/\{member_id\}", {"path.member_id": first(contacts, member)}),
        (r"^/blocks/\{member_id\}", {"path.member_id": other}),
        (r"^/contacts/requests/\{id\}", {"path.id": first(requests)}),
        (r"^/admin/members/\{id\}", {"path.id": other}),
        (r"^/moderation/reports/\{id\}", {"path.id": first(reports)}),
        (r"^/notifications/\{id\}", {"path.id": first(notifications)}),
        (r"^/me/sessions/\{id\}", {"path.id": spare_session}),
    ]
    with open(out, "w", encoding="utf-8") as f:
        f.write(f"# Written by scripts/fuzz_ids.py for the {role} of the demo association.\n")
        for regex, parameters in overrides:
            f.write("\n[[operations]]\n")
            f.write(f"include-path-regex = {json.dumps(regex)}\n")
            f.write("parameters = { " + ", ".join(f"{json.dumps(k)} = {json.dumps(v)}" for k, v in parameters.items()) + " }\n")
    del spare
    print(token)


if __name__ == "__main__":
    main()
