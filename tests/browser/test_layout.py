"""Every page type on a phone and on a desktop: nothing wider than the screen,
and every section within a reader's reach."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_fits_the_screen_and_every_section_is_in_reach(tour, screen, screenshot):
    for page_type, page, _ in tour(**screen):
        scroll_width, inner_width = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        assert scroll_width <= inner_width, (
            f"{page_type.name} scrolls sideways: {scroll_width}px on a {inner_width}px screen"
        )

        expect(page.get_by_role("navigation", name="Account")).to_be_visible()
        sections = page.get_by_role("navigation", name="Sections", exact=True).get_by_role("link")
        expect(sections).to_have_count(7)
        for link in sections.all():
            link.scroll_into_view_if_needed()
            expect(link).to_be_in_viewport()
            link.click(trial=True)  # visible, enabled and not covered by anything
        screenshot(page, page_type.name)
