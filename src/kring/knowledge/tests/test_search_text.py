"""The plain text the library indexes for an item's Markdown."""

from kring.knowledge.search import markdown_to_text


def test_markdown_marks_are_dropped():
    source = (
        "# Kop\n\n- een **punt**\n1. stap `code`\n> citaat\n![foto](a.png) [link](https://x.nl)"
    )

    assert markdown_to_text(source).split() == [
        "Kop", "een", "punt", "stap", "code", "citaat", "foto", "link",
    ]  # fmt: skip


def test_a_number_with_a_full_stop_in_running_text_stays():
    assert markdown_to_text("Gestart in 2019. Daarna - zo bleek - ging het snel.") == (
        "Gestart in 2019. Daarna - zo bleek - ging het snel."
    )
