"""A small, realistic council for a first look (``clerk-desk demo``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from clerk_desk.elections import demo as election_demo
from clerk_desk.errors import ClerkDeskError
from clerk_desk.incidents import demo as incident_demo
from clerk_desk.models import Account, AccountStatus, Person, Role, TwoFactor, TwoFactorCodes
from clerk_desk.register import accounts, people
from clerk_desk.register import settings as council_settings

DOMAIN = "littleashcombe-tc.gov.uk"


def fill(session: Session, today: date, clerk_login: str | None) -> tuple[int, int]:
    """Add the demo council to an empty database; returns (people, accounts) added. The clerk's login is
    set to ``clerk_login`` so whoever runs the demo acts as the clerk."""
    existing = session.execute(select(func.count()).select_from(Person)).scalar_one()
    existing += session.execute(select(func.count()).select_from(Account)).scalar_one()
    if existing:
        raise ClerkDeskError(
            "The demo fills only an empty database; this one already has people or accounts."
        )

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    council_settings.update(
        session,
        {
            "council_name": "Little Ashcombe Town Council",
            "email_domains": DOMAIN,
            "rotation_days": "180",
            "policy_version": "2.1",
            "policy_adopted_on": ago(730).isoformat(),
            "policy_reviewed_on": ago(380).isoformat(),
            "review_interval_months": "12",
            "year_start_month": "5",
        },
    )
    staff = [
        people.PersonData("Zoë Hartley", Role.CLERK, f"clerk@{DOMAIN}", "Town Clerk", clerk_login, ago(2900)),
        people.PersonData(
            "Łukasz Nowak",
            Role.DEPUTY_CLERK,
            f"lukasz.nowak@{DOMAIN}",
            "Deputy Town Clerk",
            "lnowak",
            ago(1500),
        ),
        people.PersonData(
            "Nguyễn Thu Hà",
            Role.EMPLOYEE,
            f"thu.ha.nguyen@{DOMAIN}",
            "Communications Officer",
            "tnguyen",
            ago(700),
        ),
        people.PersonData(
            "Ayşe Ağca", Role.EMPLOYEE, f"ayse.agca@{DOMAIN}", "Events Assistant", "aagca", ago(1100), ago(40)
        ),
        people.PersonData(
            "Tom Beckett", Role.VOLUNTEER, "tom.beckett@example.org", "Heritage volunteer", None, ago(300)
        ),
        people.PersonData(
            "Cllr Margaret Oduya",
            Role.COUNCILLOR,
            f"cllr.oduya@{DOMAIN}",
            "Chair of Council",
            None,
            ago(1200),
        ),
        people.PersonData(
            "Cllr Peter Lomas", Role.COUNCILLOR, f"cllr.lomas@{DOMAIN}", "Councillor", None, ago(500)
        ),
        people.PersonData(
            "Priya Shah", Role.CONTRACTOR, "priya@shahdesign.example", "Website contractor", None, ago(200)
        ),
    ]
    for person in staff:
        people.save(session, person)
    clerk, deputy = "Zoë Hartley", "Łukasz Nowak"
    register = [
        accounts.AccountData(
            "Facebook",
            "@LittleAshcombeTC",
            AccountStatus.ACTIVE,
            "https://www.facebook.com/LittleAshcombeTC",
            "News, events and service updates for residents",
            f"socialmedia@{DOMAIN}",
            TwoFactor.APP,
            clerk,
            ago(1400),
            "Main channel for residents; agreed at full council",
            True,
            None,
            ago(60),
            ago(1400),
            recovery_email=f"clerk@{DOMAIN}",
            recovery_phone="01632 960 111",
            two_factor_codes=TwoFactorCodes.COUNCIL_DEVICE,
        ),
        accounts.AccountData(
            "X",
            "@AshcombeTC",
            AccountStatus.ACTIVE,
            "https://x.com/AshcombeTC",
            "Short notices: road closures, meeting reminders",
            f"socialmedia@{DOMAIN}",
            TwoFactor.SMS,
            clerk,
            ago(1300),
            "Reach residents who do not use Facebook",
            True,
            None,
            ago(230),
            ago(1300),
            two_factor_codes=TwoFactorCodes.PERSONAL_DEVICE,  # SMS codes to the clerk's own phone
        ),
        accounts.AccountData(
            "Instagram",
            "@littleashcombe",
            AccountStatus.ACTIVE,
            "https://www.instagram.com/littleashcombe",
            "Photos of events, parks and the market",
            f"socialmedia@{DOMAIN}",
            TwoFactor.NONE,
            deputy,
            ago(600),
            "Younger residents; events promotion",
            False,
            90,
            ago(50),
            ago(600),
        ),
        accounts.AccountData(
            "YouTube",
            "Little Ashcombe Council Meetings",
            AccountStatus.ACTIVE,
            "https://www.youtube.com/@LittleAshcombeCouncil",
            "Recordings of full council meetings",
            f"clerk@{DOMAIN}",
            TwoFactor.HARDWARE_KEY,
            clerk,
            ago(900),
            "Openness: meetings recorded under the Openness of Local Government Bodies Regulations 2014",
            True,
            None,
            ago(100),
            ago(900),
        ),
        accounts.AccountData(
            "Nextdoor",
            "Little Ashcombe Town Council",
            AccountStatus.SUSPENDED,
            "https://nextdoor.co.uk/agency-detail/little-ashcombe-town-council",
            "Neighbourhood notices",
            f"socialmedia@{DOMAIN}",
            TwoFactor.NOT_OFFERED,
            deputy,
            ago(800),
            "Street-level notices",
            True,
            None,
            ago(120),
            ago(800),
            suspended_from=ago(10),
            suspended_to=today + timedelta(days=21),
        ),
        accounts.AccountData(
            "LinkedIn",
            "Little Ashcombe Town Council",
            AccountStatus.ACTIVE,
            "https://www.linkedin.com/company/little-ashcombe-tc",
            "Job vacancies",
            f"hr@{DOMAIN}",
            TwoFactor.APP,
            None,
            None,
            None,
            True,
            None,
            ago(150),
            ago(2000),
        ),
        accounts.AccountData(
            "TikTok",
            "@ashcombeyouth",
            AccountStatus.PROPOSED,
            None,
            "Youth council outreach (proposal from the youth worker)",
            f"socialmedia@{DOMAIN}",
            None,
            None,
            None,
            "Reach 13–18 year olds for the youth council elections",
        ),
        accounts.AccountData(
            "Flickr",
            "ashcombe-archive",
            AccountStatus.CLOSED,
            "https://www.flickr.com/photos/ashcombe-archive",
            "Heritage photo archive (moved to the council website)",
            f"socialmedia@{DOMAIN}",
            TwoFactor.APP,
            clerk,
            ago(2400),
            "Heritage project",
            False,
            None,
            ago(500),
            ago(2400),
            ago(400),
        ),
    ]
    for account in register:
        accounts.save(session, account, today)
    _access(session, today, ago)
    incident_demo.fill(session)
    election_demo.fill(session, today)
    return len(staff), len(register)


def _access(session: Session, today: date, ago: Callable[[int], date]) -> None:
    """Keys, officers and acknowledgements, with the loose ends a real council has."""
    from clerk_desk.access import acknowledgements, officers
    from clerk_desk.access import grants as access
    from clerk_desk.models import AccessLevel

    clerk, deputy = "Zoë Hartley", "Łukasz Nowak"
    facebook, x, instagram = "Facebook:@LittleAshcombeTC", "X:@AshcombeTC", "Instagram:@littleashcombe"
    youtube = "YouTube:Little Ashcombe Council Meetings"
    grants = [
        access.GrantData(
            deputy,
            facebook,
            AccessLevel.MANAGE,
            "Shares access control with the clerk (Thornbury 9.1)",
            clerk,
            ago(1300),
        ),
        access.GrantData(
            "Nguyễn Thu Hà", facebook, AccessLevel.POST, "Posts news and events", clerk, ago(600)
        ),
        access.GrantData(
            "Nguyễn Thu Hà", instagram, AccessLevel.POST, "Posts photos of events", clerk, ago(590)
        ),
        access.GrantData(
            "Nguyễn Thu Hà", x, AccessLevel.POST, "Road closures and meeting notices", deputy, ago(580)
        ),
        # Left 40 days ago and never revoked: keyholder-left, and the password is due now.
        access.GrantData("Ayşe Ağca", instagram, AccessLevel.POST, "Events promotion", deputy, ago(900)),
        # A volunteer helping with the heritage open days: expires soon.
        access.GrantData(
            "Tom Beckett",
            facebook,
            AccessLevel.POST,
            "Heritage open days posts",
            clerk,
            ago(60),
            expires_on=today + timedelta(days=9),
        ),
        access.GrantData(
            "Priya Shah",
            youtube,
            AccessLevel.MANAGE,
            "Set up the channel's playlists",
            clerk,
            ago(190),
            revoked_on=ago(150),
            revoke_reason="Work finished",
        ),
    ]
    for grant in grants:
        access.save(session, grant, today)
    designations = [
        officers.OfficerData(clerk, (facebook, x, instagram, youtube), clerk, ago(1300)),
        officers.OfficerData(deputy, (facebook, x), clerk, ago(1200)),
        officers.OfficerData("Nguyễn Thu Hà", (facebook, instagram, x), clerk, ago(600)),
    ]
    for designation in designations:
        officers.save(session, designation, today)
    for name in (clerk, deputy, "Tom Beckett"):
        acknowledgements.save(
            session, acknowledgements.AcknowledgementData(name, "2.1", ago(700), ago(690)), today
        )
    acknowledgements.save(
        session, acknowledgements.AcknowledgementData("Nguyễn Thu Hà", "2.0", ago(900)), today
    )
