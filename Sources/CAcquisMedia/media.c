#include "acquis_media.h"

#include <magic.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <vips/vips.h>

static pthread_once_t started = PTHREAD_ONCE_INIT;
static int start_status = -1;

/* Decoders warn about every oddity of a malformed file on stderr; the refusal says enough. */
static void quiet(const gchar *domain, GLogLevelFlags level, const gchar *message, gpointer data) {
    (void)domain; (void)level; (void)message; (void)data;
}

static void start(void) {
    if (VIPS_INIT("acquis") != 0) return;
    g_log_set_handler("VIPS", G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE, quiet, NULL);
    /* Only the loaders of the formats Acquis accepts may ever run on a student's file. */
    vips_block_untrusted_set(TRUE);
    /* Nothing is kept between files: a production is decoded once. */
    vips_cache_set_max(0);
    start_status = 0;
}

int acquis_media_start(void) {
    pthread_once(&started, start);
    return start_status;
}

char *acquis_media_type(const void *buffer, size_t length) {
    /* One cookie per call: a libmagic cookie is not shared between threads. */
    magic_t cookie = magic_open(MAGIC_MIME_TYPE | MAGIC_NO_CHECK_COMPRESS | MAGIC_NO_CHECK_ELF);
    if (cookie == NULL) return NULL;
    char *type = NULL;
    if (magic_load(cookie, NULL) == 0) {
        const char *found = magic_buffer(cookie, buffer, length);
        if (found != NULL) type = strdup(found);
    }
    magic_close(cookie);
    return type;
}

int acquis_image_size(const void *buffer, size_t length, int *width, int *height) {
    if (acquis_media_start() != 0) return -1;
    VipsImage *image = vips_image_new_from_buffer(buffer, length, "", "access", VIPS_ACCESS_SEQUENTIAL, NULL);
    if (image == NULL) return -1;
    *width = vips_image_get_width(image);
    *height = vips_image_get_height(image);
    g_object_unref(image);
    return 0;
}

int acquis_image_encode(const void *buffer, size_t length, int max_side, int png, int quality, acquis_image *out) {
    if (acquis_media_start() != 0) return -1;
    VipsImage *image = NULL;
    /* thumbnail_buffer shrinks while decoding, applies the EXIF orientation and exports sRGB. */
    if (vips_thumbnail_buffer((void *)buffer, length, &image, max_side, "height", max_side,
                              "size", VIPS_SIZE_DOWN, "fail_on", VIPS_FAIL_ON_ERROR, NULL) != 0) return -1;
    int status;
    if (png) {
        status = vips_pngsave_buffer(image, &out->data, &out->length, "strip", TRUE, "compression", 6, NULL);
    } else {
        VipsImage *flat = NULL;
        /* JPEG has no transparency: transparent parts become white, as on paper. */
        if (vips_image_hasalpha(image)) {
            double white[3] = {255, 255, 255};
            VipsArrayDouble *background = vips_array_double_new(white, 3);
            status = vips_flatten(image, &flat, "background", background, NULL);
            vips_area_unref(VIPS_AREA(background));
            if (status != 0) { g_object_unref(image); return -1; }
            g_object_unref(image);
            image = flat;
        }
        status = vips_jpegsave_buffer(image, &out->data, &out->length, "Q", quality, "strip", TRUE,
                                      "optimize_coding", TRUE, NULL);
    }
    out->width = vips_image_get_width(image);
    out->height = vips_image_get_height(image);
    g_object_unref(image);
    return status;
}

void acquis_image_free(acquis_image *image) {
    if (image->data != NULL) g_free(image->data);
    image->data = NULL;
    image->length = 0;
}

void acquis_media_error(char *message, size_t capacity) {
    const char *text = vips_error_buffer();
    if (capacity > 0) {
        strncpy(message, text != NULL ? text : "", capacity - 1);
        message[capacity - 1] = 0;
    }
    vips_error_clear();
}
