"""Build seed_data/demo_plan.json: the demo plan for the fictional Northshire Health NHS Foundation Trust.

Run from the project root:  python seed_data/build_demo.py

The plan starts from the framework (planner.framework.framework_document) and adds a full
Discovery → Design → Development story. Content is the fixed data below; survey answers and
participant hashes come from random.Random(2026), so every run writes the same bytes.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from planner.document import SKIPPED, TREE  # noqa: E402
from planner.framework import _append, framework_document  # noqa: E402
from planner.initiatives import derive_status  # noqa: E402

OUTPUT = ROOT / "seed_data" / "demo_plan.json"
SEED = 2026

Records = dict[str, list[dict[str, Any]]]
Refs = dict[str, dict[str, str]]

PLAN = {
    "name": "Northshire Health leadership strategy 2026–2029",
    "organisation": "Northshire Health NHS Foundation Trust",
    "sector": "Acute and community care",
    "horizon_start": "2026-04-01",
    "horizon_end": "2029-03-31",
    "description": (
        "Demo plan for a fictional trust: Northshire Health's three-year collective leadership strategy, "
        "taken through Discovery, Design and Development. It holds two culture pulse rounds, a capability "
        "assessment across five leadership tiers, a WRES-style workforce analysis and a portfolio of "
        "initiatives with progress to November 2026."
    ),
    "narrative": (
        "Northshire Health exists to give the 620,000 people of Northshire outstanding care, every time. "
        "Our 7,800 staff at Northshire General, Eastbrook and in our community teams do that every day, "
        "often under great pressure: the elective backlog is longer than it has ever been, urgent care is "
        "stretched and our integrated care system must live within its means. In 2025 the CQC rated us "
        "'requires improvement' for well-led, and our staff told us, through the NHS Staff Survey and our "
        "own pulse surveys, that they feel less engaged and less heard than colleagues elsewhere. The board "
        "sees the organisation more positively than the front line does; closing that gap comes first.\n\n"
        "We put quality first, and we believe quality is created by leadership of all, by all and together "
        "with all. This strategy does not rely on a few heroic leaders. It sets out the individual and "
        "collective capabilities we need (compassion and inclusion, improvement skills, engaging teams, "
        "working across boundaries, and a board that leads improvement visibly) and how we will acquire, "
        "develop and sustain them. Our leaders will come to reflect the colleagues and communities they "
        "serve, and they will put the success of care across Northshire at least equal to the success of "
        "their own service. We will report our progress openly and learn as we go."
    ),
    "archived": False,
}

# --- Discovery: strategic context ------------------------------------------------------------

CONTEXT = [
    (
        "strategy",
        "Northshire 2030: Better care, together",
        "The board's five-year strategy sets three goals: outstanding quality and safety, a great place to "
        "work, and a trusted partner in a healthier Northshire.",
        "Leaders at every level must translate the three goals into team objectives that staff recognise.",
        "Board strategy 2025",
        "high",
        ["vision", "objectives"],
    ),
    (
        "strategy",
        "Clinical strategy: two hospitals, one service",
        "Specialties at Northshire General and Eastbrook are to become single cross-site services, with a "
        "planned-care hub at Eastbrook and emergency care concentrated at Northshire General.",
        "Clinical and operational leaders need to lead teams that span sites and share waiting lists.",
        "Clinical strategy 2025–2030",
        "high",
        ["teams", "objectives"],
    ),
    (
        "strategy",
        "People plan 2025–2028",
        "Commits to retention, flexible working, a fair and inclusive employment experience and a "
        "leadership offer for every manager.",
        "The leadership strategy is the delivery vehicle for the people plan's leadership commitments.",
        "Trust people plan 2025",
        "medium",
        ["people", "equity"],
    ),
    (
        "vision",
        "Outstanding care, every time, for every person in Northshire",
        "The trust vision adopted in 2025. The spring 2026 pulse shows front-line staff rate vision and "
        "strategy at 2.9 out of 5, against 4.2 from the board.",
        "The vision has not yet travelled beyond the board: leaders need a shared narrative they can tell.",
        "Board strategy 2025",
        "high",
        ["vision", "voice"],
    ),
    (
        "vision",
        "Zero avoidable harm by 2029",
        "The quality strategy aims to eliminate avoidable harm, halve falls with harm and learn "
        "systematically from every serious incident.",
        "Zero harm needs improvement skills and a just, learning culture led from ward to board.",
        "Quality strategy 2025–2029",
        "high",
        ["learning", "vision"],
    ),
    (
        "mission",
        "Caring for our communities with compassion, and always improving",
        "Mission and values refreshed with 2,000 staff: Compassion, Respect, Improvement, Together.",
        "Values-based recruitment, appraisal and leadership development should use the same four values.",
        "Trust values refresh, 2024",
        "medium",
        ["people", "equity"],
    ),
    (
        "mission",
        "A diverse, ageing and partly deprived population",
        "Northshire has 620,000 residents; 21% are over 65, coastal wards are among the most deprived in "
        "England and 16% of Northshire town's residents are from ethnic minority groups.",
        "Leaders must hear from communities that use services differently and reflect them in decisions.",
        "Northshire joint strategic needs assessment 2025",
        "medium",
        ["voice", "equity"],
    ),
    (
        "challenges",
        "CQC rated well-led as requires improvement",
        "Inspectors found limited board oversight of learning from incidents, leaders less visible at "
        "Eastbrook and in community services, and a 'top-down' culture in some divisions.",
        "Board-led improvement and visible, collective leadership are now regulatory as well as cultural priorities.",
        "CQC inspection report, 2025",
        "high",
        ["vision", "learning"],
    ),
    (
        "challenges",
        "Staff engagement below average",
        "Staff engagement score 6.6 out of 10 against a national average of 6.8 for acute and community "
        "trusts; 52% say they are able to make improvements happen in their area.",
        "Leaders must engage teams, remove obstacles and put staff in charge of service change.",
        "NHS Staff Survey 2025",
        "high",
        ["people", "voice"],
    ),
    (
        "challenges",
        "Black and minority ethnic staff under-represented in senior roles",
        "27% of the workforce but 6% of the board and 11% of senior and executive leaders are from Black "
        "and minority ethnic (BME) backgrounds; white applicants are 1.62 times as likely as BME applicants "
        "to be appointed from shortlisting.",
        "Inclusive leadership, fair recruitment and a diverse talent pipeline are core to this strategy.",
        "WRES report 2025",
        "high",
        ["equity"],
    ),
    (
        "challenges",
        "Elective backlog and urgent care pressure",
        "58,000 patients are waiting for planned care, 2,140 of them for over 52 weeks; four-hour "
        "emergency department performance averaged 68% in 2025–26.",
        "Recovery depends on leaders working across sites and teams rather than defending their own area.",
        "Integrated performance report, March 2026",
        "high",
        ["objectives", "teams"],
    ),
    (
        "challenges",
        "Vacancies and an ageing senior leadership",
        "Vacancy rate 8.4% (registered nursing 9.7%); 30% of board, executive and senior leaders are aged "
        "55 or over and few roles have a ready successor.",
        "Talent management and succession planning must build a larger and more diverse pipeline.",
        "Workforce report, Q4 2025–26",
        "medium",
        ["people", "equity"],
    ),
    (
        "political",
        "Northshire and Downs integrated care system",
        "The integrated care board's joint forward plan asks providers to share services, reduce "
        "unwarranted variation and move care closer to home within a system financial recovery plan.",
        "Senior leaders need system leadership skills and the mandate to act for the system, not only the trust.",
        "ICB joint forward plan 2025",
        "high",
        ["teams"],
    ),
    (
        "political",
        "National shift from hospital to community",
        "National policy moves care from hospital to community, from analogue to digital and from "
        "sickness to prevention, with neighbourhood health teams at its core.",
        "Community services leaders and clinicians will lead across organisational boundaries more often.",
        "10 Year Health Plan for England, 2025",
        "medium",
        ["vision", "teams"],
    ),
    (
        "political",
        "Financial recovery and national oversight",
        "The trust is in segment 3 of the NHS Oversight Framework with an £18m deficit plan for 2026–27.",
        "Leadership development must show value for money and be protected from short-term cuts.",
        "NHS England oversight letter, 2025",
        "medium",
        ["objectives"],
    ),
    (
        "opportunities",
        "Acute provider collaborative",
        "A collaborative with Southmoor Hospitals and Western Vale University Hospitals to share clinical "
        "networks, corporate services and leadership development.",
        "Joint programmes and peer partnerships can raise capability faster and at lower cost.",
        "Provider collaborative memorandum, 2025",
        "medium",
        ["teams", "learning"],
    ),
    (
        "opportunities",
        "University partnership and new medical school",
        "Northshire University's medical school takes its first students in 2027 and offers joint "
        "clinical academic posts.",
        "Clinical leadership fellowships and research can strengthen improvement and clinical leadership.",
        "University partnership agreement 2025",
        "low",
        ["learning"],
    ),
]

# --- Discovery: culture diagnostic -----------------------------------------------------------

ELEMENT_KEYS = ["vision", "objectives", "people", "voice", "learning", "teams", "equity"]

# Mean score per group, in ELEMENT_KEYS order, for the spring round.
GROUP_MEANS = {
    "board": (4.1, 3.8, 3.9, 3.9, 3.6, 3.6, 3.5),
    "senior": (3.7, 3.5, 3.4, 3.3, 3.2, 3.1, 3.1),
    "manager": (3.3, 3.1, 3.1, 3.0, 2.8, 3.0, 2.8),
    "front_line": (2.9, 2.9, 2.8, 2.8, 2.4, 2.8, 2.4),
    "patient": (3.0, 2.9, 3.2, 2.6, 3.0, 2.8, 2.9),
    "partner": (3.1, 3.0, 3.0, 2.9, 3.0, 2.4, 3.0),
}

ROUNDS = [
    {
        "name": "Baseline pulse — spring 2026",
        "held_on": "2026-05-12",
        "uplift": {},
        "counts": {"board": 6, "senior": 7, "manager": 9, "front_line": 13, "patient": 5, "partner": 5},
        "comments": [
            ("front_line", "voice", "We get asked for our views but nothing seems to change on the ward."),
            ("front_line", "learning", "After an incident we fill in the form and never hear anything back."),
            ("front_line", "people", "My manager is great but she covers two wards and is never off the floor."),
            ("front_line", "equity", "The same faces get the acting-up opportunities every time."),
            ("front_line", "vision", "I couldn't tell you the trust vision. I know our ward's goals, though."),
            ("front_line", "teams", "Eastbrook feels like a different organisation from Northshire General."),
            ("manager", "objectives", "Too many priorities from the top. Everything is urgent, so nothing is."),
            ("manager", "learning", "I'd love my team to do QI training but I can't release anyone."),
            ("manager", "people", "Appraisals have become a tick-box; there's no time for a proper conversation."),
            ("senior", "teams", "Divisions compete for resources rather than solve problems together."),
            ("senior", "equity", "Our senior team doesn't look like the workforce we lead."),
            ("board", "vision", "We have a clear strategy. The challenge is making it real on the wards."),
            ("patient", "voice", "Complaints get a reply, but I'm not sure anything changes as a result."),
            ("patient", "people", "Staff are kind, but they are clearly run off their feet."),
            ("partner", "teams", "Discharge planning still feels like 'us and them' with social care."),
            ("partner", None, "Good individual relationships, but it depends on who you know."),
        ],
    },
    {
        "name": "Follow-up pulse — autumn 2026",
        "held_on": "2026-10-20",
        "uplift": {"vision": 0.3, "teams": 0.3, "voice": 0.1, "objectives": 0.1},
        "counts": {"board": 7, "senior": 8, "manager": 11, "front_line": 18, "patient": 6, "partner": 5},
        "comments": [
            ("front_line", "vision", "The 'Better care, together' sessions helped. I can see where my ward fits now."),
            ("front_line", "voice", "The listening events were good. Waiting to see what happens next."),
            ("front_line", "learning", "Still no feedback on incidents, though the new safety huddles help."),
            ("front_line", "equity", "The new leadership programme is open to everyone, which is a start."),
            ("front_line", "people", "Winter has started early and we're short again. Morale is low."),
            ("front_line", "teams", "The joint rota with the Eastbrook team has made a real difference."),
            ("manager", "learning", "I've started the QI practitioner course; it's practical and useful."),
            ("manager", "objectives", "Our team objectives are clearer since the divisional coaching."),
            ("manager", "people", "Leading Northshire has given me time to think about how I lead."),
            ("senior", "teams", "Triumvirate coaching has changed how we talk to each other."),
            ("senior", "equity", "Reverse mentoring has been uncomfortable in a good way."),
            ("board", "voice", "Walkrounds are telling us things our board papers never did."),
            ("patient", "voice", "I was invited onto the patient partners group and it feels genuine."),
            ("partner", "teams", "The system leadership programme is bringing the right people into the room."),
            ("partner", None, "Decisions are still slow when things cross organisational lines."),
        ],
    },
]

# --- Discovery: capabilities -----------------------------------------------------------------

TIER_KEYS = ["board", "executive", "senior", "middle", "first_line"]

# Capability key → (required by tier, current by tier, importance), tiers in TIER_KEYS order.
# Levels: 0 not in place, 1 Essential … 4 Exemplary. Importance: 1 low, 2 medium, 3 high; the six
# priority capabilities are high. Where a tier needs only Essential, importance there is one lower.
CAPABILITY_RATINGS = {
    "inspiring_shared_purpose": ((4, 4, 3, 3, 2), (3, 3, 3, 2, 2), 2),
    "leading_with_care": ((3, 3, 3, 3, 2), (3, 3, 2, 3, 2), 2),
    "evaluating_information": ((4, 3, 3, 2, 2), (3, 3, 2, 2, 1), 1),
    "connecting_our_service": ((3, 4, 3, 3, 2), (3, 3, 2, 2, 2), 1),
    "sharing_the_vision": ((4, 4, 3, 2, 2), (4, 3, 2, 2, 1), 2),
    "engaging_the_team": ((3, 4, 4, 3, 3), (3, 3, 2, 2, 2), 3),
    "holding_to_account": ((4, 4, 3, 3, 2), (3, 3, 3, 2, 2), 2),
    "developing_capability": ((3, 3, 3, 3, 2), (2, 2, 2, 2, 1), 2),
    "influencing_for_results": ((3, 4, 3, 2, 1), (3, 3, 3, 2, 1), 1),
    "shared_leadership": ((4, 4, 4, 3, 2), (3, 3, 2, 2, 1), 2),
    "interdependent_collaborative_leadership": ((4, 4, 4, 3, 2), (3, 3, 3, 2, 1), 2),
    "cross_boundary_system_leadership": ((4, 4, 4, 3, 1), (2, 3, 2, 1, 1), 3),
    "building_collective_leadership_culture": ((4, 4, 4, 3, 2), (3, 2, 2, 2, 1), 2),
    "board_led_improvement": ((4, 4, 3, 2, 1), (2, 3, 2, 2, 1), 3),
    "empowering_front_line_teams": ((3, 4, 4, 3, 3), (2, 3, 2, 2, 2), 2),
    "systems_leadership": ((4, 4, 3, 2, 1), (3, 3, 2, 1, 1), 2),
    "improvement_skills": ((3, 3, 3, 3, 2), (2, 2, 2, 1, 1), 3),
    "compassionate_inclusive_leadership": ((4, 4, 4, 3, 3), (3, 3, 2, 2, 2), 3),
    "talent_management": ((4, 4, 3, 2, 1), (3, 2, 2, 1, 0), 3),
}

LEADERSHIP_TEAM_EVIDENCE = {
    "inspiring_shared_purpose": {
        "board": "Strategy agreed unanimously; front-line staff rate vision 2.9 of 5 (pulse, spring 2026).",
        "middle": "Clinical leads speak about purpose in their specialty but rarely link it to the trust vision.",
    },
    "leading_with_care": {
        "senior": "Wellbeing conversations vary between divisions; sickness absence 5.6%.",
        "first_line": "Ward leaders praised for kindness in patient feedback; many report feeling burnt out.",
    },
    "evaluating_information": {
        "board": "Integrated performance report long and retrospective; CQC noted limited challenge on quality data.",
        "first_line": "Few first-line leaders use run charts or ward dashboards in huddles.",
    },
    "connecting_our_service": {
        "executive": "Strong within portfolios; weaker across portfolios on patient flow and discharge.",
        "middle": "Service managers at Eastbrook have little contact with counterparts at Northshire General.",
    },
    "sharing_the_vision": {
        "senior": "Divisional briefings on the strategy reached 40% of teams (communications audit 2026).",
    },
    "engaging_the_team": {
        "senior": "Staff Survey 2025: 46% say senior managers act on staff feedback.",
        "middle": "Team meetings often cancelled under pressure; engagement varies widely by division.",
        "first_line": "Wards whose leaders hold daily huddles score 0.4 higher on engagement.",
    },
    "holding_to_account": {
        "executive": "Accountability framework refreshed in 2025; divisional performance reviews are regular.",
        "first_line": "Appraisal completion 78% against a 90% target.",
    },
    "developing_capability": {
        "board": "No board development programme since 2022; the well-led review recommends one.",
        "middle": "Fewer than a third of middle leaders have had leadership development in three years.",
    },
    "influencing_for_results": {
        "executive": "Secured system capital for the Eastbrook planned-care hub.",
    },
    "shared_leadership": {
        "senior": "Decisions that divisions could take are escalated; CQC described a 'top-down' culture.",
        "first_line": "Front-line staff rarely lead service changes; 52% say they can make improvements happen.",
    },
    "interdependent_collaborative_leadership": {
        "senior": "Divisions compete for capital and staff; triumvirates work well in two of six divisions.",
    },
    "cross_boundary_system_leadership": {
        "board": "Board agenda mainly internal; partners rate cross-boundary working 2.4 of 5 (pulse, spring 2026).",
        "senior": "Few senior leaders hold joint roles or sit on place-based boards.",
        "middle": "Delayed discharges show weak joint working with social care at service level.",
    },
    "building_collective_leadership_culture": {
        "executive": "No leadership strategy before this plan; the leadership offer is fragmented across divisions.",
    },
    "board_led_improvement": {
        "board": "CQC 2025: the board did not consistently seek assurance on learning from incidents.",
        "executive": "Executive quality walkrounds lapsed in 2024–25 and restarted in April 2026.",
    },
    "empowering_front_line_teams": {
        "senior": "Improvement ideas from front-line teams wait months for approval.",
        "first_line": "Ward managers say they lack the time and authority to change rotas and processes.",
    },
    "systems_leadership": {
        "executive": (
            "The Chief Executive chairs the provider collaborative; other executives are less visible in the system."
        ),
    },
    "improvement_skills": {
        "middle": "140 staff trained in QI, few of them middle leaders; no shared improvement method before 2026.",
        "first_line": "QI practitioner places oversubscribed, but managers struggle to release staff.",
    },
    "compassionate_inclusive_leadership": {
        "senior": "BME share falls from 28% of first-line to 12% of senior leaders; WRES indicator 2 is 1.62.",
        "first_line": "BME staff more likely to report discrimination from a manager or colleague (WRES indicator 8).",
    },
    "talent_management": {
        "executive": "No succession plan for 5 of 7 executive director roles.",
        "middle": "Talent conversations depend on individual managers; no trust-wide talent review.",
        "first_line": "No talent conversations or development pathway for first-line leaders.",
    },
}

BOARD_SELF_EVIDENCE = {
    "board_led_improvement": "Quality committee reporting strengthened since the inspection.",
    "cross_boundary_system_leadership": "Chair and Chief Executive are active members of the ICS leadership group.",
    "compassionate_inclusive_leadership": "Each staff network now has a board champion.",
    "evaluating_information": "New integrated performance report introduced in January 2026.",
    "talent_management": "Board appraisals completed for all members in 2025–26.",
}

# --- Discovery: leadership workforce ---------------------------------------------------------

CATEGORIES = {
    "gender": ["Female", "Male"],
    "ethnicity": [
        "White",
        "Asian or Asian British",
        "Black or Black British",
        "Mixed",
        "Other ethnic group",
        "Not stated",
    ],
    "staff_group": [
        "Nursing and Midwifery Registered",
        "Medical and Dental",
        "Allied Health Professionals",
        "Administrative and Clerical",
        "Add Prof Scientific and Technic",
        "Healthcare Scientists",
        "Estates and Ancillary",
    ],
    "disability": ["Yes", "No", "Not declared"],
    "age_band": ["Under 35", "35-44", "45-54", "55 and over"],
}
BME = {"Asian or Asian British", "Black or Black British", "Mixed", "Other ethnic group"}

HEADCOUNT = {"board": 16, "executive": 14, "senior": 85, "middle": 420, "first_line": 1150}

# Tier → dimension → counts in CATEGORIES order.
WORKFORCE = {
    "board": {
        "gender": (7, 9),
        "ethnicity": (15, 1, 0, 0, 0, 0),
        "staff_group": (1, 2, 0, 13, 0, 0, 0),
        "disability": (1, 13, 2),
        "age_band": (0, 2, 6, 8),
    },
    "executive": {
        "gender": (7, 7),
        "ethnicity": (12, 1, 0, 0, 0, 1),
        "staff_group": (2, 2, 0, 10, 0, 0, 0),
        "disability": (0, 12, 2),
        "age_band": (0, 3, 7, 4),
    },
    "senior": {
        "gender": (52, 33),
        "ethnicity": (72, 6, 3, 1, 0, 3),
        "staff_group": (17, 18, 5, 40, 3, 2, 0),
        "disability": (3, 72, 10),
        "age_band": (2, 22, 38, 23),
    },
    "middle": {
        "gender": (268, 152),
        "ethnicity": (300, 68, 22, 8, 6, 16),
        "staff_group": (120, 180, 30, 60, 12, 10, 8),
        "disability": (16, 350, 54),
        "age_band": (35, 150, 160, 75),
    },
    "first_line": {
        "gender": (920, 230),
        "ethnicity": (800, 150, 130, 25, 17, 28),
        "staff_group": (640, 95, 150, 140, 50, 45, 30),
        "disability": (52, 960, 138),
        "age_band": (260, 390, 330, 170),
    },
}

# The whole workforce also has Additional Clinical Services (healthcare assistants and support
# workers), a staff group with no leadership roles.
BENCHMARK_LABEL = "Whole workforce"
BENCHMARK_TOTAL = 7800
BENCHMARK = {
    "gender": {"Female": 6006, "Male": 1794},
    "ethnicity": {
        "White": 5480,
        "Asian or Asian British": 1090,
        "Black or Black British": 760,
        "Mixed": 150,
        "Other ethnic group": 110,
        "Not stated": 210,
    },
    "staff_group": {
        "Nursing and Midwifery Registered": 2650,
        "Medical and Dental": 920,
        "Allied Health Professionals": 560,
        "Administrative and Clerical": 1480,
        "Add Prof Scientific and Technic": 150,
        "Healthcare Scientists": 120,
        "Estates and Ancillary": 240,
        "Additional Clinical Services": 1680,
    },
    "disability": {"Yes": 390, "No": 6420, "Not declared": 990},
    "age_band": {"Under 35": 2500, "35-44": 1900, "45-54": 1850, "55 and over": 1550},
}

# (name, description, strength 1–5, evidence, tier where it is especially sought or None for every tier)
QUALITIES = [
    (
        "Compassionate",
        "Pays attention to patients and colleagues, seeks to understand and acts to help.",
        4,
        "Inpatient survey 2025: 84% say staff treated them with kindness; strong themes in compliments.",
        None,
    ),
    (
        "Clinically credible",
        "Leads from deep clinical knowledge and is respected by professional colleagues.",
        4,
        "Most divisional and service leads are practising clinicians; low turnover of consultants.",
        "middle",
    ),
    (
        "Resilient under pressure",
        "Stays calm and keeps services safe through surges, strikes and winter.",
        4,
        "Services sustained through industrial action and record emergency demand in 2025–26.",
        "first_line",
    ),
    (
        "Open and honest",
        "Speaks up, welcomes challenge and is candid with patients when things go wrong.",
        3,
        "Duty of candour compliance 94%; Freedom to Speak Up concerns rising, a sign of growing trust.",
        "board",
    ),
    (
        "Curious about improvement",
        "Asks how care could be better and tests changes using data.",
        2,
        "Only 140 staff trained in QI; CQC found learning from incidents inconsistent.",
        None,
    ),
    (
        "Inclusive",
        "Makes everyone feel they belong and that opportunities are fair.",
        2,
        "WRES 2025: BME staff 27% of the workforce, 6% of the board; indicator 2 at 1.62.",
        None,
    ),
    (
        "Works across boundaries",
        "Puts the success of care across the system at least equal to their own area.",
        2,
        "Partners rate cross-boundary working 2.4 of 5; site loyalties strong between the two hospitals.",
        "senior",
    ),
    (
        "Develops others",
        "Coaches, gives feedback and creates opportunities for colleagues to grow.",
        2,
        "Appraisal completion 78%; few roles at Band 8D and above have a ready successor.",
        "executive",
    ),
]

# --- Design ----------------------------------------------------------------------------------

PRIORITIES = [
    {
        "_key": "inclusive",
        "capability": "compassionate_inclusive_leadership",
        "title": "Compassionate and inclusive leadership at every level",
        "target_level": 3,
        "target_date": "2028-03-31",
        "rationale": (
            "Front-line staff rate supportive people management 2.8 and equity 2.4 out of 5, against 3.8 "
            "and 3.5 from the board (spring 2026 pulse). BME representation falls from 28% of first-line "
            "leaders to 6% of the board, against 27% of the workforce (WRES indicators 1 and 9). Senior "
            "leaders are assessed at Proficient against Exemplary required."
        ),
        "element_keys": ["people", "equity", "voice"],
    },
    {
        "_key": "improvement",
        "capability": "improvement_skills",
        "title": "Improvement skills in every team",
        "target_level": 3,
        "target_date": "2029-03-31",
        "rationale": (
            "Learning and quality improvement is the lowest-rated element for front-line staff (2.4 of 5). "
            "Middle leaders are assessed at Essential against Strong required, and the CQC found learning "
            "from incidents inconsistent. Zero avoidable harm by 2029 depends on closing this gap."
        ),
        "element_keys": ["learning", "objectives"],
    },
    {
        "_key": "engagement",
        "capability": "engaging_the_team",
        "title": "Engaging teams and giving front-line staff a voice",
        "target_level": 3,
        "target_date": "2028-03-31",
        "rationale": (
            "Staff engagement is 6.6 against a national average of 6.8 (NHS Staff Survey 2025). The board "
            "rates patient and staff voice 1.1 points higher than front-line staff. Senior leaders are "
            "assessed at Proficient against Exemplary required for engaging the team."
        ),
        "element_keys": ["people", "voice"],
    },
    {
        "_key": "system",
        "capability": "cross_boundary_system_leadership",
        "title": "Leading across sites and the system",
        "target_level": 3,
        "target_date": "2029-03-31",
        "rationale": (
            "Partners rate team and cross-boundary working 2.4 of 5, their lowest score for any element. "
            "Middle leaders are assessed at Essential against Strong required and the board at Proficient "
            "against Exemplary. The clinical strategy and elective recovery need single cross-site services "
            "and joint work with ICS partners."
        ),
        "element_keys": ["teams", "vision"],
    },
    {
        "_key": "board",
        "capability": "board_led_improvement",
        "title": "A board that leads improvement visibly",
        "target_level": 3,
        "target_date": "2027-09-30",
        "rationale": (
            "The CQC rated well-led as requires improvement in 2025. The leadership team assesses the board "
            "at Proficient against Exemplary required for board-led improvement, while the board's "
            "self-assessment puts it one level higher: the same perception gap the pulse shows."
        ),
        "element_keys": ["vision", "learning"],
    },
    {
        "_key": "talent",
        "capability": "talent_management",
        "title": "A diverse leadership pipeline and succession",
        "target_level": 3,
        "target_date": "2028-03-31",
        "rationale": (
            "30% of board, executive and senior leaders are aged 55 or over and 5 of 7 executive director "
            "roles have no succession plan. Executives are assessed at Proficient against Exemplary "
            "required, and the pipeline must become more diverse to close the WRES gap."
        ),
        "element_keys": ["people", "equity"],
    },
]

OBJECTIVES = [
    {
        "_key": "wres9",
        "priority": "inclusive",
        "capability": "compassionate_inclusive_leadership",
        "title": "Close the gap between board and workforce BME representation (WRES indicator 9)",
        "metric": "Percentage-point gap between the BME share of voting board members and of the whole workforce",
        "baseline": "−20.8 points (1 of 16 board members, against 27.1% of the workforce; March 2026)",
        "target": "No more than −10 points by March 2029",
        "due": "2029-03-31",
        "owner": "Chair",
        "level": "board",
        "status": "on_track",
        "tier": "board",
        "agreed_by": "Board, 2026-06-25 meeting",
        "agreed_on": "2026-06-25",
        "element_keys": ["equity"],
    },
    {
        "_key": "wres1",
        "priority": "inclusive",
        "capability": "compassionate_inclusive_leadership",
        "title": "Raise BME representation among senior and executive leaders",
        "metric": "BME share of leaders at Band 8D and above, including very senior managers (WRES indicator 1)",
        "baseline": "11.1% (11 of 99 leaders; March 2026)",
        "target": "20% by March 2029",
        "due": "2029-03-31",
        "owner": "Chief People Officer",
        "level": "organisation",
        "status": "at_risk",
        "agreed_by": "People Committee, 2026-07-16 meeting",
        "agreed_on": "2026-07-16",
        "element_keys": ["equity"],
    },
    {
        "_key": "senior_bme",
        "priority": "inclusive",
        "capability": "compassionate_inclusive_leadership",
        "title": "Raise the BME share of the Senior tier",
        "metric": "BME share of senior leaders (Senior tier of the leadership workforce analysis)",
        "baseline": "11.8% (10 of 85 senior leaders; March 2026)",
        "target": "18% by March 2029",
        "due": "2029-03-31",
        "owner": "Chief People Officer",
        "level": "organisation",
        "status": "at_risk",
        "tier": "senior",
        "agreed_by": "People Committee, 2026-11-19 meeting",
        "agreed_on": "2026-11-19",
        "element_keys": ["equity"],
    },
    {
        "_key": "cil_dev",
        "priority": "inclusive",
        "capability": "compassionate_inclusive_leadership",
        "title": "Every first-line and middle leader completes compassionate and inclusive leadership development",
        "metric": "Share of leaders at Band 7 to Band 8C who have completed Leading Northshire",
        "baseline": "0% (first cohort started September 2026)",
        "target": "80% by March 2028",
        "due": "2028-03-31",
        "owner": "Director of Organisational Development",
        "level": "organisation",
        "status": "on_track",
        "agreed_by": "People Committee, 2026-07-16 meeting",
        "agreed_on": "2026-07-16",
        "element_keys": ["people", "equity"],
    },
    {
        "_key": "qi_capability",
        "priority": "improvement",
        "capability": "improvement_skills",
        "title": "Build improvement capability in every clinical team",
        "metric": "Staff trained to QI practitioner level, including every ward and team manager",
        "baseline": "140 staff (1.8% of the workforce; March 2026)",
        "target": "600 staff by March 2028",
        "due": "2028-03-31",
        "owner": "Director of Quality Improvement",
        "level": "organisation",
        "status": "on_track",
        "agreed_by": "Quality Committee, 2026-07-09 meeting",
        "agreed_on": "2026-07-09",
        "element_keys": ["learning"],
    },
    {
        "_key": "learning_score",
        "priority": "improvement",
        "capability": "improvement_skills",
        "title": "Front-line staff rate learning and quality improvement at 3.2 or more",
        "metric": "Mean pulse score for learning and quality improvement, front-line staff",
        "baseline": "2.4 of 5 (spring 2026 pulse)",
        "target": "3.2 of 5 by the autumn 2028 pulse",
        "due": "2028-10-31",
        "owner": "Chief Nurse",
        "level": "organisation",
        "status": "at_risk",
        "agreed_by": "",
        "agreed_on": None,
        "element_keys": ["learning", "voice"],
    },
    {
        "_key": "engagement",
        "priority": "engagement",
        "capability": "engaging_the_team",
        "title": "Raise staff engagement to the national average or better",
        "metric": "NHS Staff Survey staff engagement score (out of 10)",
        "baseline": "6.6 (2025 survey; national average 6.8)",
        "target": "6.9 in the 2028 survey",
        "due": "2029-03-31",
        "owner": "Chief People Officer",
        "level": "organisation",
        "status": "on_track",
        "agreed_by": "Board, 2026-06-25 meeting",
        "agreed_on": "2026-06-25",
        "element_keys": ["people", "voice"],
    },
    {
        "_key": "voice_gap",
        "priority": "engagement",
        "capability": "engaging_the_team",
        "title": "Halve the perception gap between board and front line on staff voice",
        "metric": "Difference between board and front-line mean pulse scores for patient and staff voice",
        "baseline": "1.1 points (spring 2026 pulse)",
        "target": "0.5 points or less by the autumn 2028 pulse",
        "due": "2028-10-31",
        "owner": "Director of Organisational Development",
        "level": "board",
        "status": "at_risk",
        "agreed_by": "Board, 2026-06-25 meeting",
        "agreed_on": "2026-06-25",
        "element_keys": ["voice"],
    },
    {
        "_key": "team_objectives",
        "priority": "engagement",
        "capability": "holding_to_account",
        "title": "Every team has agreed objectives, reviewed every quarter",
        "metric": "Share of teams with documented team objectives reviewed in the last quarter",
        "baseline": "38% (appraisal system audit, 2026)",
        "target": "90% by March 2028",
        "due": "2028-03-31",
        "owner": "Divisional directors",
        "level": "team",
        "status": "on_track",
        "agreed_by": "",
        "agreed_on": None,
        "element_keys": ["objectives", "teams"],
    },
    {
        "_key": "cross_site",
        "priority": "system",
        "capability": "cross_boundary_system_leadership",
        "title": "Run specialties as single cross-site services with joint clinical leadership",
        "metric": "Specialties with one cross-site waiting list and a joint clinical lead",
        "baseline": "3 of 18 specialties (March 2026)",
        "target": "12 of 18 by March 2028",
        "due": "2028-03-31",
        "owner": "Chief Operating Officer",
        "level": "directorate",
        "status": "on_track",
        "agreed_by": "Executive Management Committee",
        "agreed_on": "2026-06-10",
        "element_keys": ["teams", "objectives"],
    },
    {
        "_key": "system_leaders",
        "priority": "system",
        "capability": "systems_leadership",
        "title": "Develop system leaders with our ICS partners",
        "metric": "Senior leaders from the trust and partners completing the system leadership programme",
        "baseline": "0 (programme starts October 2026)",
        "target": "60 by March 2028",
        "due": "2028-03-31",
        "owner": "Director of Strategy and Partnerships",
        "level": "organisation",
        "status": "on_track",
        "agreed_by": "ICS Leadership Group",
        "agreed_on": "2026-09-08",
        "element_keys": ["teams"],
    },
    {
        "_key": "partner_score",
        "priority": "system",
        "capability": "cross_boundary_system_leadership",
        "title": "Partners rate cross-boundary working at 3.3 or more",
        "metric": "Mean pulse score for team and cross-boundary working, partner organisations",
        "baseline": "2.4 of 5 (spring 2026 pulse)",
        "target": "3.3 of 5 by the autumn 2028 pulse",
        "due": "2028-10-31",
        "owner": "Director of Strategy and Partnerships",
        "level": "organisation",
        "status": "on_track",
        "agreed_by": "",
        "agreed_on": None,
        "element_keys": ["teams"],
    },
    {
        "_key": "well_led_review",
        "priority": "board",
        "capability": "board_led_improvement",
        "title": "Complete an externally facilitated well-led review",
        "metric": "Review completed and action plan agreed by the board",
        "baseline": "Last review in 2022",
        "target": "Action plan agreed by October 2026",
        "due": "2026-10-31",
        "owner": "Chair",
        "level": "board",
        "status": "achieved",
        "agreed_by": "Board, 2026-04-30 meeting",
        "agreed_on": "2026-04-30",
        "element_keys": ["vision"],
    },
    {
        "_key": "walkrounds",
        "priority": "board",
        "capability": "board_led_improvement",
        "title": "Board and executive members walk round services every month",
        "metric": "Planned quality walkrounds completed, with actions closed within 60 days",
        "baseline": "45% completed (2025–26)",
        "target": "90% completed from April 2027",
        "due": "2027-04-30",
        "owner": "Chief Nurse",
        "level": "board",
        "status": "on_track",
        "agreed_by": "Board, 2026-06-25 meeting",
        "agreed_on": "2026-06-25",
        "element_keys": ["vision", "voice"],
    },
    {
        "_key": "cqc_well_led",
        "priority": "board",
        "capability": "board_led_improvement",
        "title": "Achieve a 'good' CQC rating for well-led",
        "metric": "CQC rating for the well-led key question",
        "baseline": "Requires improvement (2025)",
        "target": "Good at the next inspection, expected 2027–28",
        "due": "2028-09-30",
        "owner": "Chief Executive",
        "level": "board",
        "status": "on_track",
        "agreed_by": "Board, 2026-06-25 meeting",
        "agreed_on": "2026-06-25",
        "element_keys": ["vision", "learning"],
    },
    {
        "_key": "succession",
        "priority": "talent",
        "capability": "talent_management",
        "title": "Succession plans for every senior role",
        "metric": "Roles at Band 8D and above with at least one successor ready now or within two years",
        "baseline": "31% (March 2026)",
        "target": "75% by March 2028",
        "due": "2028-03-31",
        "owner": "Chief People Officer",
        "level": "organisation",
        "status": "at_risk",
        "agreed_by": "People Committee, 2026-07-16 meeting",
        "agreed_on": "2026-07-16",
        "element_keys": ["people"],
    },
    {
        "_key": "wres2",
        "priority": "talent",
        "capability": "talent_management",
        "title": "Equal chances of appointment from shortlisting (WRES indicator 2)",
        "metric": (
            "Relative likelihood of white applicants being appointed from shortlisting compared with BME "
            "applicants, Band 7 and above"
        ),
        "baseline": "1.62 (2025–26)",
        "target": "1.25 or lower by March 2028",
        "due": "2028-03-31",
        "owner": "Chief People Officer",
        "level": "organisation",
        "status": "not_started",
        "agreed_by": "",
        "agreed_on": None,
        "element_keys": ["equity"],
    },
]

MEANS = [
    {
        "_key": "panels",
        "mode": "acquire",
        "priority": "inclusive",
        "capability": "compassionate_inclusive_leadership",
        "approach": "Inclusive recruitment panels for Band 8A and above",
        "description": (
            "Trained panel members from staff networks on every senior shortlisting and interview panel, "
            "with de-biased job descriptions and reasons recorded for every decision."
        ),
        "intervention_key": "inclusive_recruitment_panels",
        "cost": 6000,
        "lead_time_months": 3,
        "reach": 120,
        "owner": "Head of Talent and Resourcing",
        "status": "planned",
        "tier_keys": ["executive", "senior", "middle"],
    },
    {
        "_key": "ned",
        "mode": "acquire",
        "priority": "inclusive",
        "capability": "compassionate_inclusive_leadership",
        "approach": "Diverse non-executive recruitment",
        "description": (
            "Search for the next four non-executive directors through community networks and a board "
            "apprentice scheme, with a shortlist that reflects Northshire's population."
        ),
        "intervention_key": "",
        "cost": 18000,
        "lead_time_months": 9,
        "reach": 4,
        "owner": "Chair",
        "status": "planned",
        "tier_keys": ["board"],
    },
    {
        "_key": "fellows",
        "mode": "acquire",
        "priority": "improvement",
        "capability": "improvement_skills",
        "approach": "Clinical leadership fellowships with Northshire University",
        "description": (
            "Six one-year fellowships a year for specialty doctors, nurses and allied health professionals, "
            "each leading a trust improvement priority."
        ),
        "intervention_key": "clinical_leadership_fellowships",
        "cost": 150000,
        "lead_time_months": 6,
        "reach": 18,
        "owner": "Director of Medical Education",
        "status": "planned",
        "tier_keys": ["first_line"],
    },
    {
        "_key": "joint_posts",
        "mode": "acquire",
        "priority": "system",
        "capability": "systems_leadership",
        "approach": "Joint leadership posts with system partners",
        "description": (
            "Jointly funded posts with the county council and primary care networks for frailty, "
            "discharge and children's services, accountable to both organisations."
        ),
        "intervention_key": "",
        "cost": 120000,
        "lead_time_months": 12,
        "reach": 4,
        "owner": "Director of Strategy and Partnerships",
        "status": "planned",
        "tier_keys": ["senior", "middle"],
    },
    {
        "_key": "first_line",
        "mode": "develop",
        "priority": "inclusive",
        "capability": "compassionate_inclusive_leadership",
        "approach": "Leading Northshire: first-line leader programme",
        "description": (
            "Nine-month programme on compassionate and inclusive leadership, coaching conversations and "
            "team huddles, for ward sisters, charge nurses, team leaders and specialty doctors."
        ),
        "intervention_key": "first_line_leader_programme",
        "cost": 180000,
        "lead_time_months": 6,
        "reach": 600,
        "owner": "Head of Leadership and Organisational Development",
        "status": "planned",
        "tier_keys": ["first_line"],
    },
    {
        "_key": "reverse",
        "mode": "develop",
        "priority": "inclusive",
        "capability": "compassionate_inclusive_leadership",
        "approach": "Reverse mentoring for the board and executive",
        "description": "Board and executive members mentored by BME, disabled and LGBT+ colleagues for a year.",
        "intervention_key": "reverse_mentoring",
        "cost": 10000,
        "lead_time_months": 3,
        "reach": 30,
        "owner": "Head of Equality, Diversity and Inclusion",
        "status": "planned",
        "tier_keys": ["board", "executive"],
    },
    {
        "_key": "qi",
        "mode": "develop",
        "priority": "improvement",
        "capability": "improvement_skills",
        "approach": "Quality improvement leadership training",
        "description": (
            "Practitioner-level training in the trust's improvement method, with a live project and "
            "coaching from the QI team."
        ),
        "intervention_key": "qi_leadership_training",
        "cost": 90000,
        "lead_time_months": 3,
        "reach": 450,
        "owner": "Head of Quality Improvement",
        "status": "current",
        "tier_keys": ["middle", "first_line"],
    },
    {
        "_key": "system",
        "mode": "develop",
        "priority": "system",
        "capability": "cross_boundary_system_leadership",
        "approach": "Cross-boundary system leadership programme",
        "description": (
            "A year-long programme for senior leaders from the trust and ICS partners, built around joint "
            "projects on frailty, discharge and children's mental health."
        ),
        "intervention_key": "system_leadership_programme",
        "cost": 70000,
        "lead_time_months": 6,
        "reach": 60,
        "owner": "Director of Strategy and Partnerships",
        "status": "planned",
        "tier_keys": ["executive", "senior"],
    },
    {
        "_key": "board_dev",
        "mode": "develop",
        "priority": "board",
        "capability": "board_led_improvement",
        "approach": "Board development programme",
        "description": (
            "Externally facilitated development on leading improvement from the board, using quality "
            "data, and board oversight of learning."
        ),
        "intervention_key": "board_development",
        "cost": 35000,
        "lead_time_months": 3,
        "reach": 16,
        "owner": "Director of Corporate Affairs",
        "status": "planned",
        "tier_keys": ["board"],
    },
    {
        "_key": "team_coaching",
        "mode": "develop",
        "priority": "engagement",
        "capability": "interdependent_collaborative_leadership",
        "approach": "Team coaching for divisional leadership teams",
        "description": (
            "Coaching for the six divisional triumvirates and the community services leadership team "
            "to agree shared objectives and ways of working."
        ),
        "intervention_key": "team_coaching",
        "cost": 45000,
        "lead_time_months": 3,
        "reach": 28,
        "owner": "Associate Director of Organisational Development",
        "status": "planned",
        "tier_keys": ["senior", "middle"],
    },
    {
        "_key": "listening",
        "mode": "sustain",
        "priority": "engagement",
        "capability": "engaging_the_team",
        "approach": "Northshire Conversations: yearly listening events",
        "description": (
            "Appreciative inquiry events across sites and shifts each spring, with a 'you said, together "
            "we will' report to the board."
        ),
        "intervention_key": "listening_events",
        "cost": 20000,
        "lead_time_months": 2,
        "reach": 400,
        "owner": "Director of Communications and Engagement",
        "status": "current",
        "tier_keys": ["board", "executive", "senior", "middle", "first_line"],
    },
    {
        "_key": "talent",
        "mode": "sustain",
        "priority": "talent",
        "capability": "talent_management",
        "approach": "Talent reviews and succession planning",
        "description": (
            "Yearly talent reviews in every division and succession plans for every role at Band 8D and "
            "above, with diversity of the successor pool reported to the People Committee."
        ),
        "intervention_key": "talent_management_succession",
        "cost": 25000,
        "lead_time_months": 6,
        "reach": 115,
        "owner": "Head of Talent and Resourcing",
        "status": "planned",
        "tier_keys": ["executive", "senior", "middle"],
    },
    {
        "_key": "walkrounds",
        "mode": "sustain",
        "priority": "board",
        "capability": "board_led_improvement",
        "approach": "Board and executive quality walkrounds",
        "description": (
            "Monthly walkrounds in pairs covering every ward and community team each year, with actions "
            "tracked in the integrated performance report."
        ),
        "intervention_key": "board_quality_walkrounds",
        "cost": 9000,
        "lead_time_months": 1,
        "reach": 30,
        "owner": "Chief Nurse",
        "status": "current",
        "tier_keys": ["board", "executive"],
    },
    {
        "_key": "recognition",
        "mode": "sustain",
        "priority": "improvement",
        "capability": "improvement_skills",
        "approach": "Recognition for improvement and innovation",
        "description": "Monthly recognition at the team brief and yearly Improvement Awards for staff-led change.",
        "intervention_key": "qi_recognition_scheme",
        "cost": 10000,
        "lead_time_months": 2,
        "reach": 600,
        "owner": "Head of Quality Improvement",
        "status": "current",
        "tier_keys": ["middle", "first_line"],
    },
]

# --- Development (status as at 25 November 2026) ---------------------------------------------

HLOD = "Head of Leadership and Organisational Development"
HEDI = "Head of Equality, Diversity and Inclusion"
HQI = "Head of Quality Improvement"
ADOD = "Associate Director of Organisational Development"
HTR = "Head of Talent and Resourcing"
DCA = "Director of Corporate Affairs"

INITIATIVES = [
    {
        "title": "Leading Northshire: first-line leader programme",
        "kind": "leadership_development",
        "intervention_key": "first_line_leader_programme",
        "priority": "inclusive",
        "means": "first_line",
        "capability": "compassionate_inclusive_leadership",
        "objectives": ["cil_dev", "engagement"],
        "description": (
            "Cohorts of 30 first-line leaders from both hospitals and community services, co-designed with "
            "front-line leaders, on compassionate and inclusive leadership and engaging teams."
        ),
        "owner": HLOD,
        "sponsor": "Chief People Officer",
        "start": "2026-09-01",
        "end": "2028-03-31",
        "budget": 180000,
        "audience": "First-line leaders: Band 7 and specialty doctors",
        "tier_keys": ["first_line"],
        "participants": 600,
        "status": "in_progress",
        "percent_complete": 20,
        "element_keys": ["people", "equity", "voice"],
        "milestones": [
            ("Programme co-designed with front-line leaders", "2026-07-31", "2026-07-24"),
            ("Cohort 1 starts (30 leaders)", "2026-09-15", "2026-09-15"),
            ("Cohorts 2 and 3 start", "2027-01-31", None),
            ("Independent evaluation of the first year", "2027-09-30", None),
        ],
        "check_ins": [
            ("2026-09-30", "green", 8, "Cohort 1 launched: 29 of 30 leaders attended day one.", HLOD),
            (
                "2026-10-28",
                "green",
                14,
                "Module on compassionate leadership well received; release from rotas is the main risk.",
                HLOD,
            ),
            (
                "2026-11-20",
                "amber",
                20,
                "Winter pressures: 6 of 30 missed module 3. Protected backfill agreed with divisional nurse directors.",
                HLOD,
            ),
        ],
    },
    {
        "title": "Reverse mentoring for the board and executive",
        "kind": "leadership_development",
        "intervention_key": "reverse_mentoring",
        "priority": "inclusive",
        "means": "reverse",
        "capability": "compassionate_inclusive_leadership",
        "objectives": ["wres1", "voice_gap"],
        "description": (
            "Eighteen board and executive members paired with mentors from the Race Equality, Disability "
            "and LGBT+ networks for a year."
        ),
        "owner": HEDI,
        "sponsor": "Chief Executive",
        "start": "2026-06-01",
        "end": "2027-05-31",
        "budget": 10000,
        "audience": "Board and executive members",
        "tier_keys": ["board", "executive"],
        "participants": 18,
        "status": "in_progress",
        "percent_complete": 50,
        "element_keys": ["equity", "voice"],
        "milestones": [
            ("Mentors recruited and trained (18 pairs)", "2026-06-30", "2026-07-08"),
            ("Mid-point reflection session with the board", "2026-11-12", "2026-11-12"),
            ("Pairs share their learning at a board development day", "2027-05-20", None),
        ],
        "check_ins": [
            ("2026-07-15", "amber", 15, "Mentor recruitment took longer than planned; 18 pairs now matched.", HEDI),
            ("2026-09-16", "green", 30, "All pairs have met at least twice.", HEDI),
            (
                "2026-11-18",
                "green",
                50,
                "Mid-point session held; the board agreed three actions on "
                "recruitment panels and acting-up opportunities.",
                HEDI,
            ),
        ],
    },
    {
        "title": "Inclusive recruitment panels for Band 8A and above",
        "kind": "leadership_development",
        "intervention_key": "inclusive_recruitment_panels",
        "priority": "inclusive",
        "means": "panels",
        "capability": "compassionate_inclusive_leadership",
        "objectives": ["wres2", "senior_bme"],
        "description": (
            "Train 40 panel members from staff networks and use inclusive panels for every senior appointment."
        ),
        "owner": HTR,
        "sponsor": "Chief People Officer",
        "start": "2027-01-04",
        "end": "2027-12-31",
        "budget": 6000,
        "audience": "Recruiting managers and panel members",
        "tier_keys": ["executive", "senior", "middle"],
        "participants": 120,
        "status": "planned",
        "percent_complete": 0,
        "element_keys": ["equity"],
        "milestones": [
            ("First 40 panel members trained", "2027-03-31", None),
            ("Inclusive panels used for all Band 8A+ appointments", "2027-06-30", None),
        ],
        "check_ins": [],
    },
    {
        "title": "WRES action plan 2026–27",
        "kind": "culture_shaping",
        "intervention_key": "wres_action_plan",
        "priority": "inclusive",
        "means": None,
        "capability": "compassionate_inclusive_leadership",
        "objectives": ["wres1", "wres2"],
        "description": (
            "Actions agreed with the Race Equality Network on recruitment, progression, disciplinary "
            "processes and access to development, reported to the board every six months."
        ),
        "owner": HEDI,
        "sponsor": "Chief People Officer",
        "start": "2026-07-01",
        "end": "2027-06-30",
        "budget": 15000,
        "audience": "All leaders, led with the Race Equality Network",
        "tier_keys": ["board", "executive", "senior", "middle", "first_line"],
        "participants": 1685,
        "status": "at_risk",
        "percent_complete": 35,
        "element_keys": ["equity"],
        "milestones": [
            ("WRES 2026 data published and action plan approved by the board", "2026-09-30", "2026-09-25"),
            ("Race Equality Network co-chairs join the People Committee", "2026-10-31", "2026-10-29"),
            ("Review of shortlisting to appointment, Band 7 and above", "2026-11-15", None),
            ("Interim report to the board", "2027-01-28", None),
        ],
        "check_ins": [
            ("2026-08-05", "green", 10, "Action plan drafted with the Race Equality Network.", HEDI),
            ("2026-09-30", "green", 25, "Board approved the plan; WRES indicator 2 worsened to 1.62.", HEDI),
            (
                "2026-11-19",
                "red",
                35,
                "Recruitment data extract delayed by the ESR upgrade; shortlisting "
                "review now due in January. Escalated to the People Committee.",
                HEDI,
            ),
        ],
    },
    {
        "title": "Northshire Improvement Practitioners: QI leadership training",
        "kind": "leadership_development",
        "intervention_key": "qi_leadership_training",
        "priority": "improvement",
        "means": "qi",
        "capability": "improvement_skills",
        "objectives": ["qi_capability", "learning_score"],
        "description": (
            "Cohorts of 40 ward managers, matrons, clinical leads and service managers learn the trust's "
            "improvement method while leading a live project."
        ),
        "owner": HQI,
        "sponsor": "Medical Director",
        "start": "2026-06-01",
        "end": "2027-11-30",
        "budget": 90000,
        "audience": "Ward managers, matrons, clinical leads and service managers",
        "tier_keys": ["middle", "first_line"],
        "participants": 240,
        "status": "in_progress",
        "percent_complete": 40,
        "element_keys": ["learning", "objectives"],
        "milestones": [
            ("Cohort 1 completes, each with a live improvement project", "2026-10-31", "2026-10-30"),
            ("Cohort 2 starts, including Eastbrook theatre teams", "2026-11-10", "2026-11-10"),
            ("Improvement showcase", "2027-03-18", None),
        ],
        "check_ins": [
            ("2026-07-01", "green", 10, "Cohort 1 under way with 40 participants.", HQI),
            ("2026-08-27", "green", 20, "Projects chosen: falls, discharge before noon, theatre start times.", HQI),
            ("2026-10-30", "green", 33, "Cohort 1 complete: 38 of 40 graduated and 31 projects are live.", HQI),
            ("2026-11-20", "green", 40, "Cohort 2 started; demand for places exceeds supply.", HQI),
        ],
    },
    {
        "title": "Clinical leadership fellowships",
        "kind": "leadership_development",
        "intervention_key": "clinical_leadership_fellowships",
        "priority": "improvement",
        "means": "fellows",
        "capability": "improvement_skills",
        "objectives": ["qi_capability"],
        "description": (
            "Six fellows a year, jointly with Northshire University, each leading an improvement priority "
            "with an executive mentor."
        ),
        "owner": "Director of Medical Education",
        "sponsor": "Medical Director",
        "start": "2027-02-01",
        "end": "2029-01-31",
        "budget": 150000,
        "audience": "Specialty doctors, nurses and allied health professionals",
        "tier_keys": ["first_line"],
        "participants": 12,
        "status": "planned",
        "percent_complete": 0,
        "element_keys": ["learning", "teams"],
        "milestones": [
            ("Fellowships approved and advertised with the university", "2027-01-15", None),
            ("First six fellows in post", "2027-08-04", None),
        ],
        "check_ins": [],
    },
    {
        "title": "Launch of the improvement recognition scheme",
        "kind": "culture_shaping",
        "intervention_key": "qi_recognition_scheme",
        "priority": "improvement",
        "means": "recognition",
        "capability": "improvement_skills",
        "objectives": ["learning_score"],
        "description": (
            "Set up monthly recognition at the team brief and the first yearly Improvement Awards, then "
            "hand the scheme to business as usual."
        ),
        "owner": HQI,
        "sponsor": "Chief Nurse",
        "start": "2026-05-01",
        "end": "2026-10-31",
        "budget": 10000,
        "audience": "All staff and teams",
        "tier_keys": ["middle", "first_line"],
        "participants": 74,
        "status": "done",
        "percent_complete": 100,
        "element_keys": ["learning", "people"],
        "milestones": [
            ("Nominations open", "2026-06-01", "2026-05-28"),
            ("First monthly recognition at the team brief", "2026-07-03", "2026-07-03"),
            ("First Improvement Awards", "2026-10-22", "2026-10-22"),
        ],
        "check_ins": [
            ("2026-06-10", "green", 30, "Nominations open; 22 received in the first fortnight.", HQI),
            ("2026-08-12", "green", 65, "Monthly recognition running; judging panel includes patients.", HQI),
            (
                "2026-10-29",
                "green",
                100,
                "Awards held: 74 nominations, 40% from Eastbrook and community "
                "teams. Scheme handed to business as usual.",
                HQI,
            ),
        ],
    },
    {
        "title": "Northshire Conversations: listening events",
        "kind": "organisation_development",
        "od_focus": "dialogue",
        "intervention_key": "listening_events",
        "priority": "engagement",
        "means": "listening",
        "capability": "engaging_the_team",
        "objectives": ["engagement", "voice_gap"],
        "description": (
            "Appreciative inquiry events on both hospital sites, community bases and night shifts, asking "
            "what great care and leadership look like here."
        ),
        "owner": "Director of Communications and Engagement",
        "sponsor": "Chief Executive",
        "start": "2026-05-01",
        "end": "2026-09-30",
        "budget": 20000,
        "audience": "All staff, patients and partners",
        "tier_keys": ["board", "executive", "senior", "middle", "first_line"],
        "participants": 400,
        "status": "done",
        "percent_complete": 100,
        "element_keys": ["voice", "vision"],
        "milestones": [
            ("Questions co-designed with staff networks", "2026-05-20", "2026-05-19"),
            ("28 events across sites, community bases and night shifts", "2026-08-31", "2026-09-04"),
            ("'You said, together we will' report to the board", "2026-09-24", "2026-09-24"),
        ],
        "check_ins": [
            (
                "2026-06-03",
                "green",
                25,
                "First eight events held; strong attendance at Northshire General.",
                "Director of Communications and Engagement",
            ),
            (
                "2026-07-29",
                "amber",
                55,
                "Low attendance from community and night staff; six extra events "
                "added at community bases and at night.",
                "Director of Communications and Engagement",
            ),
            (
                "2026-09-30",
                "green",
                100,
                "1,900 staff and 140 patients and partners took part; themes feed the leadership strategy.",
                "Director of Communications and Engagement",
            ),
        ],
    },
    {
        "title": "Team coaching for divisional leadership teams",
        "kind": "organisation_development",
        "od_focus": "teams",
        "intervention_key": "team_coaching",
        "priority": "engagement",
        "means": "team_coaching",
        "capability": "interdependent_collaborative_leadership",
        "objectives": ["team_objectives"],
        "description": (
            "Team diagnostics and coaching for the six divisional triumvirates and the community services "
            "leadership team."
        ),
        "owner": ADOD,
        "sponsor": "Chief Operating Officer",
        "start": "2026-07-01",
        "end": "2027-03-31",
        "budget": 45000,
        "audience": "Divisional triumvirates and the community services leadership team",
        "tier_keys": ["senior", "middle"],
        "participants": 28,
        "status": "in_progress",
        "percent_complete": 55,
        "element_keys": ["teams", "objectives"],
        "milestones": [
            ("Team diagnostics completed for all seven teams", "2026-08-31", "2026-08-28"),
            ("Each team agrees shared objectives and ways of working", "2026-10-31", "2026-11-06"),
            ("Follow-up diagnostics and review", "2027-03-15", None),
        ],
        "check_ins": [
            ("2026-08-28", "green", 20, "Diagnostics complete; trust and role clarity are the common themes.", ADOD),
            ("2026-10-01", "green", 40, "Coaching sessions under way with all seven teams.", ADOD),
            ("2026-11-13", "green", 55, "All teams have agreed shared objectives; one a week late.", ADOD),
        ],
    },
    {
        "title": "Staff-led service change on pilot wards",
        "kind": "culture_shaping",
        "intervention_key": "staff_led_service_change",
        "priority": "engagement",
        "means": None,
        "capability": "empowering_front_line_teams",
        "objectives": ["engagement", "learning_score"],
        "description": (
            "Twelve ward and community teams choose and lead their own service change with protected time and a coach."
        ),
        "owner": "Deputy Chief Nurse",
        "sponsor": "Chief Nurse",
        "start": "2026-09-01",
        "end": "2027-08-31",
        "budget": 20000,
        "audience": "Twelve pilot ward and community teams",
        "tier_keys": ["first_line"],
        "participants": 12,
        "status": "paused",
        "percent_complete": 15,
        "element_keys": ["people", "voice", "learning"],
        "milestones": [
            ("Twelve pilot teams selected", "2026-09-30", "2026-09-29"),
            ("Each team agrees its first staff-led change", "2027-02-26", None),
            ("Pilot review and decision on roll-out", "2027-07-30", None),
        ],
        "check_ins": [
            (
                "2026-10-07",
                "green",
                10,
                "Twelve teams selected, half from Eastbrook and community services.",
                "Deputy Chief Nurse",
            ),
            (
                "2026-11-18",
                "amber",
                15,
                "Paused until February: the pilot wards are on winter escalation. Restart agreed with the Chief Nurse.",
                "Deputy Chief Nurse",
            ),
        ],
    },
    {
        "title": "Cross-boundary system leadership programme",
        "kind": "organisation_development",
        "od_focus": "boundary_spanning",
        "intervention_key": "system_leadership_programme",
        "priority": "system",
        "means": "system",
        "capability": "cross_boundary_system_leadership",
        "objectives": ["system_leaders", "partner_score"],
        "description": (
            "Sixty senior leaders from the trust, primary care, the county council and the voluntary sector "
            "learn together through joint projects."
        ),
        "owner": "Associate Director of Partnerships",
        "sponsor": "Director of Strategy and Partnerships",
        "start": "2026-10-01",
        "end": "2027-09-30",
        "budget": 70000,
        "audience": "Senior leaders from the trust and ICS partners",
        "tier_keys": ["senior"],
        "participants": 60,
        "status": "in_progress",
        "percent_complete": 10,
        "element_keys": ["teams", "vision"],
        "milestones": [
            ("Partners confirm 60 places across five organisations", "2026-09-15", "2026-09-18"),
            ("Launch event with ICB and council leaders", "2026-10-15", "2026-10-15"),
            ("Joint projects agreed: frailty, discharge, children's mental health", "2027-01-31", None),
        ],
        "check_ins": [
            ("2026-10-16", "green", 5, "Launch held with 58 of 60 participants.", "Associate Director of Partnerships"),
            (
                "2026-11-19",
                "green",
                10,
                "Project groups formed; the council has asked for ten more places in cohort 2.",
                "Associate Director of Partnerships",
            ),
        ],
    },
    {
        "title": "Cross-site specialty interface workshops",
        "kind": "organisation_development",
        "od_focus": "teams",
        "intervention_key": "interface_workshops",
        "priority": "system",
        "means": None,
        "capability": "cross_boundary_system_leadership",
        "objectives": ["cross_site"],
        "description": (
            "Facilitated workshops for the Northshire General and Eastbrook teams of eight specialties to "
            "agree how they will run as single services."
        ),
        "owner": ADOD,
        "sponsor": "Chief Operating Officer",
        "start": "2026-06-15",
        "end": "2026-11-13",
        "budget": 8000,
        "audience": "Clinical and operational leads of eight specialties",
        "tier_keys": ["senior", "middle"],
        "participants": 48,
        "status": "done",
        "percent_complete": 100,
        "element_keys": ["teams"],
        "milestones": [
            ("Workshops for orthopaedics, ophthalmology and general surgery", "2026-07-31", "2026-07-30"),
            ("Workshops for the remaining five specialties", "2026-10-31", "2026-11-05"),
            ("Cross-site operating principles signed off", "2026-11-13", "2026-11-13"),
        ],
        "check_ins": [
            ("2026-07-31", "green", 35, "First three specialties agreed shared rotas and waiting lists.", ADOD),
            ("2026-09-30", "amber", 60, "Two workshops postponed by industrial action; rebooked for October.", ADOD),
            ("2026-11-13", "green", 100, "All eight specialties done; six now run one cross-site waiting list.", ADOD),
        ],
    },
    {
        "title": "Joint leadership posts with system partners",
        "kind": "organisation_development",
        "od_focus": "collaboration",
        "intervention_key": "",
        "priority": "system",
        "means": "joint_posts",
        "capability": "systems_leadership",
        "objectives": ["partner_score"],
        "description": (
            "Four jointly funded leadership posts with the county council and primary care networks for "
            "frailty, discharge and children's services."
        ),
        "owner": "Director of Strategy and Partnerships",
        "sponsor": "Chief Executive",
        "start": "2027-04-01",
        "end": "2028-03-31",
        "budget": 120000,
        "audience": "Leaders of integrated services",
        "tier_keys": ["senior", "middle"],
        "participants": 4,
        "status": "planned",
        "percent_complete": 0,
        "element_keys": ["teams"],
        "milestones": [
            ("Job descriptions agreed with partners", "2027-02-26", None),
            ("First four joint posts appointed", "2027-07-30", None),
        ],
        "check_ins": [],
    },
    {
        "title": "Board development: leading improvement from the board",
        "kind": "leadership_development",
        "intervention_key": "board_development",
        "priority": "board",
        "means": "board_dev",
        "capability": "board_led_improvement",
        "objectives": ["well_led_review", "cqc_well_led"],
        "description": (
            "An externally facilitated well-led review followed by development days on quality data, "
            "improvement and oversight of learning."
        ),
        "owner": DCA,
        "sponsor": "Chief Executive",
        "start": "2026-06-01",
        "end": "2027-05-31",
        "budget": 35000,
        "audience": "Board members, with the executive team for joint sessions",
        "tier_keys": ["board", "executive"],
        "participants": 30,
        "status": "in_progress",
        "percent_complete": 45,
        "element_keys": ["vision", "learning"],
        "milestones": [
            ("Externally facilitated well-led review", "2026-09-30", "2026-10-02"),
            ("Board development day on leading improvement", "2026-11-05", "2026-11-05"),
            ("Improvement measures adopted in the board's integrated report", "2027-03-25", None),
        ],
        "check_ins": [
            ("2026-07-09", "green", 10, "Reviewers appointed; board interviews scheduled.", DCA),
            (
                "2026-10-08",
                "green",
                30,
                "Review reported: strengths in strategy, gaps in oversight of learning from incidents.",
                DCA,
            ),
            ("2026-11-12", "green", 45, "Development day held; the board chose three improvement measures.", DCA),
        ],
    },
    {
        "title": "Board and executive quality walkrounds",
        "kind": "culture_shaping",
        "intervention_key": "board_quality_walkrounds",
        "priority": "board",
        "means": "walkrounds",
        "capability": "board_led_improvement",
        "objectives": ["walkrounds", "cqc_well_led"],
        "description": (
            "Monthly walkrounds in pairs, covering every ward and community team each year, with actions "
            "tracked to completion."
        ),
        "owner": DCA,
        "sponsor": "Chief Nurse",
        "start": "2026-04-01",
        "end": "2029-03-31",
        "budget": 9000,
        "audience": "Board and executive members",
        "tier_keys": ["board", "executive"],
        "participants": 30,
        "status": "in_progress",
        "percent_complete": 20,
        "element_keys": ["vision", "voice", "learning"],
        "milestones": [
            ("Walkround schedule covers every ward and community team", "2026-04-30", "2026-04-28"),
            ("Walkround actions tracked in the integrated performance report", "2026-07-31", "2026-08-14"),
            ("First yearly review of walkround themes", "2027-04-29", None),
        ],
        "check_ins": [
            (
                "2026-05-28",
                "amber",
                5,
                "Only 4 of 9 planned walkrounds took place in May; diary time now protected.",
                DCA,
            ),
            ("2026-08-20", "green", 12, "Completion back to 80%; actions now tracked.", DCA),
            ("2026-11-19", "green", 20, "86% completed since August; Eastbrook and community teams covered.", DCA),
        ],
    },
    {
        "title": "Talent management and succession planning",
        "kind": "leadership_development",
        "intervention_key": "talent_management_succession",
        "priority": "talent",
        "means": "talent",
        "capability": "talent_management",
        "objectives": ["succession", "senior_bme"],
        "description": (
            "Yearly talent reviews in every division and succession plans for all roles at Band 8D and "
            "above, with the diversity of successor pools reported."
        ),
        "owner": HTR,
        "sponsor": "Chief People Officer",
        "start": "2026-09-01",
        "end": "2027-08-31",
        "budget": 25000,
        "audience": "Leaders at Band 8D and above and their potential successors",
        "tier_keys": ["executive", "senior", "middle"],
        "participants": 115,
        "status": "at_risk",
        "percent_complete": 20,
        "element_keys": ["people", "equity"],
        "milestones": [
            ("Talent review method agreed by the executive", "2026-09-30", "2026-10-14"),
            ("Talent reviews completed in all divisions", "2026-11-20", None),
            ("Succession plans for all executive director roles", "2027-03-31", None),
        ],
        "check_ins": [
            ("2026-10-01", "amber", 8, "Agreement of the review method slipped by two weeks.", HTR),
            (
                "2026-11-20",
                "red",
                20,
                "Only 3 of 7 divisions have held talent reviews and the successor pool "
                "is 9% BME. Recovery plan to the People Committee in December.",
                HTR,
            ),
        ],
    },
]


def _add(records: Records, table: str, rows: list[dict[str, Any]], positioned: bool = False) -> dict[str, str]:
    """Append rows to a table; return each row's local "_key" (when given) → its new ref."""
    start = len(records.get(table, []))
    clean = [{k: v for k, v in row.items() if k != "_key"} for row in rows]
    _append(records, table, clean, positioned=positioned)
    added = records[table][start:]
    return {row["_key"]: record["ref"] for row, record in zip(rows, added, strict=True) if "_key" in row}


