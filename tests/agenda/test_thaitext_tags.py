"""The thaitext template tags: escaped Thai line-break hints and word diffs."""

from __future__ import annotations

from django.template import Context, Engine

ENGINE = Engine(libraries={"thaitext": "agenda.templatetags.thaitext"})


def render(source: str, **context: object) -> str:
    return ENGINE.from_string("{% load thaitext %}" + source).render(Context(context))


def test_thai_wrap_puts_wbr_between_thai_words():
    html = render("{{ text|thai_wrap }}", text="การพัฒนาเด็กปฐมวัยเติบโตอย่างมีคุณภาพ")
    assert html == "การพัฒนา<wbr>เด็ก<wbr>ปฐมวัย<wbr>เติบโต<wbr>อย่าง<wbr>มี<wbr>คุณภาพ"


def test_thai_wrap_escapes_markup_so_script_never_appears_raw():
    html = render("{{ text|thai_wrap }}", text="ข้อ 1 <script>alert('x')</script>&")
    assert "<script" not in html
    assert "&lt;script&gt;" in html
    assert "&amp;" in html


def test_thai_wrap_of_missing_value_is_empty():
    assert render("{{ text|thai_wrap }}", text=None) == ""


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
