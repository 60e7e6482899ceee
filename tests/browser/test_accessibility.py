"""Every page type for readers who use a screen reader, a keyboard, or need
contrast: axe-core finds nothing serious, and the keyboard reaches everything."""

import pytest
from playwright.sync_api import expect

from .conftest import EDITIONS, ROOT, require

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe():
    require(
        AXE.exists(),
        "axe-core",
        "Accessibility check skipped: node_modules/axe-core not installed",
        "npm ci",
    )
    return AXE


# Serious and critical violations; and any text whose contrast axe could not
# decide, so that every colour pair on the page really is checked.
AXE_RUN = """async () => {
    const results = await axe.run(document);
    return [
        ...results.violations.filter(rule => ['serious', 'critical'].includes(rule.impact)),
        ...results.incomplete.filter(rule => rule.id === 'color-contrast')
            .map(rule => ({...rule, help: `${rule.help} (undecided)`})),
    ];
}"""


# Every edition in the light scheme; the dark one, whose colours are the
# same whatever the language, over the English edition's every page type.
@pytest.mark.parametrize(
    "color_scheme, editions", [("light", tuple(EDITIONS)), ("dark", ("en",))], ids=["light", "dark"]
)
def test_axe_finds_no_serious_or_critical_violation_on_any_page(axe, tour, color_scheme, editions):
    found = []
    # axe is injected as an inline script, which the site's CSP rightly refuses.
    for page_type, page, _ in tour(editions, color_scheme=color_scheme, bypass_csp=True):
        # The section links scroll under edge shadows drawn as a gradient that
        # starts from the page colour; axe cannot read colours through a
        # gradient, so it checks the links against the page colour itself.
        page.add_style_tag(content=".section-nav ul { background: none; }")
        page.add_script_tag(path=axe)
        found += [
            f"{page_type}: {rule['id']} ({rule['impact']}) {rule['help']}: "
            + ", ".join(" ".join(node["target"]) for node in rule["nodes"])
            for rule in page.evaluate(AXE_RUN)
        ]
    assert not found, "\n".join(found)


# The page's tab stops, in Tab order: document order, as axe's "tabindex" rule
# forbids positive tabindex values. Links taken out of the Tab order are
# listed apart, unless they are hidden from assistive technology too (the
# lead story's picture repeats its headline's link).
TAB_STOPS = """() => {
    const visible = element => element.checkVisibility({visibilityProperty: true});
    const name = element => element.id ? `#${element.id}`
        : `${element.localName} “${element.textContent.trim()}”`;
    const stops = [...document.querySelectorAll(
        'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]'
    )].filter(element => element.tabIndex >= 0 && !element.disabled && visible(element));
    stops.forEach((element, index) => element.dataset.tabStop = index);
    // Where the focus is after each Tab or Shift+Tab.
    window.focusTrail = [];
    document.addEventListener('keyup', event => event.key === 'Tab'
        && focusTrail.push(document.activeElement.dataset.tabStop ?? null));
    const untabbable = [...document.querySelectorAll('a[href]')].filter(link =>
        link.tabIndex < 0 && visible(link) && !link.closest('[aria-hidden="true"]'));
    return {stops: stops.map(name), untabbable: untabbable.map(name)};
}"""
SKIP_LINK = "a “Skip to content”"
FOCUSED = "() => document.activeElement.dataset.tabStop ?? null"


def test_the_keyboard_alone_reaches_every_link_and_the_login_form(tour):
    # Tab order is the same in every edition: the English one is walked.
    for page_type, page, _ in tour(editions=["en"]):
        tab_stops = page.evaluate(TAB_STOPS)
        stops = tab_stops["stops"]
        assert not tab_stops["untabbable"], f"{page_type.name}: Tab skips {tab_stops['untabbable']}"
        assert stops[0] == SKIP_LINK, f"{page_type.name}: the first tab stop is {stops[0]}"

        # The first Tab lands on the skip link; on the login page the email
        # field has the focus already, and Shift+Tab goes back up to it.
        if page.evaluate(FOCUSED) is None:
            page.keyboard.press("Tab")
        for _ in stops:
            if page.evaluate(FOCUSED) == "0":
                break
            page.keyboard.press("Shift+Tab")
        skip_link = page.get_by_role("link", name="Skip to content")
        expect(skip_link).to_be_focused()

        # Down the page one stop per Tab to the last, and back up with Shift+Tab.
        page.evaluate("() => focusTrail.length = 0")
        for key in ["Tab"] * (len(stops) - 1) + ["Shift+Tab"] * (len(stops) - 1):
            page.keyboard.press(key)
        trail = [
            stops[int(stop)] if stop is not None else None
            for stop in page.evaluate("() => focusTrail")
        ]
        assert trail == stops[1:] + stops[-2::-1], page_type.name

        # The skip link takes the reader to the content.
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()

        if page_type.name == "login":
            form = [
                stops.index(name) for name in ("#id_username", "#id_password", "button “Log in”")
            ]
            assert form == sorted(form), f"the login form out of Tab order: {stops}"
