"""DRF's browsable API under the site's Content-Security-Policy.

DRF's own templates style a few elements inline (a `<style>` for code highlighting, `style`
attributes on the paging and filter buttons). Its pages allow inline styles; their scripts stay under
the site's policy: no inline script, no eval. (A module of its own: DRF loads its renderers while
`rest_framework.views` is still being imported.)"""

from collections.abc import Mapping
from typing import Any

from csp.constants import SELF, UNSAFE_INLINE
from rest_framework import renderers


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> str:
        response = (renderer_context or {}).get("response")
        if response is not None:
            response._csp_replace = {"style-src": [SELF, UNSAFE_INLINE]}
        return super().render(data, accepted_media_type, renderer_context)