def _refs_by_key(records: Records, table: str) -> dict[str, str]:
    return {record["key"]: record["ref"] for record in records[table]}


def _scores(rng: random.Random, mean: float, n: int) -> list[int]:
    """n scores from 1 to 5 whose mean is as close to `mean` as whole numbers allow."""
    scores = [min(5, max(1, round(rng.gauss(mean, 0.9)))) for _ in range(n)]
    target = round(mean * n)
    while sum(scores) != target:
        step = 1 if sum(scores) < target else -1
        i = rng.randrange(n)
        if 1 <= scores[i] + step <= 5:
            scores[i] += step
    return scores


def add_context(records: Records) -> None:
    """Strategic context items (Discovery)."""
    fields = ("category", "title", "detail", "implication", "source", "priority", "element_keys")
    _add(records, "context_item", [dict(zip(fields, item, strict=True)) for item in CONTEXT], positioned=True)


def add_survey(records: Records, refs: Refs, rng: random.Random) -> None:
    """Two closed pulse rounds with responses, a rating per element and comments."""
    for spec in ROUNDS:
        round_ref = _add(
            records,
            "survey_round",
            [{"_key": "round", "name": spec["name"], "held_on": spec["held_on"], "status": "closed"}],
        )["round"]
        groups = [group for group, count in spec["counts"].items() for _ in range(count)]
        rng.shuffle(groups)
        responses = [
            {"round_id": round_ref, "participant_hash": f"{rng.getrandbits(128):032x}", "group_key": g} for g in groups
        ]
        _add(records, "survey_response", responses)
        added = records["survey_response"][-len(responses) :]
        _add_ratings(records, refs, rng, added, spec["uplift"])
        _add_comments(records, refs, rng, added, spec["comments"])


