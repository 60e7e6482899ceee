"""Every page type on a phone and on a desktop: nothing wider than the screen,
and every section within a reader's reach."""

import pytest
from playwright.sync_api import expect

from .conftest import DESKTOP, PHONE

# The links of a navigation that a reader cannot reach: each is scrolled
# into view (the section links scroll sideways on a phone), then must lie
# wholly on the screen and be what a tap on its middle meets (nothing
# covers it). In one call: seven checks per page on every page type.
OUT_OF_REACH = """nav => [...nav.querySelectorAll('a')].filter(link => {
    link.scrollIntoView({block: 'nearest', inline: 'nearest', behavior: 'instant'});
    const box = link.getBoundingClientRect();
    const screen = document.documentElement;
    const onScreen = box.width > 0 && box.height > 0 && box.left >= 0 && box.top >= 0
        && box.right <= screen.clientWidth && box.bottom <= screen.clientHeight;
    const tapped = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
    return !(onScreen && link.contains(tapped));
}).map(link => link.textContent.trim())"""


@pytest.mark.parametrize("screen", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_every_page_fits_the_screen_and_every_section_is_in_reach(tour, screen, screenshot):
    for page_type, page, _ in tour(**screen):
        # Measured against the screen, not window.innerWidth: a phone's
        # browser widens its layout viewport to fit content that overflows.
        scroll_width = page.evaluate("() => document.documentElement.scrollWidth")
        width = screen["viewport"]["width"]
        assert scroll_width <= width, (
            f"{page_type} scrolls sideways: {scroll_width}px on a {width}px screen"
        )

        expect(page.get_by_role("navigation", name=page_type.says("Account"))).to_be_visible()
        sections = page.get_by_role("navigation", name=page_type.says("Sections"), exact=True)
        expect(sections.get_by_role("link")).to_have_count(7)
        out_of_reach = sections.evaluate(OUT_OF_REACH)
        assert not out_of_reach, f"{page_type}: out of reach: {out_of_reach}"
        screenshot(page, f"{page_type.edition}-{page_type.name}")
