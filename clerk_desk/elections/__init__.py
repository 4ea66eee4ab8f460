"""The pre-election period: periods and their checklist, candidates, exceptions, the moderation log."""
