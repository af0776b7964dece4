"""A real SAML 2.0 identity provider for the tests, on pysaml2 from PyPI, standing in for
EduConnect: HTTP-Redirect sign-on, a login form, HTTP-POST responses with signed (and by
default encrypted) assertions carrying EduConnect's attributes.

Usage: saml_idp.py PORT DATA_DIR USERS.json SP_METADATA_URL

USERS.json maps each login to {"password": ..., "attributes": {"urn:oid:...": [...]}}.
The SP's metadata is fetched when the first request arrives (the SP may start after us).

For refusal tests, the login form takes a `variante` field that changes one thing of the
response, each signed as usual unless said otherwise:
  clair         the assertion is not encrypted (so that a test can alter it)
  autre-cle     signed by a key that is not the one of our metadata
  audience      addressed to another service provider (assertion in clear)
  non-sollicite without InResponseTo, as if the IdP had started the sign-in
  sha1          signed with RSA-SHA1 and SHA-1 digests
"""
import datetime
import html
import json
import os
import secrets
import sys
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.metadata import entity_descriptor
from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server

port, data_dir, users_file, sp_metadata_url = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
with open(users_file, encoding="utf-8") as f:
    USERS = json.load(f)
HTTPD = None  # bound below, before anything needs our address (port 0: any free port)
BASE = ""


def key_pair(name):
    """A fresh RSA key and self-signed certificate, written as PEM files in DATA_DIR."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"IdP de test {name}")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(hours=1))
            .not_valid_after(now + datetime.timedelta(days=30)).sign(key, hashes.SHA256()))
    key_file, cert_file = os.path.join(data_dir, f"{name}.key"), os.path.join(data_dir, f"{name}.crt")
    with open(key_file, "wb") as f:
        f.write(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                  serialization.NoEncryption()))
    with open(cert_file, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def configuration(key_file, cert_file, metadata_file=None):
    config = {
        "entityid": BASE + "/idp.xml",
        "service": {"idp": {
            "name": "IdP de test (EduConnect)",
            "endpoints": {"single_sign_on_service": [(BASE + "/sso/redirect", BINDING_HTTP_REDIRECT)]},
            "policy": {"default": {"lifetime": {"minutes": 5}, "attribute_restrictions": None,
                                   "name_form": "urn:oasis:names:tc:SAML:2.0:attrname-format:uri"}},
            "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            "want_authn_requests_signed": True,
            "sign_assertion": True,
            "sign_response": False,
        }},
        "key_file": key_file,
        "cert_file": cert_file,
        "encryption_keypairs": [{"key_file": key_file, "cert_file": cert_file}],
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "metadata": {"local": [metadata_file]} if metadata_file else {},
    }
    conf = IdPConfig()
    conf.load(config)
    return conf


IDP_KEYS = key_pair("idp")
OTHER_KEYS = key_pair("autre")
SERVERS = {}
PENDING = {}


def servers():
    """The IdP (and its impostor with another key), made once the SP's metadata is readable."""
    if not SERVERS:
        metadata_file = os.path.join(data_dir, "sp.xml")
        with urllib.request.urlopen(sp_metadata_url, timeout=10) as response, open(metadata_file, "wb") as f:
            f.write(response.read())
        SERVERS["idp"] = Server(config=configuration(*IDP_KEYS, metadata_file))
        SERVERS["autre-cle"] = Server(config=configuration(*OTHER_KEYS, metadata_file))
    return SERVERS


def page(body, status=200, content_type="text/html; charset=utf-8"):
    return status, content_type, body.encode("utf-8")


def login_form(key, error=""):
    return page(f"""<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>EduConnect (test)</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>
<h1>EduConnect (serveur de test)</h1>{f'<p role="alert">{html.escape(error)}</p>' if error else ''}
<form method="post" action="/sso/login"><input type="hidden" name="cle" value="{key}">
<p><label for="u">Identifiant</label> <input id="u" name="utilisateur" autocomplete="username"></p>
<p><label for="p">Mot de passe</label> <input id="p" type="password" name="mot_de_passe"></p>
<p><label for="v">Variante (tests)</label> <input id="v" name="variante"></p>
<p><button type="submit">Se connecter</button></p></form></main></body></html>""")


def sign_on(query):
    idp = servers()["idp"]
    request = idp.parse_authn_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT,
                                      relay_state=query.get("RelayState"), sigalg=query.get("SigAlg"),
                                      signature=query.get("Signature"))
    key = secrets.token_urlsafe(16)
    PENDING[key] = (request.message, query.get("RelayState", ""))
    return login_form(key)


def respond(form):
    key = form.get("cle", "")
    if key not in PENDING:
        return page("<p>Demande inconnue.</p>", 400)
    user = USERS.get(form.get("utilisateur", ""))
    if user is None or user["password"] != form.get("mot_de_passe"):
        return login_form(key, "Identifiant ou mot de passe incorrect.")
    request, relay_state = PENDING.pop(key)
    variant = form.get("variante", "")
    server = servers()["autre-cle" if variant == "autre-cle" else "idp"]
    sp_entity_id = request.issuer.text
    audience = "http://127.0.0.1:1/un-autre-service" if variant == "audience" else sp_entity_id
    encrypt = variant not in ("clair", "audience")
    response = server.create_authn_response(
        identity=user["attributes"],
        in_response_to=None if variant == "non-sollicite" else request.id,
        destination=request.assertion_consumer_service_url,
        sp_entity_id=audience,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=secrets.token_hex(16)),
        sign_assertion=True,
        sign_response=False,
        sign_alg="http://www.w3.org/2000/09/xmldsig#rsa-sha1" if variant == "sha1"
        else "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        digest_alg="http://www.w3.org/2000/09/xmldsig#sha1" if variant == "sha1" else "http://www.w3.org/2001/04/xmlenc#sha256",
        encrypt_assertion=encrypt,
        encrypt_cert_assertion=server.metadata.certs(sp_entity_id, "spsso", "encryption")[0][1] if encrypt else None,
    )
    binding = server.apply_binding(BINDING_HTTP_POST, str(response), request.assertion_consumer_service_url,
                                   relay_state, response=True)
    return page(binding["data"])


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, content_type, body):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        query = {k: v[0] for k, v in urllib.parse.parse_qs(url.query).items()}
        try:
            if url.path == "/idp.xml":
                conf = configuration(*IDP_KEYS)
                self.send(200, "application/samlmetadata+xml", entity_descriptor(conf).to_string())
            elif url.path == "/sso/redirect":
                self.send(*sign_on(query))
            else:
                self.send(*page("<p>Introuvable.</p>", 404))
        except Exception as error:  # a refused request: say why, as a real IdP's error page would
            self.send(*page(f"<p>Demande refusée : {html.escape(type(error).__name__)}</p>", 400))

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        form = {k: v[0] for k, v in urllib.parse.parse_qs(self.rfile.read(length).decode()).items()}
        try:
            if self.path == "/sso/login":
                self.send(*respond(form))
            else:
                self.send(*page("<p>Introuvable.</p>", 404))
        except Exception as error:
            self.send(*page(f"<p>Réponse impossible : {html.escape(type(error).__name__)}: {html.escape(str(error))}</p>", 500))


if __name__ == "__main__":
    HTTPD = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    BASE = f"http://127.0.0.1:{HTTPD.server_port}"
    print(f"ready {HTTPD.server_port}", flush=True)
    HTTPD.serve_forever()
