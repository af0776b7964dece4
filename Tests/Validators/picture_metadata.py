"""Prints what Pillow reads of a picture: its format, size, EXIF tags (GPS included) and the
other metadata chunks it carries, as one JSON object. Used by the productions' tests to check,
independently of libvips, that a kept picture carries no metadata."""
import json
import sys

from PIL import Image

with Image.open(sys.argv[1]) as picture:
    exif = picture.getexif()
    print(json.dumps({
        "format": picture.format,
        "width": picture.width,
        "height": picture.height,
        "exif": len(exif),
        "gps": len(exif.get_ifd(0x8825)),
        "info": sorted(key for key in picture.info if key not in ("jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression")),
    }, sort_keys=True))
