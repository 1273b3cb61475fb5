"""All tables of the planner, for every phase (DESIGN §2–§5)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, UniqueConstraint
from sqlmodel import Field, SQLModel

from planner.db import utcnow


def _fk(target: str, *, optional: bool = False, on_delete: str = "CASCADE") -> Any:
    """A foreign key (deleting the target deletes this row, unless on_delete says otherwise)."""
    if optional:
        return Field(default=None, foreign_key=target, index=True, ondelete=on_delete)
    return Field(foreign_key=target, index=True, ondelete=on_delete)


def _json_list() -> Any:
    return Field(default_factory=list, sa_type=JSON)


def _when(**kwargs: Any) -> Any:
    return Field(sa_type=DateTime(timezone=True), **kwargs)


class Tracked(SQLModel):
    """Columns every mutable table carries: optimistic-lock version and timestamps."""

    version: int = 1
    created_at: datetime = _when(default_factory=utcnow)
    updated_at: datetime = _when(default_factory=utcnow)


class Plan(Tracked, table=True):
    __tablename__ = "plan"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    organisation: str = ""
    sector: str = ""
    horizon_start: date | None = None
    horizon_end: date | None = None
    description: str = ""
    narrative: str = ""
    archived: bool = False
    origin: str = ""  # template | demo | clone | import
    revision: int = 0


class CulturalElement(Tracked, table=True):
    __tablename__ = "cultural_element"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    key: str
    position: int = 0
    name: str
    summary: str = ""
    guidance: str = ""
    optional: bool = False
    enabled: bool = True


class ElementQuestion(Tracked, table=True):
    __tablename__ = "element_question"
    id: int | None = Field(default=None, primary_key=True)
    element_id: int = _fk("cultural_element.id")
    position: int = 0
    text: str
    source: str = "planner"  # deck | planner | plan


class ContextItem(Tracked, table=True):
    __tablename__ = "context_item"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    category: str
    title: str
    detail: str = ""
    implication: str = ""
    source: str = ""
    priority: str = "medium"  # high | medium | low
    element_keys: list[str] = _json_list()
    position: int = 0


class SurveyRound(Tracked, table=True):
    __tablename__ = "survey_round"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    name: str
    held_on: date | None = None
    status: str = "open"  # open | closed


class SurveyResponse(Tracked, table=True):
    __tablename__ = "survey_response"
    __table_args__ = (UniqueConstraint("round_id", "participant_hash"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _fk("survey_round.id")
    participant_hash: str
    group_key: str


class SurveyRating(Tracked, table=True):
    __tablename__ = "survey_rating"
    __table_args__ = (UniqueConstraint("response_id", "element_id"),)
    id: int | None = Field(default=None, primary_key=True)
    response_id: int = _fk("survey_response.id")
    element_id: int = _fk("cultural_element.id")
    score: int


class SurveyComment(Tracked, table=True):
    __tablename__ = "survey_comment"
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _fk("survey_round.id")
    response_id: int | None = _fk("survey_response.id", optional=True)
    element_id: int | None = _fk("cultural_element.id", optional=True, on_delete="SET NULL")
    group_key: str = ""
    text: str


class SurveyTally(Tracked, table=True):
    """Imported aggregate results (e.g. a staff survey): how many in a group gave a score."""

    __tablename__ = "survey_tally"
    __table_args__ = (UniqueConstraint("round_id", "element_id", "group_key", "score"),)
    id: int | None = Field(default=None, primary_key=True)
    round_id: int = _fk("survey_round.id")
    element_id: int = _fk("cultural_element.id")
    group_key: str
    score: int
    count: int = 0


class LeadershipTier(Tracked, table=True):
    __tablename__ = "leadership_tier"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    key: str
    name: str
    description: str = ""
    position: int = 0


class BandMapping(Tracked, table=True):
    __tablename__ = "band_mapping"
    __table_args__ = (UniqueConstraint("plan_id", "band"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    tier_id: int = _fk("leadership_tier.id")
    band: str


class Capability(Tracked, table=True):
    __tablename__ = "capability"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    key: str
    name: str
    description: str = ""
    kind: str = "individual"  # individual | collective
    source: str = "plan"  # hlm | deck | dpic | plan
    active: bool = True
    position: int = 0


class CapabilityRating(Tracked, table=True):
    __tablename__ = "capability_rating"
    __table_args__ = (UniqueConstraint("capability_id", "tier_id", "assessor"),)
    id: int | None = Field(default=None, primary_key=True)
    capability_id: int = _fk("capability.id")
    tier_id: int = _fk("leadership_tier.id")
    assessor: str = "Leadership team"
    required: int | None = None  # 0 not in place, 1 Essential … 4 Exemplary
    current: int | None = None
    importance: int | None = None  # 1 low, 2 medium, 3 high
    evidence: str = ""


class WorkforceAggregate(Tracked, table=True):
    __tablename__ = "workforce_aggregate"
    __table_args__ = (UniqueConstraint("plan_id", "tier_id", "dimension", "category"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    tier_id: int = _fk("leadership_tier.id")
    dimension: str  # gender | ethnicity | staff_group | disability | age_band | …
    category: str
    count: int = 0


class WorkforceBenchmark(Tracked, table=True):
    __tablename__ = "workforce_benchmark"
    __table_args__ = (UniqueConstraint("plan_id", "label", "dimension", "category"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    label: str = "Whole workforce"
    dimension: str
    category: str
    count: int = 0


class LeadershipQuality(Tracked, table=True):
    __tablename__ = "leadership_quality"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    tier_id: int | None = _fk("leadership_tier.id", optional=True, on_delete="SET NULL")  # None: every tier
    name: str
    description: str = ""
    strength: int | None = None  # 1 … 5, how present the quality is today
    evidence: str = ""
    position: int = 0


class Priority(Tracked, table=True):
    __tablename__ = "priority"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    capability_id: int | None = _fk("capability.id", optional=True, on_delete="SET NULL")
    title: str
    rationale: str = ""
    rank: int = 0
    target_level: int | None = None  # 1 Essential … 4 Exemplary
    target_date: date | None = None
    element_keys: list[str] = _json_list()


class Objective(Tracked, table=True):
    __tablename__ = "objective"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    priority_id: int | None = _fk("priority.id", optional=True, on_delete="SET NULL")
    capability_id: int | None = _fk("capability.id", optional=True, on_delete="SET NULL")
    tier_id: int | None = _fk("leadership_tier.id", optional=True, on_delete="SET NULL")  # diversity targets
    title: str
    metric: str = ""
    baseline: str = ""
    target: str = ""
    due: date | None = None
    owner: str = ""
    level: str = "organisation"  # board | organisation | directorate | team | individual
    status: str = "not_started"  # not_started | on_track | at_risk | achieved | dropped
    agreed_by: str = ""
    agreed_on: date | None = None
    element_keys: list[str] = _json_list()
    position: int = 0


class Means(Tracked, table=True):
    __tablename__ = "means"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    priority_id: int | None = _fk("priority.id", optional=True, on_delete="SET NULL")
    capability_id: int | None = _fk("capability.id", optional=True, on_delete="SET NULL")
    mode: str  # acquire | develop | sustain
    status: str = "planned"  # current | planned
    approach: str
    description: str = ""
    intervention_key: str = ""
    cost: int = 0  # pounds sterling
    lead_time_months: int = 0
    reach: int = 0  # leaders reached
    owner: str = ""
    tier_keys: list[str] = _json_list()
    position: int = 0


class Intervention(Tracked, table=True):
    __tablename__ = "intervention"
    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(unique=True)
    name: str
    kind: str  # leadership_development | organisation_development | culture_shaping
    od_focus: str = ""  # culture | teams | boundary_spanning | collaboration | dialogue
    modes: list[str] = _json_list()
    element_keys: list[str] = _json_list()
    description: str = ""
    audience: str = ""
    typical_duration_months: int = 0
    typical_cost_gbp: int = 0


class Initiative(Tracked, table=True):
    __tablename__ = "initiative"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    intervention_key: str = ""
    title: str
    kind: str = "leadership_development"  # as Intervention.kind
    od_focus: str = ""
    description: str = ""
    owner: str = ""
    sponsor: str = ""
    start: date | None = None
    end: date | None = None
    budget: int = 0
    audience: str = ""
    tier_keys: list[str] = _json_list()
    participants: int = 0
    status: str = "planned"  # planned | in_progress | at_risk | paused | done | cancelled
    percent_complete: int = 0
    element_keys: list[str] = _json_list()
    position: int = 0


class InitiativeLink(Tracked, table=True):
    """What an initiative delivers: one row per linked means, priority, objective or capability."""

    __tablename__ = "initiative_link"
    id: int | None = Field(default=None, primary_key=True)
    initiative_id: int = _fk("initiative.id")
    means_id: int | None = _fk("means.id", optional=True)
    priority_id: int | None = _fk("priority.id", optional=True)
    objective_id: int | None = _fk("objective.id", optional=True)
    capability_id: int | None = _fk("capability.id", optional=True)


class Milestone(Tracked, table=True):
    __tablename__ = "milestone"
    id: int | None = Field(default=None, primary_key=True)
    initiative_id: int = _fk("initiative.id")
    title: str
    due: date | None = None
    done: bool = False
    done_on: date | None = None


class CheckIn(Tracked, table=True):
    __tablename__ = "check_in"
    id: int | None = Field(default=None, primary_key=True)
    initiative_id: int = _fk("initiative.id")
    checked_on: date
    rag: str = "green"  # green | amber | red
    percent_complete: int = 0
    note: str = ""
    author: str = ""


class ShareLink(Tracked, table=True):
    __tablename__ = "share_link"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    round_id: int | None = _fk("survey_round.id", optional=True)
    token_hash: str = Field(unique=True)
    role: str  # viewer | editor | participant
    label: str = ""
    created_by: str = ""
    expires_at: datetime | None = _when(default=None)
    revoked_at: datetime | None = _when(default=None)
    last_used_at: datetime | None = _when(default=None)


class PlanMember(Tracked, table=True):
    """A signed-in person's role on a plan (hosted mode with OpenID Connect sign-in)."""

    __tablename__ = "plan_member"
    __table_args__ = (UniqueConstraint("plan_id", "email"),)
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    email: str = Field(index=True)
    role: str  # editor | viewer


class Snapshot(Tracked, table=True):
    __tablename__ = "snapshot"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = _fk("plan.id")
    label: str
    revision: int = 0
    created_by: str = ""
    data: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class AuditEvent(SQLModel, table=True):
    """Append-only: who did what, when, with the row before and after."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    plan_id: int | None = Field(default=None, index=True)  # no FK: outlives a deleted plan
    at: datetime = _when(default_factory=utcnow, index=True)
    actor: str = ""
    role: str = ""
    action: str
    entity: str = ""
    entity_id: int | None = None
    before: dict[str, Any] | None = Field(default=None, sa_type=JSON)
    after: dict[str, Any] | None = Field(default=None, sa_type=JSON)
