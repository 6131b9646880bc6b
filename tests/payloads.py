"""Script payloads for the injection tests, and a post that carries one in every field."""
from __future__ import annotations

from dataclasses import replace

from test_render_formats import make_post

from sokbo.models import Post, PostSentence, SourceRef

PAYLOADS = [
    "부록 표에는 <img src=x onerror=alert(1)>라는 표기가 붙어 있었습니다.",
    "요약 <script>window.__pwned=1</script> 끝입니다.",
    "<<b>img src=x onerror=alert(2)> 중첩입니다.",
    "닫히지 않은 <img src=x onerror=alert(3)",
    "주석 <!-- --!><img src=x onerror=alert(4)> 끝입니다.",
    "<svg><animate onbegin=alert(5) attributeName=x dur=1s> 입니다.",
    "[눌러 보세요](javascript:alert(6)) 링크입니다.",
    "![그림](javascript:alert(7)) 그림입니다.",
    "*강조*{: onmouseover=\"alert(8)\"} 속성입니다.",
    "<https://evil.example/auto> 자동 링크입니다.",
    "{{ site.data }} {% raw %} 리퀴드입니다.",
    "보이지 않는\u202e문자\u2028줄\x00바꿈입니다.",
]


def post_with_payload(payload: str) -> Post:
    post = make_post(title=payload, sentence=payload)
    excerpt = (PostSentence(payload, "a1", 6), *post.excerpt[1:])
    sources = (SourceRef("a1", payload, payload, "https://a.example/1", None), *post.sources[1:])
    return replace(post, excerpt=excerpt, sources=sources, tags=(payload,),
                   categories=(payload,))
