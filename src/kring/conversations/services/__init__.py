"""Writes for conversations, one module per subject: threads (questions, discussions, replies,
answers, useful marks, attachments), direct_messages (messages and blocks), notifications,
preferences (e-mail settings and unsubscribe) and moderation."""
