"""Checks a CLR 2.0 learner record written by Acquis, offline: the VC-JWT signature against
the issuer's public key (PyJWT), the ClrCredential envelope, the learner's salted hash, and
every embedded OpenBadgeCredential against the 1EdTech OB 3.0 JSON schema.

Usage: check_clr.py OB3_SCHEMA PUBLIC_KEY_PEM IDENTITY TOKEN_FILE
"""
import hashlib, json, sys
import jwt
from jsonschema import Draft201909Validator

schema_path, key_path, identity, token_path = sys.argv[1:]
token = open(token_path).read().strip()
failures = 0

def report(ok, what):
    global failures
    print(("ok  " if ok else "FAIL") + " " + what)
    failures += 0 if ok else 1

def hashed(entry):
    return entry.get("hashed") and entry["identityHash"] == "sha256$" + hashlib.sha256((identity + entry["salt"]).encode()).hexdigest()

try:
    record = jwt.decode(token, open(key_path, "rb").read(), algorithms=["RS256", "ES256"], options={"verify_aud": False})
    report(True, "CLR VC-JWT signature")
except jwt.PyJWTError as error:
    report(False, f"CLR VC-JWT signature: {error}")
    record = jwt.decode(token, options={"verify_signature": False})

report(set(record["type"]) >= {"VerifiableCredential", "ClrCredential"}, f"ClrCredential type {record['type']}")
report(record["@context"][0] == "https://www.w3.org/ns/credentials/v2"
       and "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json" in record["@context"], "CLR contexts")
report(record["jti"] == record["id"] and record["iss"] == record["issuer"]["id"], "JWT claims repeat id and issuer")
subject = record["credentialSubject"]
report("ClrSubject" in subject["type"], "ClrSubject")
report(all(hashed(entry) for entry in subject["identifier"]), "learner named only by a salted hash of the identity")
members = subject["verifiableCredential"]
report(len(members) >= 1 and len(subject["achievement"]) == len(members), f"{len(members)} embedded badge(s)")
validator = Draft201909Validator(json.load(open(schema_path)), format_checker=Draft201909Validator.FORMAT_CHECKER)
for member in members:
    errors = [(list(e.path), e.message[:120]) for e in validator.iter_errors(member)]
    report(not errors, f"member {member['name']!r} against the OB 3.0 schema {errors[:2]}")
    report(all(hashed(entry) for entry in member["credentialSubject"]["identifier"]), f"member {member['name']!r} recipient hash")
sys.exit(1 if failures else 0)
