"""Responsive renditions of uploaded images.

Every lead image and library image is made, once, into several widths, each
in AVIF, WebP and JPEG. They are made when the image is saved and never while
a page renders: a page only computes their addresses (from the stored name of
the original, the width and the format), which costs neither a query nor a
call to storage, so pages stay as cheap with images as without.

The flip side is that nothing checks, at render time, that a rendition
exists. Images saved before renditions existed, or media restored without
its renditions folder, show as broken until `manage.py generate_renditions`
has made them (or until their article or library entry is saved again).

Renditions carry no metadata but the colour profile: no EXIF or XMP, so no
camera serial number or GPS position of whoever took the picture.
"""

import hashlib
import posixpath
from functools import cached_property
from typing import NamedTuple

import PIL.Image
from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_init, post_save
from imagekit.cachefiles import ImageCacheFile
from imagekit.cachefiles.backends import CacheFileState, Simple
from imagekit.specs import ImageSpec
from PIL import ImageOps
from pilkit.processors import ResizeToFit
from pilkit.utils import img_to_fobj

from .models import Article, Image

# Rendition widths in pixels. An image is never enlarged: a narrower one gets
# the standard widths below its own, then its own width.
WIDTHS = (480, 800, 1200, 1600)


class Format(NamedTuple):
    pillow_name: str
    mime_type: str
    extension: str
    options: dict


# Best first: a browser takes the first <source> it can decode; the JPEG is
# the <img> itself, for every other browser. The settings trade a little
# size for speed: renditions are made while the editor waits.
FORMATS = (
    Format("AVIF", "image/avif", "avif", {"quality": 60, "speed": 8}),
    Format("WEBP", "image/webp", "webp", {"quality": 80, "method": 4}),
    Format("JPEG", "image/jpeg", "jpg", {"quality": 82, "optimize": True, "progressive": True}),
)
FALLBACK = FORMATS[-1]

# Part of every rendition's name. Raise it when WIDTHS or FORMATS change, then
# run `manage.py generate_renditions`: pages then ask for the new files, and no
# browser or proxy keeps showing old ones under the same address.
REVISION = 1

# The images that get renditions: model → its ImageField.
SOURCE_FIELDS = {Article: "lead_image", Image: "file"}


class StorageBackend(Simple):
    """Whether a rendition exists is for storage alone to say.

    imagekit's stock backend remembers that in the shared cache, which a wiped
    media folder or an outage of the cache would make wrong or unreachable;
    renditions are only looked for when an image is saved, so the storage's
    own answer is cheap enough and always true.
    """

    def get_state(self, file, check_if_unknown=True):
        return CacheFileState.EXISTS if self._exists(file) else CacheFileState.DOES_NOT_EXIST

    def set_state(self, file, state):
        pass


class Original:
    """The source image, decoded and turned upright once for all its renditions."""

    def __init__(self, file):
        self.file = file
        self._resized = {}

    @cached_property
    def image(self):
        self.file.open("rb")
        try:
            with PIL.Image.open(self.file) as image:
                # Cameras store pictures sideways with an EXIF note; renditions
                # keep no EXIF, so they are turned upright here.
                upright = ImageOps.exif_transpose(image)
                upright.load()
                return upright
        finally:
            self.file.close()

    @cached_property
    def icc_profile(self):
        # A CMYK or greyscale profile would be wrong for the RGB renditions.
        if self.image.mode not in ("RGB", "RGBA"):
            return None
        return self.image.info.get("icc_profile")

    def resized(self, width):
        """The image at `width` (never enlarged), without metadata; each width
        is computed once for all formats."""
        if width not in self._resized:
            image = ResizeToFit(width=width, upscale=False).process(self.image)
            if image is self.image:
                image = image.copy()
            image.info = {}
            self._resized[width] = image
        return self._resized[width]


class Rendition(ImageSpec):
    """One width in one format, as an imagekit spec.

    Optimistic: the file is made when the source is saved and assumed to
    exist afterwards, so asking for its address never generates it.
    """

    cachefile_strategy = "imagekit.cachefiles.strategies.Optimistic"
    cachefile_backend = StorageBackend()

    def __init__(self, source, width, image_format, original=None):
        self.width = width
        self.image_format = image_format
        self.format = image_format.pillow_name
        self.options = image_format.options
        self.original = original or Original(source)
        super().__init__(source=source)

    @property
    def cachefile_name(self):
        return rendition_name(self.source.name, self.width, self.image_format)

    def generate(self):
        options = dict(self.options)
        # The colour profile is the only metadata kept: see the module's docstring.
        if self.original.icc_profile:
            options["icc_profile"] = self.original.icc_profile
        return img_to_fobj(self.original.resized(self.width), self.format, **options)


def rendition_name(source_name, width, image_format):
    """A stable name that says nothing about the picture or its original."""
    key = f"{REVISION}:{source_name}:{width}:{image_format.pillow_name}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return posixpath.join(
        settings.IMAGEKIT_CACHEFILE_DIR, digest[:2], f"{digest}.{image_format.extension}"
    )


def rendition_widths(original_width):
    """The widths made of an image `original_width` pixels wide, narrowest first."""
    largest = min(original_width, WIDTHS[-1])
    return (*(width for width in WIDTHS if width < largest), largest)


