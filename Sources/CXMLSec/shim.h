#ifndef ACQUIS_CXMLSEC_SHIM_H
#define ACQUIS_CXMLSEC_SHIM_H

// The same ICU clash as in CLibXML2: libxml2's ICU converters are never used.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

// The flags `pkg-config --cflags xmlsec1-openssl` gives on Debian 12, which SwiftPM does not
// pass on for a system library: they fix xmlsec's type sizes and its crypto back end.
#ifndef XMLSEC_CRYPTO_OPENSSL
#define XMLSEC_NO_SIZE_T 1
#define XMLSEC_OPENSSL3_ENGINES 1
#define XMLSEC_NO_GOST 1
#define XMLSEC_NO_GOST2012 1
#define XMLSEC_NO_CRYPTO_DYNAMIC_LOADING 1
#define XMLSEC_CRYPTO_OPENSSL 1
#endif
#define __XMLSEC_FUNCTION__ __func__

#include <string.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <xmlsec/xmlsec.h>
#include <xmlsec/xmltree.h>
#include <xmlsec/xmldsig.h>
#include <xmlsec/xmlenc.h>
#include <xmlsec/keys.h>
#include <xmlsec/keysmngr.h>
#include <xmlsec/transforms.h>
#include <xmlsec/errors.h>
#include <xmlsec/crypto.h>

// xmlsec names its crypto back end through macros (xmlSecCryptoAppInit, the transform ids of
// RSA and SHA-256, ...), which Swift cannot call: these few wrappers expand them. Everything
// else is done in Swift.

// Errors go nowhere: xmlsec would print them on stderr, with element names and values of the
// message being checked. The caller turns a failed call into its own refusal.
static void acquis_xmlsec_silent(const char *file, int line, const char *func, const char *errorObject,
                                 const char *errorSubject, int reason, const char *msg) {
    (void)file; (void)line; (void)func; (void)errorObject; (void)errorSubject; (void)reason; (void)msg;
}
static void acquis_xml_silent(void *context, const char *message, ...) { (void)context; (void)message; }

// Once per process, before any other call: libxml2, xmlsec and its OpenSSL back end. 0 when ready.
static inline int acquis_xmlsec_init(void) {
    xmlInitParser();
    xmlSetGenericErrorFunc(NULL, acquis_xml_silent);
    if (xmlSecInit() < 0) return -1;
    if (xmlSecCheckVersion() != 1) return -2;
    if (xmlSecCryptoAppInit(NULL) < 0) return -3;
    if (xmlSecCryptoInit() < 0) return -4;
    xmlSecErrorsSetCallback(acquis_xmlsec_silent);
    xmlSecErrorsDefaultCallbackEnableOutput(0);
    return 0;
}

// A public key from a PEM certificate (as an IdP's metadata gives it, armoured by the caller).
static inline xmlSecKeyPtr acquis_xmlsec_key_from_certificate(const unsigned char *pem, size_t length) {
    return xmlSecCryptoAppKeyLoadMemory(pem, (xmlSecSize)length, xmlSecKeyDataFormatCertPem, NULL, NULL, NULL);
}

// A private key from PEM (PKCS #8 or PKCS #1), to decrypt what the IdP encrypted for us.
static inline xmlSecKeyPtr acquis_xmlsec_key_from_private_pem(const unsigned char *pem, size_t length) {
    return xmlSecCryptoAppKeyLoadMemory(pem, (xmlSecSize)length, xmlSecKeyDataFormatPem, NULL, NULL, NULL);
}

// Registers the `ID` attributes of a subtree, so that `#id` references find their element.
// Duplicates must have been refused before: xmlsec 1.2.37 only logs them.
static inline void acquis_xmlsec_add_ids(xmlDocPtr doc, xmlNodePtr node) {
    static const xmlChar *ids[] = { BAD_CAST "ID", NULL };
    xmlSecAddIDs(doc, node, ids);
}

// Verifies one enveloped XML signature with the given key only (never one carried by the
// message: the context has no keys manager to look one up): same-document references, exclusive
// canonicalisation, SHA-256 digests, RSA-SHA256 signatures. Returns 1 when the signature is valid
// and has exactly one reference, whose URI equals `expectedURI`; 0 when invalid; < 0 on errors.
static inline int acquis_xmlsec_verify(xmlNodePtr signature, xmlSecKeyPtr key, const char *expectedURI) {
    xmlSecDSigCtxPtr ctx = xmlSecDSigCtxCreate(NULL);
    if (ctx == NULL) return -1;
    int result = -2;
    ctx->signKey = xmlSecKeyDuplicate(key);
    ctx->enabledReferenceUris = xmlSecTransformUriTypeSameDocument;
    if (ctx->signKey == NULL
        || xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformEnvelopedId) < 0
        || xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformExclC14NId) < 0
        || xmlSecDSigCtxEnableReferenceTransform(ctx, xmlSecTransformSha256Id) < 0
        || xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformExclC14NId) < 0
        || xmlSecDSigCtxEnableSignatureTransform(ctx, xmlSecTransformRsaSha256Id) < 0) {
        xmlSecDSigCtxDestroy(ctx);
        return -3;
    }
    if (xmlSecDSigCtxVerify(ctx, signature) < 0) {
        result = 0;
    } else if (ctx->status != xmlSecDSigStatusSucceeded || xmlSecPtrListGetSize(&ctx->signedInfoReferences) != 1) {
        result = 0;
    } else {
        xmlSecDSigReferenceCtxPtr reference = (xmlSecDSigReferenceCtxPtr)xmlSecPtrListGetItem(&ctx->signedInfoReferences, 0);
        result = (reference != NULL && reference->uri != NULL && strcmp((const char *)reference->uri, expectedURI) == 0) ? 1 : 0;
    }
    xmlSecDSigCtxDestroy(ctx);
    return result;
}

// Decrypts an `EncryptedData` element in place with our private key (its `EncryptedKey` wraps
// the content key for us). Returns 0 when the node was replaced by its clear content.
static inline int acquis_xmlsec_decrypt(xmlNodePtr encryptedData, xmlSecKeyPtr key) {
    xmlSecKeysMngrPtr manager = xmlSecKeysMngrCreate();
    if (manager == NULL) return -1;
    int result = -2;
    xmlSecKeyPtr copy = xmlSecKeyDuplicate(key);
    if (copy != NULL && xmlSecCryptoAppDefaultKeysMngrInit(manager) >= 0
        && xmlSecCryptoAppDefaultKeysMngrAdoptKey(manager, copy) >= 0) {
        copy = NULL;
        xmlSecEncCtxPtr ctx = xmlSecEncCtxCreate(manager);
        if (ctx != NULL) {
            if (xmlSecEncCtxDecrypt(ctx, encryptedData) >= 0 && ctx->result != NULL && ctx->resultReplaced) result = 0;
            xmlSecEncCtxDestroy(ctx);
        }
    }
    if (copy != NULL) xmlSecKeyDestroy(copy);
    xmlSecKeysMngrDestroy(manager);
    return result;
}

static inline void acquis_xmlFree(void *pointer) { xmlFree(pointer); }

#endif
