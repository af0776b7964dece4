#ifndef ACQUIS_CLIBXML2_SHIM_H
#define ACQUIS_CLIBXML2_SHIM_H

// Debian builds libxml2 with ICU, whose headers clash with the copy of ICU inside
// Foundation. Acquis never touches libxml2's ICU converters, so leave them out.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlschemas.h>
#include <libxml/xmlerror.h>
#include <libxml/HTMLparser.h>
#include <libxml/tree.h>
#include <libxml/entities.h>
#include <libxml/hash.h>

// `xmlFree` is a global function pointer: Swift 6 sees it as shared mutable state.
static inline void acquis_xmlFree(void *pointer) {
    xmlFree(pointer);
}

// Whether a DTD node declares general or parameter entities. Acquis refuses such
// documents outright: none of its formats needs entities, and refusing them closes the
// door on expansion bombs and external entity tricks.
static inline int acquis_dtdDeclaresEntities(xmlDtdPtr dtd) {
    if (dtd == NULL) return 0;
    if (dtd->entities != NULL && xmlHashSize((xmlHashTablePtr)dtd->entities) > 0) return 1;
    if (dtd->pentities != NULL && xmlHashSize((xmlHashTablePtr)dtd->pentities) > 0) return 1;
    return 0;
}

// Whether the document being read declares entities in its internal or external subset.
static inline int acquis_documentDeclaresEntities(xmlDocPtr doc) {
    if (doc == NULL) return 0;
    return acquis_dtdDeclaresEntities(doc->intSubset) || acquis_dtdDeclaresEntities(doc->extSubset);
}

// An external entity loader that loads nothing. Acquis opens its input files itself
// (xmlReaderForFd), so the loader is only ever asked for what a document points to:
// external DTDs and entities, which must never be fetched from disk or network.
static xmlParserInputPtr acquis_loadNoExternalEntity(const char *url, const char *id, xmlParserCtxtPtr context) {
    (void)url; (void)id; (void)context;
    return NULL;
}

static inline void acquis_forbidExternalEntities(void) {
    xmlSetExternalEntityLoader(acquis_loadNoExternalEntity);
}

// Routes the errors of every parser running on this thread to `handler`. libxml2 keeps
// this setting per thread. The reader's own error hook is not used: in libxml2 2.9 it
// crashes when an error is raised while an entity is being checked.
static inline void acquis_routeErrors(void *context, xmlStructuredErrorFunc handler) {
    xmlSetStructuredErrorFunc(context, handler);
}

// Silences libxml2's default error printing to stderr for parsers without their own
// handler (the HTML fragment parser); errors there are not actionable by users.
static void acquis_ignoreGenericError(void *context, const char *message, ...) {
    (void)context; (void)message;
}

static inline void acquis_silenceGenericErrors(void) {
    xmlSetGenericErrorFunc(NULL, acquis_ignoreGenericError);
}

#endif
