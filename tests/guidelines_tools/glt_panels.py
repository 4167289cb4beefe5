"""Preview panel providers for test_glt_preview (PREVIEW_PANELS = ["module:function"])."""

from html import escape

from chorus.preview import Panel


def words(article, settings):
    count = len(article.content.split())
    return [Panel(f"Words: {count}", f"<p>{escape(article.title)}</p>", "words")]


def broken(article, settings):
    raise RuntimeError("the platform composer fell over")
