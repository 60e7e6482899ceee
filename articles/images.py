"""Checks for uploaded images, run before anything reaches storage.

Pillow only warns about oversized images up to twice its own limit, so a
10,000 × 10,000 "decompression bomb" would otherwise be accepted. Here the
warning is an error, the limit is ours, and every refusal says in words what
an editor can do about it.
"""

import io
import warnings

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

ALLOWED_FORMATS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WebP", "AVIF": "AVIF"}


def _allowed_names():
    return ", ".join(ALLOWED_FORMATS.values())


def validate_image_upload(upload):
    """Raise ValidationError unless `upload` is an image we are willing to store.

    Already-stored files are not re-read: the check is for new uploads only.
    """
    if upload is None or getattr(upload, "_committed", False):
        return
    max_bytes = settings.NEWSROOM_IMAGE_MAX_BYTES
    max_pixels = settings.NEWSROOM_IMAGE_MAX_PIXELS
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(
            _("This file is %(size)s; images may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
            code="file_too_large",
        )
    position = upload.tell() if hasattr(upload, "tell") else None
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                image_format = image.format
                width, height = image.size
                if width * height > max_pixels:
                    raise ValidationError(
                        _(
                            "This image is %(width)s × %(height)s pixels; images may have "
                            "at most %(limit)s megapixels. Please resize it and upload again."
                        )
                        % {"width": width, "height": height, "limit": max_pixels // 1_000_000},
                        code="too_many_pixels",
                    )
                image.verify()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _(
                "This image has far too many pixels to be processed safely; images may "
                "have at most %(limit)s megapixels."
            )
            % {"limit": max_pixels // 1_000_000},
            code="decompression_bomb",
        ) from None
    except Exception:
        # Pillow raises many kinds of errors for broken or foreign files; to the
        # editor they all mean the same thing.
        raise ValidationError(
            _("This file is not an image we can read. Upload a %(formats)s file.")
            % {"formats": _allowed_names()},
            code="invalid_image",
        ) from None
    finally:
        if position is not None:
            upload.seek(position)
    if image_format not in ALLOWED_FORMATS:
        if image_format:
            message = _("%(format)s images are not accepted. Upload a %(formats)s file.")
        else:
            message = _("Images of this kind are not accepted. Upload a %(formats)s file.")
        raise ValidationError(
            message % {"format": image_format, "formats": _allowed_names()},
            code="format_not_allowed",
        )


# Quality for re-encoded JPEG, WebP and AVIF originals: visually the same as
# what a camera or an editor's export writes.
REENCODE_QUALITY = 90


def without_metadata(upload):
    """The uploaded picture re-encoded without its metadata, turned upright.

    Cameras and phones write where and when a photo was taken, and on what
    device, into the file (EXIF, XMP). For a newsroom whose sources and
    photographers may be prosecuted, that must never reach readers: the
    stored original keeps only its pixels and its colour profile.
    """
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image_format = image.format
            icc_profile = image.info.get("icc_profile")
            upright = ImageOps.exif_transpose(image)
            if image_format == "JPEG" and upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            options = {"icc_profile": icc_profile} if icc_profile else {}
            if image_format != "PNG":
                options["quality"] = REENCODE_QUALITY
            buffer = io.BytesIO()
            upright.save(buffer, image_format, **options)
    except (OSError, ValueError, SyntaxError):
        # Only decoding every pixel finds some damage: a file cut short (an
        # interrupted upload) passes the header checks above and fails here.
        raise ValidationError(
            _("This image is damaged or incomplete (perhaps cut short). Please upload it again."),
            code="invalid_image",
        ) from None
    return SimpleUploadedFile(
        upload.name, buffer.getvalue(), content_type=getattr(upload, "content_type", None)
    )


class SafeImageFormField(forms.ImageField):
    """Django's ImageField, with our checks run before Pillow decodes anything,
    and the picture's metadata removed before anything is stored."""

    def to_python(self, data):
        if data in self.empty_values:
            return None
        validate_image_upload(data)
        return super().to_python(without_metadata(data))
