"""Two-step interactions whose state is a database row (the `flows` table), so that a restart
loses none of them: a question asked with ForceReply, photos awaited for /describe or
collected for /blend."""
