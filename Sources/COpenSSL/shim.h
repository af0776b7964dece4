#ifndef ACQUIS_COPENSSL_SHIM_H
#define ACQUIS_COPENSSL_SHIM_H

// The system's OpenSSL 3 (Debian: libssl-dev), for RSA signatures only: its big-number code
// signs RSA-2048 about twice as fast here as the BoringSSL copy inside swift-crypto.
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>

#endif