def _add_ratings(
    records: Records, refs: Refs, rng: random.Random, responses: list[dict[str, Any]], uplift: dict[str, float]
) -> None:
    scores: dict[tuple[str, str], list[int]] = {}
    for group, means in GROUP_MEANS.items():
        members = [r for r in responses if r["group_key"] == group]
        for key, mean in zip(ELEMENT_KEYS, means, strict=True):
            scores[group, key] = _scores(rng, mean + uplift.get(key, 0.0), len(members))
    rows = [
        {"response_id": r["ref"], "element_id": refs["element"][key], "score": scores[r["group_key"], key].pop()}
        for r in responses
        for key in ELEMENT_KEYS
    ]
    _add(records, "survey_rating", rows)


def _add_comments(
    records: Records, refs: Refs, rng: random.Random, responses: list[dict[str, Any]], comments: list[tuple]
) -> None:
    rows = []
    for group, element, text in comments:
        response = rng.choice([r for r in responses if r["group_key"] == group])
        rows.append(
            {
                "round_id": response["round_id"],
                "response_id": response["ref"],
                "element_id": refs["element"][element] if element else None,
                "group_key": group,
                "text": text,
            }
        )
    _add(records, "survey_comment", rows)


def add_capability_ratings(records: Records, refs: Refs) -> None:
    """The leadership team's assessment of every capability at every tier, and the board's own view."""
    rows = [row for key in CAPABILITY_RATINGS for row in _team_ratings(refs, key)]
    rows += [_board_self_rating(refs, key) for key in CAPABILITY_RATINGS]
    _add(records, "capability_rating", rows)


