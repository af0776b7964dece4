#ifndef ACQUIS_MEDIA_H
#define ACQUIS_MEDIA_H

#include <stddef.h>

/* Non-variadic entry points into libvips and libmagic: Swift cannot call their variadic
   functions. Every function returns 0 on success; on failure, acquis_media_error() copies the
   library's message. */

/* Starts libvips once, with its untrusted loaders (ImageMagick, MATLAB, ...) blocked. */
int acquis_media_start(void);

/* The media type of a buffer read from its content (libmagic, "image/jpeg"); the caller frees
   the returned string with free(). NULL when libmagic cannot open its database. */
char *acquis_media_type(const void *buffer, size_t length);

/* Width and height read from the image's header, without decoding its pixels. */
int acquis_image_size(const void *buffer, size_t length, int *width, int *height);

/* An encoded image: bytes to free with acquis_image_free. */
typedef struct {
    void *data;
    size_t length;
    int width;
    int height;
} acquis_image;

/* Decodes an image, turns it upright (EXIF orientation), shrinks it to fit max_side (never
   enlarges), converts it to sRGB and encodes it anew without any metadata: JPEG at `quality`,
   or PNG when `png` is non-zero. */
int acquis_image_encode(const void *buffer, size_t length, int max_side, int png, int quality, acquis_image *out);

void acquis_image_free(acquis_image *image);

/* The last error message of libvips on this thread's call, copied into `message`, then cleared. */
void acquis_media_error(char *message, size_t capacity);

#endif
