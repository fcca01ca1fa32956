"""The page catalog (ui/catalog.py): every listed page exists, once, with a unique address."""

from __future__ import annotations

from ui.catalog import ROOT, SECTIONS


def test_every_catalog_page_exists_once_with_its_own_address():
    pages = [page for section in SECTIONS.values() for page in section]
    missing = [page.script for page in pages if not (ROOT / page.script).is_file()]
    assert missing == [], "listed in ui/catalog.py but not written"
    assert len({page.script for page in pages}) == len(pages)
    assert len({page.url_path for page in pages}) == len(pages)
