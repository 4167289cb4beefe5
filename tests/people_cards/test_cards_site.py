"""The built demo site: every profile links to its signature and vCard, and the files exist."""

from __future__ import annotations

import io
import shutil

import html5lib
import pytest
import vobject
from PIL import Image

from plugins.people.photos import PHOTO_PX, SIGNATURE_CSS_PX
from tests.conftest import FIXTURES, ROOT, TEST_SITEURL, build_site, copy_content, resolve
from tests.people_cards.test_cards_vcard import photo_of

pytestmark = pytest.mark.integration
HANDLES = sorted(p.stem for p in (ROOT / "content" / "people").glob("*.yaml"))


@pytest.mark.parametrize("handle", HANDLES)
def test_profile_links_to_signature_and_vcard(demo_site, handle):
    profile = demo_site / "people" / handle / "index.html"
    doc = html5lib.parse(profile.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    links = {(a.text or "").strip(): a.get("href") for a in doc.iterfind(".//a")}
    for label in ("Email signature", "Add to contacts (vCard)", "Plain-text signature"):
        href = resolve(f"people/{handle}/index.html", links[label])
        assert href.startswith(TEST_SITEURL + "/")
        target = demo_site / href.removeprefix(TEST_SITEURL + "/")
        assert target.is_file(), href
    vcf = demo_site / "people" / f"{handle}.vcf"
    raw = vcf.read_bytes()
    assert raw.startswith(b"BEGIN:VCARD\r\nVERSION:4.0\r\n") and raw.endswith(b"END:VCARD\r\n")
    card = vobject.readOne(raw.decode("utf-8"))
    assert card.url.value.startswith(TEST_SITEURL)
    signature = (demo_site / "people" / handle / "signature.html").read_text(encoding="utf-8")
    assert "<script" not in signature and TEST_SITEURL in signature


@pytest.mark.parametrize("handle", HANDLES)
def test_signature_and_vcard_photo_is_a_png_in_the_output(demo_site, handle):
    """The file the signature points at is in the site, 2x the size it is shown at, and is
    the very image the vCard embeds."""
    signature = (demo_site / "people" / handle / "signature.html").read_text(encoding="utf-8")
    img = html5lib.parse(signature, namespaceHTMLElements=False).find(".//img")
    src = img.get("src")
    assert src.startswith(f"{TEST_SITEURL}/people/{handle}/photo-") and src.endswith(".png")
    assert img.get("width") == img.get("height") == str(SIGNATURE_CSS_PX)
    photo = demo_site / src.removeprefix(TEST_SITEURL + "/")
    data = photo.read_bytes()
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (PHOTO_PX, PHOTO_PX))
        image.verify()
    vcf = (demo_site / "people" / f"{handle}.vcf").read_text(encoding="utf-8")
    assert photo_of(vcf) == data
    assert sorted(p.name for p in photo.parent.glob("photo-*")) == [photo.name]  # once


def test_a_broken_avatar_stops_the_build_with_one_line(tmp_path):
    content = copy_content(tmp_path)
    broken = content / "images" / "people" / "maria.lopez.svg"
    shutil.copy(FIXTURES / "photos" / "broken.svg", broken)
    result = build_site(tmp_path / "output", content)
    assert result.problems == [
        f"{broken}:3: error: not a valid SVG image: invalid name token at 3:3"
    ], result.problems
    assert not (tmp_path / "output").exists()  # nothing half-built is published
