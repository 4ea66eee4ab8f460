"""Where each platform's password is changed, for the Rotate dialog's "Open security settings"."""

from __future__ import annotations

from clerk_desk.models import Account

#: Where each platform's password is changed; anything else opens the account's own address.
SECURITY_PAGES = {
    "facebook": "https://accountscenter.facebook.com/password_and_security",
    "instagram": "https://accountscenter.instagram.com/password_and_security",
    "threads": "https://accountscenter.instagram.com/password_and_security",
    "x": "https://x.com/settings/password",
    "twitter": "https://x.com/settings/password",
    "youtube": "https://myaccount.google.com/signinoptions/password",
    "linkedin": "https://www.linkedin.com/mypreferences/d/change-password",
    "tiktok": "https://www.tiktok.com/setting",
    "nextdoor": "https://nextdoor.co.uk/settings/",
    "bluesky": "https://bsky.app/settings/account",
    "flickr": "https://www.flickr.com/account",
}


def security_page(account: Account) -> str | None:
    """The web page where the account's password is changed."""
    page = SECURITY_PAGES.get(account.platform.strip().casefold())
    if page is None and account.platform.strip().casefold() == "mastodon" and account.url:
        from urllib.parse import urlsplit

        host = urlsplit(account.url).netloc
        page = f"https://{host}/auth/edit" if host else None
    return page or account.url