def _team_ratings(refs: Refs, key: str) -> list[dict[str, Any]]:
    required, current, importance = CAPABILITY_RATINGS[key]
    evidence = LEADERSHIP_TEAM_EVIDENCE.get(key, {})
    return [
        _rating(refs, key, tier, "Leadership team", (need, have, max(1, importance - 1) if need == 1 else importance))
        | {"evidence": evidence.get(tier, "")}
        for tier, need, have in zip(TIER_KEYS, required, current, strict=True)
    ]


def _board_self_rating(refs: Refs, key: str) -> dict[str, Any]:
    # The board sees itself one level further on than the leadership team does.
    required, current, importance = CAPABILITY_RATINGS[key]
    levels = (required[0], min(required[0], current[0] + 1), importance)
    return _rating(refs, key, "board", "Board self-assessment", levels) | {"evidence": BOARD_SELF_EVIDENCE.get(key, "")}


def _rating(refs: Refs, key: str, tier: str, assessor: str, levels: tuple[int, int, int]) -> dict[str, Any]:
    required, current, importance = levels
    return {
        "capability_id": refs["capability"][key],
        "tier_id": refs["tier"][tier],
        "assessor": assessor,
        "required": required,
        "current": current,
        "importance": importance,
    }


# The figures above use ESR's categories; the planner stores them as an import would normalise them.
ETHNIC_GROUP = {
    "White": "White",
    "Asian or Asian British": "Asian",
    "Black or Black British": "Black",
    "Mixed": "Mixed",
    "Other ethnic group": "Other",
    "Not stated": "Not stated",
}
STAFF_GROUP = {
    "Medical and Dental": "Medical and dental",
    "Administrative and Clerical": "Non-clinical",
    "Estates and Ancillary": "Non-clinical",
}


