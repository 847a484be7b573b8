import re
from collections import defaultdict
from django.test import Client
from tests.security import world as w
from tests.security.test_methods import POST_ONLY

ROLES = ("hr", "manager", "report", "report_report", "other", "alumnus")


def test_explore(cast, client):
    world = w.build(cast, client)
    clients = {}
    for role in ROLES:
        clients[role] = Client(); clients[role].force_login(getattr(cast, role).user)
    seen = defaultdict(set)
    raw = []
    for label, path, _ in w.urls(world):
        if label in POST_ONLY or label.startswith("admin") or label in ("alumni:me_delete",):
            continue
        for role in ROLES:
            r = clients[role].get(path)
            if r.status_code != 200 or "html" not in r.get("Content-Type", ""):
                continue
            html = r.content.decode()
            if "<script>alert(" in html or "<img src=x" in html:
                raw.append((label, role))
            for tag in set(re.findall(r"&lt;script&gt;alert\(&quot;([^&]+)&quot;\)", html)):
                seen[tag].add(f"{label}@{role}")
    print("RAW", raw)
    for tag in sorted(seen):
        pages = defaultdict(list)
        for p in sorted(seen[tag]):
            l, r = p.split("@"); pages[l].append(r)
        print(tag, "::", " ".join(f"{l}[{','.join(rs)}]" for l, rs in pages.items()))
