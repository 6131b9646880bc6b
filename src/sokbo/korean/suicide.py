"""Stories about a suicide, and the sentences 자살보도 권고기준 3.0 keeps out of them.

The guideline (Korea Foundation for Suicide Prevention, 2018; help line 109 since 2024) asks a
report on a suicide not to give the method, the tools or the place, not to speculate on the
motive or quote a note, not to glorify or romanticise, not to link the death to other
suicides, and to end with where help is. This module only *reads*: the writer leaves out what
it marks and appends the help line (sokbo.notices); the linter checks any post with it.

- :func:`assess_suicide` decides whether a story is about a suicide (a clear mention in a
  headline or a lead, a mention in two sentences, or the outlet's own help-line note) and
  lists the sentences to leave out, each with its reason;
- :func:`suicide_mention` says whether one text speaks of a suicide (a suicide bombing, an own
  goal (자살골), a party's "극단적 선택" (an extreme decision) and a 사유서 are not);
- :func:`unsafe_detail` gives the reason a sentence must not appear in such a story, if any.

Precision over recall: words that are suicide words only next to a death (극단적 선택, 투신,
생을 마감, 분신) count only with one in the same sentence.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sokbo.memo import by_identity
from sokbo.models import Article

__all__ = [
    "Reason", "SuicideAssessment", "assess_suicide", "suicide_event", "suicide_mention",
    "unsafe_detail",
]

Reason = Literal["method", "place", "motive", "note", "glorify", "helpline"]

# 자살 as a word of its own (자살했다, 자살 추정, 자살예방, 자살률), not a bombing or an own goal
SUICIDE_WORD = re.compile(r"자살(?!\s*(?:골|폭탄|테러|공격|특공|폭파|조끼|비행|임무|행위\s*같은))")
# suicide as a public issue, not somebody's death: "자살 문제", "자살률", "자살 예방 사업"
ISSUE = re.compile(
    r"자살\s*(?:문제|률|율|예방|대책|정책|고위험|위험군|통계|사망률|사망자\s*수|공화국)"
)
# words that mean a suicide only beside a death or an attempt
VEILED = re.compile(
    r"극단(?:적인?|적)?\s*(?:선택|행동)|스스로\s*(?:목숨|생)|목숨을\s*(?:끊|버리)|생을\s*마감|"
    r"투신|분신|세상을\s*등지|(?<!사)유서(?!\s*깊)"
)
# words that say it on their own: "스스로 목숨을 끊었다"
SELF_EVIDENT = re.compile(r"스스로\s*(?:목숨|생)을?\s*(?:끊|버리|마감)|목숨을\s*끊|스스로\s*극단")
DEATH = re.compile(
    r"숨(?:지|진|졌|져|짐)|사망|목숨|생을|(?<!사)유서(?!\s*깊)|유족|빈소|장례|발인|부검|시신|숨진\s*채|"
    r"발견(?:됐|된|되)|시도(?:했|한|하)|추정|생명|세상을\s*(?:떠|등지)|살해\s*(?:후|하고|한\s*뒤)"
)
# the outlet's own help-line note: it treats the story as one about a suicide
HELPLINE = re.compile(
    r"자살\s*예방\s*상담\s*전화|생명의\s*전화|정신건강\s*위기\s*상담|\b1393\b|\b109\b\s*(?:번|에|로|☎)|"
    r"☎\s*109|희망의\s*전화|청소년\s*전화\s*1388"
)
# a 사유서 (written reasons) and a 유서 깊은 place are no suicide note
NOT_A_STRONG_MOTIVE = re.compile(r"비관(?:해|하여|한|했|하다)")
# a 사유서 (written reasons) and a 유서 깊은 place are no suicide note
NOT_A_NOTE = re.compile(r"사유서|유서\s*깊")
NOTE = re.compile(r"사유서|유서\s*깊")

# means that say how on their own, and words that do only beside a death
STRONG_METHOD = re.compile(
    r"목을?\s*매|목맨|목매|번개탄|일산화탄소|수면제|수면\s*유도제|약(?:물)?을?\s*(?:다량|과다)|"
    r"과다\s*복용|음독|청산가리|뛰어내|몸을\s*던|투신|분신|자해"
)
METHOD = re.compile(
    r"연탄|숯불|농약|독극물|제초제|추락(?:해|했|한|사)|손목|질식|가스를?\s*(?:틀|마시|피우)|방아쇠|"
    r"총(?:으로|을\s*쏴|기를?\s*이용)|끈|넥타이|스카프|전깃줄|밧줄|줄을\s*이용"
)
PLACE = re.compile(
    r"자택|집\s*(?:안|에서)|방\s*안|욕실|화장실|베란다|옥상|차량?\s*(?:안|내부|에서)|호텔|모텔|숙소|"
    r"다리|대교|한강|강변|저수지|야산|숲|공원|주차장|\d+\s*층|건물|창고|사무실|교실|기숙사|선로|철로|"
    r"승강장|해안|바닷가|절벽"
)
FOUND_DEAD = re.compile(
    r"숨진\s*채|숨져\s*있|사망한\s*채|쓰러진\s*채|발견(?:됐|된|되었|했)|투신|뛰어내|숨졌|숨을\s*거두"
)
MOTIVE = re.compile(
    r"비관(?:해|하여|한|했)|견디지\s*못(?:하고|해|한)|괴로워(?:하다|해\s*왔)|때문에\s*(?:극단|스스로)|"
    r"시달리다\s*(?:끝에|못해)|못\s*이겨|동기(?:는|로|가)"
)
STRONG_MOTIVE = re.compile(r"비관(?:해|하여|한|했|하다)")
NOTE = re.compile(r"(?<![가-힣])유서(?:에|를|가|의|에는|에서|로)?(?!\s*깊)")
NOTE_CONTENT = re.compile(r"적혀|적었|남겼|남긴|내용|쓰여|썼")
GLORIFY = re.compile(
    r"그렇게\s*떠났|별이\s*(?:되|됐)|하늘(?:나라|의\s*별)|영면(?:에|했|하)|편히\s*(?:쉬|잠들)|"
    r"고통\s*없는\s*곳|영원히\s*잠들|천국|자유로워지|베르테르|모방\s*자살|"
    r"(?:도|처럼)\s*(?:스스로|극단적)|잇(?:단|따른)\s*(?:극단적\s*선택|자살|비보)|"
    r"\d+\s*년\s*전\s*[^.]{0,30}도\s*[^.]{0,20}(?:떠났|숨졌|선택)"
)
LEAD_SENTENCES = 3


def suicide_mention(text: str) -> bool:
    """Whether the text speaks of a suicide (or gives the help line for one)."""
    if HELPLINE.search(text) or SUICIDE_WORD.search(text) or SELF_EVIDENT.search(text):
        return True
    return any(DEATH.search(text[: m.start()] + " " + text[m.end():])
               for m in VEILED.finditer(text))


def suicide_event(text: str) -> bool:
    """Whether the text speaks of somebody's suicide, not of suicide as a public issue
    (자살률, 자살 예방 사업, 중독과 자살 문제): the guideline's help line and its limits are for
    reports of a suicide."""
    if SELF_EVIDENT.search(text) or any(
            DEATH.search(text[: m.start()] + " " + text[m.end():]) for m in VEILED.finditer(text)):
        return True
    return any(not ISSUE.match(text, m.start()) for m in SUICIDE_WORD.finditer(text))


def unsafe_detail(sentence: str) -> Reason | None:
    """Why a sentence of a suicide story must be left out: the method or the tools, the place
    where the person was found, a motive, the note, a glorifying or linking line, or the
    outlet's own help-line note (the post gets sokbo's); None if it may stay."""
    if HELPLINE.search(sentence):
        return "helpline"
    if NOTE.search(sentence) and not NOT_A_NOTE.search(sentence) and NOTE_CONTENT.search(sentence):
        return "note"
    if STRONG_METHOD.search(sentence) or (
            METHOD.search(sentence) and (suicide_mention(sentence) or DEATH.search(sentence))):
        return "method"
    if PLACE.search(sentence) and FOUND_DEAD.search(sentence):
        return "place"
    if STRONG_MOTIVE.search(sentence) or (
            MOTIVE.search(sentence) and (suicide_mention(sentence) or DEATH.search(sentence))):
        return "motive"
    if GLORIFY.search(sentence):
        return "glorify"
    return None


@dataclass(frozen=True, slots=True)
class SuicideAssessment:
    """Whether a story is about a suicide, why, and the sentences to leave out of its post."""

    story: bool
    evidence: tuple[str, ...] = ()  # "headline: …", "lead: …", "help line: …", "sentences: 2"
    leave_out: dict[str, Reason] | None = None  # Sentence.id → reason (only when ``story``)

    def __bool__(self) -> bool:
        return self.story


@by_identity
def assess_suicide(articles: Sequence[Article]) -> SuicideAssessment:
    """Read a story's articles: is it about a suicide, and which sentences must go."""
    evidence: list[str] = []
    mentions = 0
    for a in articles:
        if suicide_event(a.title):
            evidence.append(f"headline: {a.title}")
        for s in a.sentences:
            if HELPLINE.search(s.text):
                evidence.append(f"help line: {s.id}")
                continue
            if not suicide_event(s.text):
                continue  # 자살률, 자살 예방 사업: an issue, not a death
            mentions += 1
            if s.index < LEAD_SENTENCES:
                evidence.append(f"lead: {s.id}")
    if mentions >= 2:
        evidence.append(f"sentences: {mentions}")
    if not evidence:
        return SuicideAssessment(False)
    leave_out: dict[str, Reason] = {}
    for a in articles:
        for s in a.sentences:
            reason = unsafe_detail(s.text)
            if reason is not None:
                leave_out[s.id] = reason
    return SuicideAssessment(True, tuple(dict.fromkeys(evidence)), leave_out)
