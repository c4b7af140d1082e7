"""Hand-crafted showcase people: every status, exemption and Reset situation on a day."""

from __future__ import annotations

from datetime import date, timedelta

from probation_reset.sample.generator.distributions import DISTRIBUTIONS as D
from probation_reset.sample.generator.showcase_records import (
    ShowcaseDiary,
    event,
    months_after,
    registration,
    rosh,
    showcase_case,
)


def showcase_cases(as_of: date) -> list[dict[str, object]]:
    """Hand-crafted people covering every status, exemption and Reset situation on `as_of`.

    All dates are relative to `as_of` (which should be on or after 2025-04-01, a year into
    Reset, for the statuses named in the comments to hold). CRNs are S000001 upwards.
    """
    a = as_of
    days = timedelta
    cases: list[dict[str, object]] = []
    rar: list[dict[str, object]] = [{"type": "RAR", "days": 20}]
    reporting: list[dict[str, object]] = [{"type": "REPORTING"}, {"type": "RESIDENCE"}]

    # S000001 ACTIVE: RAR community order before its final third, medium RoSH.
    diary = ShowcaseDiary("S000001", a)
    start = a - days(120)
    diary.contact(start, "INDUCTION")
    diary.contact(start + days(10), "RMP_REVIEW", mode=None)
    diary.every(start + days(7), start + days(112), 7)
    diary.every(start + days(126), a + days(21), 14)
    events = [
        event(
            "1",
            "COMMUNITY_ORDER",
            start,
            months_after(start, 18) - days(1),
            entries=[*rar, {"type": "UPW", "hours": 100}],
        )
    ]
    cases.append(showcase_case(diary, events, [rosh("MEDIUM", start)], date(1990, 5, 17)))

    # S000002 SUSPENDED: licence in its final third (from as_of - 28) with its one contact
    # appointment there, after the conditions review and the RMP review before it.
    diary = ShowcaseDiary("S000002", a)
    start = a - days(270)
    final_third = start + days(242)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), start + days(112), 7)
    diary.every(start + days(126), final_third - days(1), 14)
    diary.contact(start + days(190), "LICENCE_CONDITIONS_REVIEW", mode=None)
    diary.contact(final_third - days(14), "RMP_REVIEW", mode=None)
    diary.contact(a - days(14), "APPOINTMENT")
    events = [
        event(
            "1",
            "LICENCE",
            start,
            start + days(364),
            entries=[*reporting, {"type": "NON_CONTACT"}],
        )
    ]
    cases.append(showcase_case(diary, events, [rosh("MEDIUM", start)], date(1985, 2, 3)))

    # S000003 NOT_APPLICABLE: an unpaid-work-only community order (no RAR, no Reset).
    diary = ShowcaseDiary("S000003", a)
    start = a - days(200)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(28), a, 28)
    events = [
        event(
            "1",
            "COMMUNITY_ORDER",
            start,
            months_after(start, 12) - days(1),
            entries=[{"type": "UPW", "hours": 150}],
        )
    ]
    cases.append(showcase_case(diary, events, [rosh("LOW", start)], date(1999, 11, 30)))

    # S000004 ENDED: a RAR order that ended 31 days before as_of.
    diary = ShowcaseDiary("S000004", a)
    end = a - days(31)
    start = end - days(364)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), start + days(242), 14)
    events = [event("1", "COMMUNITY_ORDER", start, end, entries=rar)]
    cases.append(showcase_case(diary, events, [rosh("LOW", start)], date(1978, 8, 8)))

    # S000005 EXEMPT, reinstated: RAR order suspended from its final third (as_of - 28),
    # then a MAPPA registration from as_of - 10 exempts it and contact starts again.
    diary = ShowcaseDiary("S000005", a)
    start = a - days(270)
    final_third = start + days(242)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), final_third - days(1), 14)
    diary.contact(final_third - days(20), "RMP_REVIEW", mode=None)
    diary.every(a - days(10), a + days(21), 14)
    events = [event("1", "COMMUNITY_ORDER", start, start + days(364), entries=rar)]
    registrations = [
        rosh("MEDIUM", start),
        registration("MAPPA", a - days(10), category=2, level=1),
    ]
    cases.append(showcase_case(diary, events, registrations, date(1982, 4, 21)))

    # S000006 ACTIVE with EXEMPT_MAPPA: licence before its final third; MAPPA category 1
    # rose from level 1 to level 2 at as_of - 120, home visit ten days later.
    diary = ShowcaseDiary("S000006", a)
    start = a - days(400)
    rise = a - days(120)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a + days(14), 14)
    diary.contact(rise + days(10), "HOME_VISIT")
    events = [event("1", "LICENCE", start, start + days(729), entries=reporting)]
    registrations = [
        rosh("MEDIUM", start - days(14)),
        registration("MAPPA", start - days(14), deregistered_on=rise, category=1, level=1),
        registration("MAPPA", rise, category=1, level=2),
    ]
    cases.append(showcase_case(diary, events, registrations, date(1970, 1, 12)))

    # S000007 EXEMPT_NSD: licence in its final third (from as_of - 14), managed by NSD.
    diary = ShowcaseDiary("S000007", a)
    start = a - days(500)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a + days(14), 14)
    events = [event("1", "LICENCE", start, start + days(729), entries=reporting)]
    registrations = [rosh("MEDIUM", start), registration("NSD", start - days(30))]
    cases.append(showcase_case(diary, events, registrations, date(1988, 6, 1)))

    # S000008 EXEMPT_VERY_HIGH_ROSH: licence in its final third (from as_of - 1); RoSH went
    # from HIGH to VERY_HIGH at as_of - 60, seen weekly since.
    diary = ShowcaseDiary("S000008", a)
    start = a - days(600)
    raised = a - days(60)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), raised - days(1), 7)
    diary.every(raised, a + days(14), 7)
    diary.every(start + days(30), a, 91, "HOME_VISIT")
    events = [event("1", "LICENCE", start, start + days(899), entries=reporting)]
    registrations = [
        registration("ROSH", start - days(20), deregistered_on=raised, level="HIGH"),
        rosh("VERY_HIGH", raised),
    ]
    cases.append(showcase_case(diary, events, registrations, date(1975, 3, 9)))

    # S000009 ACTIVE, high RoSH: suspended sentence order with RAR, seen face to face weekly.
    diary = ShowcaseDiary("S000009", a)
    start = a - days(150)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), a + days(14), 7)
    diary.every(start + days(30), a, 91, "HOME_VISIT")
    events = [
        event(
            "1",
            "SUSPENDED_SENTENCE_ORDER",
            start,
            start + days(729),
            entries=[*rar, {"type": "ACCREDITED_PROGRAMME"}],
        )
    ]
    registrations = [rosh("HIGH", start - days(10)), registration("DOMESTIC_ABUSE", start)]
    cases.append(showcase_case(diary, events, registrations, date(1993, 9, 25)))

    # S000010 EXEMPT_CHILD_PROTECTION_PLAN: SSO with RAR in its final third (from as_of - 58);
    # child concerns are recorded too (never an exemption).
    diary = ShowcaseDiary("S000010", a)
    start = a - days(300)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a + days(14), 14)
    diary.every(start + days(45), a, 91, "HOME_VISIT")
    events = [event("1", "SUSPENDED_SENTENCE_ORDER", start, start + days(364), entries=rar)]
    registrations = [
        rosh("MEDIUM", start),
        registration("CHILD_PROTECTION", start - days(30)),
        registration("CHILD_CONCERNS", start - days(30)),
    ]
    cases.append(showcase_case(diary, events, registrations, date(1991, 12, 2)))

    # S000011 EXEMPT_ISC: RAR and DRR order in its final third (from as_of - 88), ISC pilot.
    diary = ShowcaseDiary("S000011", a)
    start = a - days(330)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a + days(14), 14)
    events = [
        event(
            "1",
            "COMMUNITY_ORDER",
            start,
            start + days(364),
            entries=[*rar, {"type": "DRR"}],
        )
    ]
    registrations = [rosh("LOW", start), registration("ISC", start)]
    cases.append(showcase_case(diary, events, registrations, date(1996, 7, 14)))

    # S000012 EXEMPT_YOUTH_SENTENCE: a youth RAR order in its final third (from as_of - 8).
    diary = ShowcaseDiary("S000012", a)
    start = a - days(250)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a + days(14), 14)
    events = [event("1", "COMMUNITY_ORDER", start, start + days(364), entries=rar, youth=True)]
    birth = months_after(start, -12 * 18) - days(100)
    cases.append(showcase_case(diary, events, [rosh("LOW", start)], birth))

    # S000013 SUSPENDED in PSS: a six-month licence, then PSS to release + 12 months.
    diary = ShowcaseDiary("S000013", a)
    start = a - days(270)
    end = months_after(start, 6) - days(1)
    final_third = start + days((2 * (end - start).days) // 3)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), final_third - days(1), 7)
    diary.contact(start + days((end - start).days // 2 + 3), "LICENCE_CONDITIONS_REVIEW", mode=None)
    diary.contact(final_third - days(10), "RMP_REVIEW", mode=None)
    diary.contact(final_third + days(20), "APPOINTMENT")
    events = [
        event(
            "1",
            "LICENCE",
            start,
            end,
            entries=reporting,
            pss_end=months_after(start, D.pss_end_months_after_release),
        )
    ]
    cases.append(showcase_case(diary, events, [rosh("LOW", start)], date(2001, 10, 10)))

    # S000014 SUSPENDED, no fixed abode: RAR order in its final third (from as_of - 58);
    # NFA since as_of - 40, checking in every three weeks.
    diary = ShowcaseDiary("S000014", a)
    start = a - days(300)
    final_third = start + days(242)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), final_third - days(1), 14)
    diary.contact(final_third - days(7), "RMP_REVIEW", mode=None)
    diary.every(a - days(38), a + days(14), 21, "CHECK_IN", mode="TELEPHONE")
    events = [event("1", "COMMUNITY_ORDER", start, start + days(364), entries=rar)]
    registrations = [rosh("MEDIUM", start), registration("NO_FIXED_ABODE", a - days(40))]
    cases.append(showcase_case(diary, events, registrations, date(1980, 2, 29)))

    # S000015 ACTIVE with EXEMPT_MAPPA: life licence (no end date, no final third) released
    # nine years ago; contacts of the last two years only.
    diary = ShowcaseDiary("S000015", a)
    start = months_after(a, -108)
    diary.every(a - days(730), a + days(14), 28)
    events = [event("1", "LICENCE", start, None, entries=reporting)]
    registrations = [
        rosh("MEDIUM", start),
        registration("MAPPA", start, category=2, level=1),
    ]
    cases.append(showcase_case(diary, events, registrations, date(1965, 4, 4)))

    # S000016 ENDED, not started: released in ten days, induction booked on the day.
    diary = ShowcaseDiary("S000016", a)
    start = a + days(10)
    diary.contact(start, "INDUCTION")
    events = [
        event(
            "1",
            "LICENCE",
            start,
            months_after(start, 24) - days(1),
            entries=reporting,
        )
    ]
    cases.append(showcase_case(diary, events, [rosh("LOW", a - days(20))], date(1994, 1, 1)))

    # S000017 SUSPENDED by PR1 key date: the computed final third starts at as_of + 164, but
    # NDelius holds a probation reset date of as_of - 3; one appointment is booked.
    diary = ShowcaseDiary("S000017", a)
    start = a - days(200)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a - days(4), 14)
    diary.contact(a + days(10), "APPOINTMENT")
    events = [
        event(
            "1",
            "LICENCE",
            start,
            start + days(547),
            entries=reporting,
            probation_reset_date=a - days(3),
        )
    ]
    cases.append(showcase_case(diary, events, [rosh("LOW", start)], date(1987, 7, 7)))

    # S000018 ENDED by recall: licence terminated at as_of - 40.
    diary = ShowcaseDiary("S000018", a)
    start = a - days(150)
    recalled = a - days(40)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), recalled - days(1), 7)
    events = [
        event(
            "1",
            "LICENCE",
            start,
            start + days(729),
            entries=[*reporting, {"type": "DRUG_TESTING"}],
            terminated_on=recalled,
        )
    ]
    cases.append(showcase_case(diary, events, [rosh("MEDIUM", start)], date(1992, 3, 3)))

    # S000019 ACTIVE with two events: a licence in its final third (from as_of - 58) and a
    # new RAR order before its final third, so contact goes on.
    diary = ShowcaseDiary("S000019", a)
    start = a - days(300)
    order_start = a - days(60)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(14), a - days(61), 14)
    diary.contact(order_start, "INDUCTION", event_id="2")
    diary.every(order_start + days(7), a + days(14), 7, event_id="2")
    events = [
        event("1", "LICENCE", start, start + days(364), entries=reporting),
        event(
            "2",
            "COMMUNITY_ORDER",
            order_start,
            months_after(order_start, 12) - days(1),
            entries=rar,
        ),
    ]
    cases.append(showcase_case(diary, events, [rosh("MEDIUM", start)], date(1989, 10, 19)))

    # S000020 SUSPENDED: tagged curfew licence in its final third (from as_of - 21), risk to
    # self: EM/curfew review, safety plan, RMP and conditions reviews done beforehand.
    diary = ShowcaseDiary("S000020", a)
    start = a - days(240)
    final_third = start + days(219)
    diary.contact(start, "INDUCTION")
    diary.every(start + days(7), final_third - days(1), 7)
    diary.contact(start + days(170), "LICENCE_CONDITIONS_REVIEW", mode=None)
    diary.contact(final_third - days(14), "RMP_REVIEW", mode=None)
    diary.contact(final_third - days(10), "EM_CURFEW_REVIEW", mode=None)
    diary.contact(final_third - days(7), "SAFETY_PLAN", mode=None)
    diary.contact(final_third + days(7), "APPOINTMENT")
    events = [
        event(
            "1",
            "LICENCE",
            start,
            start + days(329),
            entries=[*reporting, {"type": "CURFEW"}, {"type": "EM"}],
        )
    ]
    registrations = [rosh("MEDIUM", start), registration("RISK_TO_SELF", start - days(5))]
    cases.append(showcase_case(diary, events, registrations, date(1997, 5, 5)))
    return cases
