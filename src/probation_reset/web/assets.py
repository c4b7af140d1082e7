"""The front-end assets: GOV.UK Frontend and MoJ Frontend from ``node_modules`` (installed by
``npm ci`` from the committed lockfile), and the service's own CSS and JavaScript.

``/assets/<file>`` serves, first match wins: the two frameworks' built CSS and JS, this package's
``static/`` folder, then GOV.UK Frontend's and MoJ Frontend's ``assets/`` (fonts, images), which
their CSS refers to as ``/assets/...``.
"""

from __future__ import annotations

from pathlib import Path

GOVUK = Path("govuk-frontend") / "dist" / "govuk"
MOJ = Path("@ministryofjustice") / "frontend" / "moj"
STATIC = Path(__file__).parent / "static"
BUILT = {
    "govuk-frontend.min.css": GOVUK / "govuk-frontend.min.css",
    "govuk-frontend.min.js": GOVUK / "govuk-frontend.min.js",
    "moj-frontend.min.css": MOJ / "moj-frontend.min.css",
    "moj-frontend.min.js": MOJ / "moj-frontend.min.js",
}
MISSING_MESSAGE = (
    "The front-end assets (GOV.UK Frontend, MoJ Frontend) are not installed: run `npm ci` in the "
    "project folder, or set PROBATION_RESET_ASSETS to a node_modules folder that has them."
)


class AssetsMissingError(RuntimeError):
    """``node_modules`` does not hold the front-end packages."""


def check_assets(node_modules: Path | None) -> Path:
    """``node_modules`` when it holds every built file the pages need."""
    if node_modules is None or not all((node_modules / p).is_file() for p in BUILT.values()):
        raise AssetsMissingError(MISSING_MESSAGE)
    return node_modules


def find_asset(node_modules: Path | None, name: str) -> Path | None:
    """The file served as ``/assets/<name>``, or ``None`` (never outside the asset folders)."""
    if not name or name.startswith("/") or ".." in Path(name).parts:
        return None
    roots: list[Path] = [STATIC]
    if node_modules is not None:
        if name in BUILT:
            return node_modules / BUILT[name]
        roots += [node_modules / GOVUK / "assets", node_modules / MOJ / "assets"]
    for root in roots:
        candidate = (root / name).resolve()
        if candidate.is_file() and candidate.is_relative_to(root.resolve()):
            return candidate
    return None