def _normalised(dimension: str, counts: dict[str, int]) -> dict[tuple[str, str], int]:
    """ESR categories → the planner's dimensions and categories, summing what merges."""
    out: dict[tuple[str, str], int] = {}
    for category, count in counts.items():
        if dimension == "ethnicity":
            group = ETHNIC_GROUP[category]
            broad = group if group in ("White", "Not stated") else "BME"
            pairs = [("ethnicity", broad), ("ethnic_group", group)]
        elif dimension == "staff_group":
            pairs = [("staff_group", STAFF_GROUP.get(category, "Other clinical"))]
        else:
            pairs = [(dimension, category)]
        for pair in pairs:
            out[pair] = out.get(pair, 0) + count
    return out


def add_workforce(records: Records, refs: Refs) -> None:
    """Leadership headcounts by tier and dimension, and the whole-workforce benchmark."""
    rows = []
    for tier, dimensions in WORKFORCE.items():
        for dimension, counts in dimensions.items():
            assert sum(counts) == HEADCOUNT[tier], (tier, dimension)
            named = dict(zip(CATEGORIES[dimension], counts, strict=True))
            rows += [
                {"tier_id": refs["tier"][tier], "dimension": dim, "category": category, "count": count}
                for (dim, category), count in _normalised(dimension, named).items()
                if count
            ]
    _add(records, "workforce_aggregate", rows)
    benchmark = []
    for dimension, counts in BENCHMARK.items():
        assert sum(counts.values()) == BENCHMARK_TOTAL, dimension
        benchmark += [
            {"label": BENCHMARK_LABEL, "dimension": dim, "category": category, "count": count}
            for (dim, category), count in _normalised(dimension, counts).items()
        ]
    _add(records, "workforce_benchmark", benchmark)


