"""Regenerate the README's screenshots (docs/img/*.png) from the demo reports: `make screenshots`.

Reads what `make demo` / `impactlib batch --all` wrote under reports/ (it never produces reports itself), opens
each page in Debian's headless Chromium (Playwright with executable_path=/usr/bin/chromium, every non-file
request refused) and photographs the element each README image shows, after the charts are drawn.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORTS = ROOT / "reports"
IMG = ROOT / "docs" / "img"

# (image, report page under reports/, CSS selector of what the image shows (None: the top of the page), viewport)
SHOTS = [
    ("executive-summary.png", "lex-partners/baseline.en.html", ".exec-summary", (1280, 900)),
    ("portfolio.png", "index.html", None, (1280, 900)),
    ("campaign.png", "campaign.en.html", None, (1400, 1716)),  # `impactlib campaign` writes it (make screenshots runs it)
]


def main() -> int:
    from playwright.sync_api import sync_playwright

    missing = [page for _, page, _, _ in SHOTS if not (REPORTS / page).is_file()]
    if missing:
        print(f"no {', '.join(missing)} under {REPORTS}: run `make demo` (or `impactlib batch --all`) and `impactlib campaign` first",
              file=sys.stderr)
        return 2
    IMG.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
        for image, page_path, selector, (width, height) in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
            page.goto((REPORTS / page_path).as_uri())
            page.wait_for_load_state("load")
            page.evaluate("document.fonts.ready")
            if page.locator(".plotly-graph-div").count():
                page.wait_for_function("[...document.querySelectorAll('.plotly-graph-div')].every(d => d.querySelector('.main-svg'))",
                                       timeout=20000)
            target = IMG / image
            if selector:
                page.locator(selector).first.screenshot(path=str(target))
            else:
                page.screenshot(path=str(target))
            print(f"written: {target.relative_to(ROOT)}")
            page.close()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
