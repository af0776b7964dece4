"""Checks Open Badges 2.0 output of Acquis with 1EdTech's validator (openbadges 1.1.2), offline.

Usage: check_ob2.py EXPORT_DIR BASE_URL EMAIL EXPECTATION FILE...
  EXPORT_DIR   folder written by `acquis issuer export` (the hosted documents)
  BASE_URL     the public base URL those documents are served under
  EXPECTATION  valid | revoked | wrong-recipient
  FILE         a JWS file or a baked PNG / SVG

Every hosted document is served from EXPORT_DIR through `responses`, as the validator's own
tests do; the OB 2.0 JSON-LD context comes from the validator package.
"""
import json, os, sys
import responses
from openbadges import verify
from openbadges.verifier.openbadges_context import OPENBADGES_CONTEXT_V2_URI, OPENBADGES_CONTEXT_V2_DICT

export_dir, base, email, expectation, *files = sys.argv[1:]

@responses.activate
def check(badge_input, email):
    responses.add(responses.GET, OPENBADGES_CONTEXT_V2_URI, body=json.dumps(OPENBADGES_CONTEXT_V2_DICT),
                  status=200, content_type="application/ld+json")
    for folder, _, names in os.walk(export_dir):
        for name in names:
            path = os.path.join(folder, name)
            url = base.rstrip("/") + "/" + os.path.relpath(path, export_dir)
            with open(path, "rb") as f:
                body = f.read()
            kind = {"png": "image/png", "svg": "image/svg+xml"}.get(name.rsplit(".", 1)[-1], "application/ld+json")
            responses.add(responses.GET, url, body=body, status=200, content_type=kind)
    return verify(badge_input, recipient_profile={"email": email}, use_cache=False)

failures = 0
for path in files:
    if path.endswith(".jws"):
        result = check(open(path).read().strip(), email)
    else:
        with open(path, "rb") as f:
            result = check(f, email)
    report = result["report"]
    messages = [m.get("result", "") for m in report["messages"] if m.get("messageLevel") == "ERROR"]
    if expectation == "valid":
        ok = report["valid"] and report["errorCount"] == 0
    elif expectation == "revoked":
        ok = not report["valid"] and any("revoked" in m for m in messages)
    else:
        ok = not report["valid"] and any("did not match" in m for m in messages)
    print(("ok  " if ok else "FAIL") + f" openbadges {expectation}: {os.path.basename(path)} valid={report['valid']} "
          f"errors={report['errorCount']} warnings={report['warningCount']} {messages[:3]}")
    failures += 0 if ok else 1
sys.exit(1 if failures else 0)
