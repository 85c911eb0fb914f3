"""Controlled vocabularies the front matter is checked against: CRediT roles and SPDX
licences, with the wording and links readers see."""

from __future__ import annotations

# The 14 roles of the CRediT taxonomy (ANSI/NISO Z39.104-2022), in its order and wording.
CREDIT_ROLES: dict[str, str] = {
    "conceptualization": "Conceptualization",
    "data-curation": "Data curation",
    "formal-analysis": "Formal analysis",
    "funding-acquisition": "Funding acquisition",
    "investigation": "Investigation",
    "methodology": "Methodology",
    "project-administration": "Project administration",
    "resources": "Resources",
    "software": "Software",
    "supervision": "Supervision",
    "validation": "Validation",
    "visualization": "Visualization",
    "writing-original-draft": "Writing – original draft",
    "writing-review-editing": "Writing – review & editing",
}


def normalise_role(value: str) -> str:
    """``Writing – Original Draft``, ``writing_original_draft`` -> ``writing-original-draft``."""
    cleaned = value.strip().lower().replace("&", " ").replace("–", " ").replace("—", " ")
    return (
        "-".join(cleaned.replace("_", " ").replace("-", " ").split())
        .replace("visualisation", "visualization")
        .replace("conceptualisation", "conceptualization")
    )


# SPDX identifiers most used for articles, code and data, with their names and URLs.
LICENSES: dict[str, tuple[str, str]] = {
    "CC-BY-4.0": (
        "Creative Commons Attribution 4.0 International",
        "https://creativecommons.org/licenses/by/4.0/",
    ),
    "CC-BY-SA-4.0": (
        "Creative Commons Attribution-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-sa/4.0/",
    ),
    "CC-BY-NC-4.0": (
        "Creative Commons Attribution-NonCommercial 4.0 International",
        "https://creativecommons.org/licenses/by-nc/4.0/",
    ),
    "CC-BY-NC-SA-4.0": (
        "Creative Commons Attribution-NonCommercial-ShareAlike 4.0 International",
        "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    ),
    "CC-BY-ND-4.0": (
        "Creative Commons Attribution-NoDerivatives 4.0 International",
        "https://creativecommons.org/licenses/by-nd/4.0/",
    ),
    "CC-BY-NC-ND-4.0": (
        "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0 International",
        "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    ),
    "CC0-1.0": (
        "Creative Commons Zero v1.0 Universal",
        "https://creativecommons.org/publicdomain/zero/1.0/",
    ),
    "MIT": ("MIT License", "https://opensource.org/licenses/MIT"),
    "Apache-2.0": ("Apache License 2.0", "https://www.apache.org/licenses/LICENSE-2.0"),
    "BSD-3-Clause": ("BSD 3-Clause License", "https://opensource.org/licenses/BSD-3-Clause"),
    "BSD-2-Clause": ("BSD 2-Clause License", "https://opensource.org/licenses/BSD-2-Clause"),
    "GPL-3.0-or-later": (
        "GNU General Public License v3.0 or later",
        "https://www.gnu.org/licenses/gpl-3.0.html",
    ),
    "LicenseRef-All-Rights-Reserved": ("All rights reserved", ""),
}