def add_qualities(records: Records, refs: Refs) -> None:
    """Qualities the trust's leaders show today, how strongly, and the tier each is most sought at."""
    fields = ("name", "description", "strength", "evidence", "tier")
    rows = [_linked(dict(zip(fields, quality, strict=True)), refs) for quality in QUALITIES]
    _add(records, "leadership_quality", rows, positioned=True)


def _linked(row: dict[str, Any], refs: Refs) -> dict[str, Any]:
    """Replace local priority/means/capability/tier names with priority_id/means_id/capability_id/tier_id refs."""
    out = {k: v for k, v in row.items() if k not in ("priority", "means", "capability", "tier")}
    for name, table in (("priority", "priority"), ("means", "means"), ("capability", "capability"), ("tier", "tier")):
        if name in row:
            out[f"{name}_id"] = refs[table][row[name]] if row[name] else None
    return out


def add_design(records: Records, refs: Refs) -> None:
    """Priority capabilities, objectives and the means to acquire, develop and sustain them."""
    priorities = [{**_linked(p, refs), "rank": rank} for rank, p in enumerate(PRIORITIES, start=1)]
    refs["priority"] = _add(records, "priority", priorities)
    refs["objective"] = _add(records, "objective", [_linked(o, refs) for o in OBJECTIVES], positioned=True)
    refs["means"] = _add(records, "means", [_linked(m, refs) for m in MEANS], positioned=True)


