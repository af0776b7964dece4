"""Checks Open Badges 3.0 output of Acquis, offline: the 1EdTech JSON schema (jsonschema +
rfc3339-validator) and the signature, baking and recipient through openbadgeslib 4.6.3.

Usage: check_ob3.py SCHEMA PUBLIC_KEY_PEM EMAIL TOKEN_FILE IMAGE...
"""
import base64, hashlib, json, os, sys
from jsonschema import Draft201909Validator
from openbadgeslib import verify_badge
from openbadgeslib.ob3 import OB3Verifier

schema_path, key_path, email, token_path, *images = sys.argv[1:]
pub = open(key_path, "rb").read()
token = open(token_path).read().strip()
failures = 0

def report(ok, what):
    global failures
    print(("ok  " if ok else "FAIL") + " " + what)
    failures += 0 if ok else 1

payload = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
credential = {k: v for k, v in payload.items() if k not in ("iss", "jti", "nbf", "exp", "sub")}
validator = Draft201909Validator(json.load(open(schema_path)), format_checker=Draft201909Validator.FORMAT_CHECKER)
errors = [(list(e.path), e.message[:120]) for e in validator.iter_errors(credential)]
report(not errors, f"OB 3.0 schema: {errors[:3]}")

header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
credential = OB3Verifier(pub).verify(token)
identifier = credential.identifiers[0]
expected = "sha256$" + hashlib.sha256((email + identifier.salt).encode()).hexdigest()
report(identifier.identity_hash == expected, f"openbadgeslib VC-JWT {header['alg']}: signature and recipient hash")
report(bool(credential.results) and all(r.achieved_level for r in credential.results),
       f"openbadgeslib result: achieved levels {[r.achieved_level for r in credential.results]}")

for path in images:
    result = verify_badge(open(path, "rb").read(), "3", pubkey_pem=pub)
    report(result.valid and result.trusted, f"openbadgeslib baked {os.path.basename(path)}: valid={result.valid} "
                                            f"trusted={result.trusted} {result.reason or ''}")
sys.exit(1 if failures else 0)
