"""Import a WordPress export (WXR) as culture-hub stories. Used by ``invoke import-wordpress``.

Not a Pelican plugin: nothing to register. ``[inlinetweet]`` shortcodes are
kept exactly as written; the share_tweet plugin reads them.
"""

from .wxr import ExportError, Imported, Report, convert, read_posts

__all__ = ["ExportError", "Imported", "Report", "convert", "read_posts"]