def add_development(records: Records, refs: Refs) -> None:
    """Initiatives with what they deliver (links), their milestones and check-ins (Development)."""
    local = ("priority", "means", "capability", "objectives", "milestones", "check_ins")
    for spec in INITIATIVES:
        row = {k: v for k, v in spec.items() if k not in local}
        row.setdefault("od_focus", "")
        row |= _checked_status(spec["check_ins"])
        row["position"] = len(records.get("initiative", [])) + 1
        ref = _add(records, "initiative", [{**row, "_key": "new"}])["new"]
        _add(records, "initiative_link", _initiative_links(refs, ref, spec))
        _add(
            records,
            "milestone",
            [
                {"initiative_id": ref, "title": title, "due": due, "done": done_on is not None, "done_on": done_on}
                for title, due, done_on in spec["milestones"]
            ],
        )
        _add(
            records,
            "check_in",
            [
                {
                    "initiative_id": ref,
                    "checked_on": on,
                    "rag": rag,
                    "percent_complete": pct,
                    "note": note,
                    "author": who,
                }
                for on, rag, pct, note, who in spec["check_ins"]
            ],
        )


def _checked_status(check_ins: list[tuple[str, str, int, str, str]]) -> dict[str, Any]:
    """Status and % complete as the planner derives them from the latest check-in."""
    if not check_ins:
        return {"status": derive_status(None, None), "percent_complete": 0}
    _on, rag, percent, _note, _who = max(check_ins, key=lambda check_in: check_in[0])
    return {"status": derive_status(rag, percent), "percent_complete": percent}


