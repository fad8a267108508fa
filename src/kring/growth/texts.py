"""The words of the development path: what each step asks, the facilitators' five tips as
questions to reflect on, and what fits each life stage. Made in the reader's language when
shown."""

from django.utils.translation import gettext_lazy as _

from kring.communities.models import Stage
from kring.growth.models import StepKey

# What each step asks of the community, in one sentence.
STEP_ASKS = {
    StepKey.THEME: _("The theme is clear, and so is the goal you share."),
    StepKey.URGENCY: _("You know why this matters to the participants now."),
    StepKey.PERSPECTIVES: _(
        "People with different views take part: the municipality, professionals, clients, "
        "citizens, volunteers, experience experts, education."
    ),
    StepKey.MANDATE: _(
        "Participants have room to try new things in their own work, and someone gave them "
        "that room."
    ),
    StepKey.FACILITATORS: _("Two facilitators lead the process, each with a different view."),
    StepKey.OWNERSHIP: _(
        "The group carries the work: members lead sessions, take on action points and write "
        "stories."
    ),
    StepKey.ACT_REFLECT: _(
        "You try things, then look back together: sessions get reflections, action points get done."
    ),
    StepKey.RHYTHM: _(
        "You meet about every six weeks, for at least eighteen months, so new habits last."
    ),
    StepKey.RESULTS: _("You name what the community achieves and tell others about it."),
}

# The five tips for facilitating the development, each as questions for the facilitators.
TIPS = (
    (
        _("Safe and challenging"),
        _(
            "Did everyone dare to say what they really think at the last session? And did "
            "something make people think hard, or was it too comfortable?"
        ),
    ),
    (
        _("Room for every perspective"),
        _(
            "Whose view did you hear least? How do you make sure that person or group speaks "
            "first next time?"
        ),
    ),
    (
        _("Learning at three levels"),
        _(
            "Did you only fix what you do, or also look at why you do it, and at who you want "
            "to be in this work?"
        ),
    ),
    (
        _("Close the learning cycle"),
        _(
            "What did you try since the last session, what happened, and what will you do "
            "differently now? Is every action point picked up again?"
        ),
    ),
    (
        _("Stay in the learning zone"),
        _(
            "Is the group stretching itself without panic? Where do people fall back on "
            "habits, and where do they feel lost?"
        ),
    ),
)

STAGE_MEANS = {
    Stage.POTENTIAL: _(
        "People with a shared question find each other. There is a loose network, not yet a "
        "community."
    ),
    Stage.COALESCING: _(
        "The community starts. People meet, build trust and find out what it brings them."
    ),
    Stage.MATURING: _(
        "The community knows what it is for. It deepens its knowledge and decides what "
        "belongs to it."
    ),
    Stage.STEWARDSHIP: _(
        "The community is established. The challenge is to keep it fresh and useful."
    ),
    Stage.TRANSFORMATION: _(
        "The community winds down, merges or becomes something new. That is a natural end, "
        "not a failure."
    ),
}

STAGE_ADVICE = {
    Stage.POTENTIAL: (
        _("Write down the theme, the shared goal and why it matters now."),
        _("Find the people who care, from different perspectives, and talk with them one by one."),
        _("Plan a first session and invite them personally."),
    ),
    Stage.COALESCING: (
        _("Meet regularly, about every six weeks, and plan the next dates now."),
        _("Give people quick wins: answer real questions from their work."),
        _("Connect people who do not know each other yet; keep ground rules visible."),
    ),
    Stage.MATURING: (
        _("Agree on the focus: what belongs to this community and what does not."),
        _("Put what you learn into the library, so new members can build on it."),
        _("Share the work: let members lead sessions and form a core group."),
    ),
    Stage.STEWARDSHIP: (
        _("Bring in new people and new questions, so the community stays fresh."),
        _("Make the core group carry it; the facilitators step back a little."),
        _("Tell others what you achieve, and link up with other communities."),
    ),
    Stage.TRANSFORMATION: (
        _("Talk openly with the group about what comes next."),
        _("Save what you learned in the library and in a final report."),
        _("Celebrate what you did together and say goodbye well."),
    ),
}
