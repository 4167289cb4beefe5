"""The built demo site: every profile links to its signature and vCard, and the files exist."""

from __future__ import annotations

import html5lib
import pytest
import vobject

from tests.conftest import ROOT, TEST_SITEURL, resolve

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
