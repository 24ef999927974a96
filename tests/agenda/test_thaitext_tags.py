"""The thaitext template tag: word diffs, escaped. (Line breaks need no tag: every
page and push is marked by ``assembly.thai_html``.)"""

from __future__ import annotations

from django.template import Context, Engine

ENGINE = Engine(libraries={"thaitext": "agenda.templatetags.thaitext"})


def render(source: str, **context: object) -> str:
    return ENGINE.from_string("{% load thaitext %}" + source).render(Context(context))


def test_word_diff_tag_marks_the_replaced_word():
    html = render(
        "{% word_diff old new %}",
        old="การพัฒนาเด็กปฐมวัยเติบโตอย่างมีคุณภาพ",
        new="การพัฒนาเยาวชนปฐมวัยเติบโตอย่างมีคุณภาพ",
    )
    assert html == (
        "การพัฒนา<del>เด็ก</del><ins>เยาวชน</ins>ปฐมวัยเติบโตอย่างมีคุณภาพ"
    )


def test_word_diff_tag_escapes_markup_in_both_texts():
    html = render(
        "{% word_diff old new %}", old="<script>a</script>", new="<b>ข้อ</b>"
    )
    assert "<script" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;" in html
