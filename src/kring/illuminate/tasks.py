"""Background work for value stories. Tasks take ids and only call services."""

from django_tasks import task

from kring.illuminate import services_prompts


@task()
def story_prompts_send() -> int:
    """Ask for stories where the moment has come (periodic, see KRING_PERIODIC_TASKS)."""
    return services_prompts.story_prompts_send()