LINK_TARGETS = ("means_id", "priority_id", "objective_id", "capability_id")


def _initiative_links(refs: Refs, initiative: str, spec: dict[str, Any]) -> list[dict[str, Any]]:
    """One initiative_link row per means, priority, objective and capability the initiative delivers."""
    targets = [("means_id", refs["means"][spec["means"]])] if spec["means"] else []
    targets.append(("priority_id", refs["priority"][spec["priority"]]))
    targets += [("objective_id", refs["objective"][key]) for key in spec["objectives"]]
    targets.append(("capability_id", refs["capability"][spec["capability"]]))
    return [{"initiative_id": initiative, **dict.fromkeys(LINK_TARGETS), column: target} for column, target in targets]


def _complete(records: Records) -> None:
    """Give every record every exported column, in table order, filling defaults; refuse unknown fields.

    plan_document exports each column of each table, so a complete record is what makes
    the file and its export → import → export round trip identical.
    """
    for model, _owner in TREE:
        table = model.__table__  # type: ignore[attr-defined]
        columns = [c.name for c in table.columns if c.name not in SKIPPED]
        for index, record in enumerate(records.get(table.name, [])):
            unknown = set(record) - {"ref", *columns}
            if unknown:
                raise ValueError(f"{record['ref']}: not columns of {table.name}: {', '.join(sorted(unknown))}")
            complete = {"ref": record["ref"]}
            for name in columns:
                complete[name] = record[name] if name in record else _default(model, name)
            records[table.name][index] = complete


def _default(model: Any, name: str) -> Any:
    field = model.model_fields[name]
    if field.default_factory is not None:
        return field.default_factory()
    if field.is_required():
        raise ValueError(f"{model.__tablename__}.{name} has no default: give it in the demo data")
    return field.default


def build() -> dict[str, Any]:
    """The complete demo plan document."""
    document = framework_document(PLAN["name"])
    document["plan"] = dict(PLAN)
    records: Records = document["records"]
    for capability in records["capability"]:
        capability.setdefault("active", True)
    refs: Refs = {
        "element": _refs_by_key(records, "cultural_element"),
        "tier": _refs_by_key(records, "leadership_tier"),
        "capability": _refs_by_key(records, "capability"),
    }
    rng = random.Random(SEED)
    add_context(records)
    add_survey(records, refs, rng)
    add_capability_ratings(records, refs)
    add_workforce(records, refs)
    add_qualities(records, refs)
    add_design(records, refs)
    add_development(records, refs)
    order = [model.__tablename__ for model, _ in TREE]  # type: ignore[attr-defined]
    document["records"] = {table: records.get(table, []) for table in order}
    _complete(document["records"])
    return document


def main() -> None:
    """Write seed_data/demo_plan.json."""
    text = json.dumps(build(), indent=1, ensure_ascii=False) + "\n"
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"Wrote {OUTPUT.relative_to(ROOT)} ({len(text):,} characters).")


if __name__ == "__main__":
    main()
