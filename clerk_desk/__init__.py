"""Clerk Desk: social-media governance for council clerks."""
