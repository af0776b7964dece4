#!/usr/bin/env bash
# Installs the independent Open Badges validators, one virtual environment each (they share
# console-script and import names). Recipes and pins: see the Open Badges notes in the README.
set -euo pipefail
root="${1:-$(cd "$(dirname "$0")/../.." && pwd)/.venv-validators}"
python="${PYTHON:-python3}"
mkdir -p "$root"

if [ ! -x "$root/obcore/bin/python" ] || ! "$root/obcore/bin/python" -c "import openbadges, responses" 2>/dev/null; then
  "$python" -m venv "$root/obcore"
  "$root/obcore/bin/pip" install --quiet --disable-pip-version-check "openbadges==1.1.2" responses
  # The validator's own pins do not import on Python 3.11 (Python 2 pycryptodome, collections.Mapping);
  # python-jose must stay at 3.2.0 (later versions reject the pycryptodome key object).
  "$root/obcore/bin/pip" install --quiet --disable-pip-version-check -U pycryptodome pytz "python-jose==3.2.0" 2>&1 \
    | grep -v "incompatible" || true
fi
if [ ! -x "$root/bakery/bin/python" ] || ! "$root/bakery/bin/python" -c "import openbadges_bakery" 2>/dev/null; then
  "$python" -m venv "$root/bakery"
  "$root/bakery/bin/pip" install --quiet --disable-pip-version-check "openbadges-bakery==2.0.0"
fi
if [ ! -x "$root/ob3/bin/python" ] || ! "$root/ob3/bin/python" -c "import openbadgeslib, jsonschema, rfc3339_validator" 2>/dev/null; then
  "$python" -m venv "$root/ob3"
  "$root/ob3/bin/pip" install --quiet --disable-pip-version-check "openbadgeslib[ldp]==4.6.3" "jsonschema>=4" rfc3339-validator
fi
echo "validators ready in $root"
# Browser tests (issue 6): Selenium drives Debian's chromium through chromium-driver; axe-core
# (bundled by axe-core-python) checks WCAG 2.1 AA.
if [ ! -x "$root/browser/bin/python" ] || ! "$root/browser/bin/python" -c "import selenium, axe_core_python" 2>/dev/null; then
  "$python" -m venv "$root/browser"
  "$root/browser/bin/pip" install --quiet --disable-pip-version-check "selenium==4.45.0" "axe-core-python==0.1.0"
fi
echo "browser test tools ready in $root/browser"
# Sign-in servers for the ENT and EduConnect tests (issue 19): django-mama-cas as a CAS server and
# pysaml2 as a SAML identity provider (it signs and encrypts with Debian's xmlsec1).
if [ ! -x "$root/sso/bin/python" ] || ! "$root/sso/bin/python" -c "import mama_cas, saml2, django, requests" 2>/dev/null; then
  "$python" -m venv "$root/sso"
  "$root/sso/bin/pip" install --quiet --disable-pip-version-check "django==5.2.*" "django-mama-cas==2.5.0" "pysaml2==7.5.*" requests
fi
echo "sign-in servers ready in $root/sso"
# An independent reader of pictures' metadata for the productions' tests (issue 21): Pillow
# checks that a photo sent with its GPS position comes back without any EXIF.
if [ ! -x "$root/media/bin/python" ] || ! "$root/media/bin/python" -c "import PIL" 2>/dev/null; then
  "$python" -m venv "$root/media"
  "$root/media/bin/pip" install --quiet --disable-pip-version-check "pillow==11.*"
fi
echo "picture reader ready in $root/media"