def dimensions(file):
    """The original's (width, height) from its model's own columns, or None.

    Reading the columns rather than the file keeps storage out of page renders.
    They hold the size as stored, as Django measures it: for a picture stored
    sideways (see Original) the markup's aspect ratio is off until it loads.
    """
    field = file.field
    instance = file.instance
    width = getattr(instance, field.width_field, None) if field.width_field else None
    height = getattr(instance, field.height_field, None) if field.height_field else None
    return (width, height) if width and height else None


def record_dimensions(file):
    """Fill in the model's width and height columns from the file itself.

    Django leaves them empty when a file is saved from content without a name
    (a ContentFile, as in scripts and imports), and then reads the file again
    every time the row is loaded, page renders included.
    """
    field, instance = file.field, file.instance
    size = {field.width_field: file.width, field.height_field: file.height}
    for column, value in size.items():
        setattr(instance, column, value)
    if instance.pk is not None:
        type(instance)._base_manager.filter(pk=instance.pk).update(**size)


def rendition_files(file, image_format, original=None):
    """The renditions of `file` in one format, as (width, imagekit cache file)."""
    size = dimensions(file)
    if not file or size is None:
        return []
    original = original or Original(file)
    return [
        (width, ImageCacheFile(Rendition(file, width, image_format, original)))
        for width in rendition_widths(size[0])
    ]


def generate_renditions(file, force=False):
    """Make the renditions of `file` that storage lacks (every one with `force`).

    Returns how many files were written. The original is decoded at most once,
    and only if something is missing.
    """
    original = Original(file)
    made = 0
    for image_format in FORMATS:
        for _, rendition in rendition_files(file, image_format, original):
            exists = rendition.storage.exists(rendition.name)
            if exists and not force:
                continue
            if exists:
                # Storage never overwrites: it would save under another name.
                rendition.storage.delete(rendition.name)
            rendition.generate(force=True)
            made += 1
    return made


def picture_context(file, alt="", sizes="100vw", eager=False, priority=False):
    """What reading/_picture.html needs to show `file` at any screen width.

    `sizes` tells the browser how wide the picture will be laid out, so it can
    choose a width before the CSS arrives. `eager` is for pictures seen
    without scrolling; `priority` for the one most worth fetching first.
    """
    context = {"alt": alt, "eager": eager, "priority": priority}
    if not file:
        return context
    size = dimensions(file)
    if size is None:
        # Without known dimensions there are no renditions: the original, as is.
        return {**context, "src": file.url}
    renditions = {
        image_format.pillow_name: rendition_files(file, image_format) for image_format in FORMATS
    }
    srcsets = {
        name: ", ".join(f"{rendition.url} {width}w" for width, rendition in files)
        for name, files in renditions.items()
    }
    largest_width, largest = renditions[FALLBACK.pillow_name][-1]
    return {
        **context,
        "sources": [
            {"type": image_format.mime_type, "srcset": srcsets[image_format.pillow_name]}
            for image_format in FORMATS
            if image_format != FALLBACK
        ],
        "srcset": srcsets[FALLBACK.pillow_name],
        "src": largest.url,
        "sizes": sizes,
        "width": largest_width,
        # The original's aspect ratio, so the browser reserves the right space.
        "height": round(size[1] * largest_width / size[0]),
    }


def smallest_rendition_url(file, image_format=FORMATS[1]):
    """The address of the narrowest rendition, for thumbnails; None without one."""
    renditions = rendition_files(file, image_format)
    return renditions[0][1].url if renditions else None


def _stored_name(value):
    if isinstance(value, str):
        return value
    if isinstance(value, FieldFile) and value._committed:
        return value.name
    return None  # a fresh upload, or a deferred field: not known yet


def remember_source(sender, instance, **kwargs):
    # Read raw, without the field's descriptor: this runs for every article
    # loaded, feeds of fifty included, and must stay trivial.
    instance._rendition_source = _stored_name(instance.__dict__.get(SOURCE_FIELDS[sender]))


def make_renditions(sender, instance, created, raw, update_fields, **kwargs):
    """Make the renditions of a new or replaced picture.

    A save that keeps the picture only checks that its largest JPEG exists,
    one call to storage: a picture stored again under the same name (after
    its media was lost) or saved before renditions existed gets them then.
    """
    field = SOURCE_FIELDS[sender]
    if raw or (update_fields is not None and field not in update_fields):
        return
    file = getattr(instance, field)
    changed = created or file.name != getattr(instance, "_rendition_source", None)
    instance._rendition_source = file.name
    if not file:
        return
    if dimensions(file) is None:
        record_dimensions(file)
        changed = True
    if changed or not _largest_fallback_exists(file):
        generate_renditions(file)


def _largest_fallback_exists(file):
    renditions = rendition_files(file, FALLBACK)
    if not renditions:
        return True  # unreadable: there is nothing to make
    _, largest = renditions[-1]
    return largest.storage.exists(largest.name)


def connect():
    """Make renditions whenever an article's lead image or a library image is
    saved anew (ArticlesConfig.ready)."""
    for model in SOURCE_FIELDS:
        name = model.__name__.lower()
        post_init.connect(remember_source, sender=model, dispatch_uid=f"renditions-remember-{name}")
        post_save.connect(make_renditions, sender=model, dispatch_uid=f"renditions-make-{name}")
