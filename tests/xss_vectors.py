"""XSS vectors shared by the sanitizer's unit and integration tests."""

from __future__ import annotations

import re

VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href=" vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    "<svg onload=alert(1)><circle r=1 /></svg>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    '<iframe src="https://evil.example"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<form action="https://evil.example"><input name=q><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p onmouseover="alert(1)">hover</p>',
    "<details open ontoggle=alert(1)>x</details>",
    '<base href="https://evil.example/">',
    "<style>body{display:none}</style>",
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!--<script>alert(1)</script>-->",
    "[click](javascript:alert(1))",
    '<a href="#" id="x" class="y" title="ok">kept</a>',
]
LIVE = re.compile(
    r"<\s*(script|iframe|object|embed|form|input|button|meta|base|link|style|svg|math)\b"
    r"|\son\w+\s*=|javascript:|vbscript:|data:text/html",
    re.IGNORECASE,
)

# Elements that can run code, load other documents, submit data or redirect.
LIVE_ELEMENTS = frozenset(
    {
        "script",
        "iframe",
        "frame",
        "object",
        "embed",
        "applet",
        "form",
        "input",
        "button",
        "base",
        "svg",
        "math",
        "style",
        "link",
        "meta",
    }
)
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
_IGNORED = re.compile(r"[\x00-\x20\x7f-\x9f]+")
SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


def live_parts(soup, allowed_elements=frozenset()) -> list[str]:
    """Independent of the sanitizer: anything in a parsed tree that could run."""
    found = []
    for element in soup.find_all(True):
        if element.name == "script" and element.get("type") == "application/ld+json":
            if "<" in element.string:  # a data block cannot run, unless it is broken out of
                found.append("markup inside a JSON-LD block")
            continue
        if element.name in LIVE_ELEMENTS - allowed_elements:
            found.append(f"<{element.name}>")
        for name, value in element.attrs.items():
            if name.lower().startswith("on"):
                found.append(f"{name}= on <{element.name}>")
            if name.lower() == "style" and re.search(r"url\(|expression\(", str(value), re.I):
                found.append(f"style with url()/expression() on <{element.name}>")
            if name.lower() in {"href", "src", "action", "formaction", "xlink:href", "data"}:
                scheme = _SCHEME.match(_IGNORED.sub("", str(value)))
                if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                    found.append(f"{scheme.group(1)}: in {name} of <{element.name}>")
    return found
