"""Unbakes Acquis's baked OB 2.0 images with openbadges-bakery 2.0.0, the reference baker.

Usage: check_bakery.py JWS_FILE IMAGE...   (each image must give back exactly the JWS)
"""
import os, sys
from openbadges_bakery import unbake

token = open(sys.argv[1]).read().strip()
failures = 0
for path in sys.argv[2:]:
    with open(path, "rb") as f:
        found = unbake(f)
    if isinstance(found, bytes):
        found = found.decode()
    ok = found == token
    print(("ok  " if ok else "FAIL") + f" bakery unbake: {os.path.basename(path)}")
    failures += 0 if ok else 1
sys.exit(1 if failures else 0)
