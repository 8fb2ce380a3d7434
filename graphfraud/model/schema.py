"""GraphFraud's property-graph schema, declared once.

Each node type has one key property (unique), a few indexed look-up properties, the
properties loaders may set, the source it comes from and that source's legal basis.
Relationship types name their endpoints. The Neo4j constraints in `cypher/schema.cypher`
and the embedded engine's indexes are generated from this module (see
`graphfraud.model.ddl`), and a test checks the file still agrees.

Dates are stored as ISO-8601 strings (`YYYY-MM-DD`, date-times in UTC with `Z`): they
sort and compare the same on both engines (see docs/cypher-dialects.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Legal basis of the data a node or relationship comes from. Supervision data falls under
# the GDPR (AVG); investigation data under the Police Data Act (Wpg).
SUPERVISION = "supervision"
INVESTIGATION = "investigation"
REGISTER = "register"
DERIVED = "derived"
LEGAL_BASES: dict[str, str] = {
    REGISTER: "Trade and excise registers (AVG, public task)",
    SUPERVISION: "Excise supervision data: EMCS, licences, retail checks, EPS (AVG)",
    INVESTIGATION: "Investigation data: tips, seizures (Wpg)",
    DERIVED: "Derived by GraphFraud from the above (findings, entity resolution)",
}

# Properties every node and relationship written by a loader carries.
PROVENANCE_PROPERTIES = ("sources", "deliveries", "legal_basis")


@dataclass(frozen=True)
class NodeType:
    """A node label with its key and the properties worth indexing."""

    label: str
    key: str
    description: str
    legal_basis: str
    properties: tuple[str, ...] = ()
    indexed: tuple[str, ...] = ()
    personal: tuple[str, ...] = ()  # properties that identify a natural person
    caption: str | None = None  # property shown as the node's name in the UI

    @property
    def display(self) -> str:
        return self.caption or self.key


@dataclass(frozen=True)
class RelType:
    """A relationship type; `start`/`end` name one label or several joined by `|`.

    `key` names properties that tell two relationships of the same type between the
    same nodes apart (e.g. a role)."""

    type: str
    start: str
    end: str
    description: str
    legal_basis: str
    properties: tuple[str, ...] = ()
    key: tuple[str, ...] = field(default_factory=tuple)
    single: bool = False  # at most one per start node: a new end replaces the old one

    @property
    def starts(self) -> tuple[str, ...]:
        return tuple(self.start.split("|"))

    @property
    def ends(self) -> tuple[str, ...]:
        return tuple(self.end.split("|"))


NODE_TYPES: tuple[NodeType, ...] = (
    NodeType(
        "Trader", "trader_id", "A legal entity from the trade and excise registers.", REGISTER,
        ("name", "name_norm", "kvk_number", "excise_number", "vat_number", "legal_form",
         "sbi_code", "excise_status", "status", "registered_on", "dissolved_on", "is_chain",
         "country"),
        indexed=("kvk_number", "excise_number", "name_norm"), caption="name",
    ),
    NodeType(
        "Person", "person_id", "A natural person behind a trader.", REGISTER,
        ("full_name", "birth_date", "nationality"),
        indexed=("full_name",), personal=("full_name", "birth_date"), caption="full_name",
    ),
    NodeType(
        "Address", "address_key",
        "A postal address: `POSTCODE|HOUSENUMBER` for NL, country|street|number|postcode elsewhere.",
        REGISTER,
        ("street", "house_number", "postcode", "city", "country", "lat", "lon"),
        indexed=("postcode", "city"), caption="address_key",
    ),
    NodeType(
        "Premise", "premise_id", "A place where goods are held or made.", SUPERVISION,
        ("kind", "excise_number", "lease_start", "lease_end", "floor_area_m2"),
        indexed=("excise_number", "kind"),
    ),
    NodeType(
        "Movement", "arc", "An EMCS e-AD (one movement of excise goods, by ARC).", SUPERVISION,
        ("sequence", "consignor_excise_number", "consignee_excise_number", "consignee_name",
         "destination_type", "origin_type", "dispatched_at", "journey_time", "transport_mode",
         "transporter_name", "guarantor_type", "status", "received_at", "receipt_conclusion",
         "cancelled_at", "destination_changes", "delivery_place"),
        indexed=("dispatched_at", "status"),
    ),
    NodeType(
        "MovementLine", "line_id", "One body record of an e-AD: `ARC/sequence/line`.",
        SUPERVISION,
        ("arc", "sequence", "line", "epc", "cn_code", "brand", "quantity", "unit",
         "shortage_or_excess", "observed_difference"),
        indexed=("epc",),
    ),
    NodeType(
        "MovementEvent", "event_id", "One EMCS message about a movement (IE801 e-AD, IE813 "
        "change of destination, IE818 receipt, IE810 cancellation, IE819 alert or rejection, "
        "IE871 explanation of a shortage, IE803 diversion): `ARC/IE8nn/message id`. "
        "`state` is `applied` or `pending` (its e-AD or the IE813 it follows has not "
        "arrived; `reason` says which); `payload` keeps the message as read, so a later "
        "delivery can fold it again.", SUPERVISION,
        ("arc", "kind", "version", "sequence", "validated_at", "message_id", "file", "state",
         "reason", "payload", "rejected", "reason_codes", "explanation", "receipt_conclusion",
         "cancellation_reason", "notification_type", "downstream_arcs", "new_consignee",
         "delivery_place", "time_zone"),
        indexed=("arc", "kind", "state"),
        # the message as read holds consignee and delivery addresses (a residence, for
        # some destination types): withheld from roles without view_persons
        personal=("payload", "new_consignee", "delivery_place"),
    ),
    NodeType(
        "Vehicle", "plate", "A vehicle by normalised plate (upper case, no spaces or dashes).",
        SUPERVISION,
    ),
    NodeType("Phone", "e164", "A phone number in E.164.", REGISTER),
    NodeType("Email", "email", "An e-mail address, lower case.", REGISTER),
    NodeType(
        "Machine", "machine_id", "A tobacco production apparatus.", SUPERVISION,
        ("machine_type", "manufacturer", "model", "capacity_per_minute"),
    ),
    NodeType(
        "Licence", "licence_id", "A licence for a tobacco production apparatus.", SUPERVISION,
        ("kind", "status", "applied_on", "granted_on", "valid_until", "holder_name"),
        indexed=("status",),
    ),
    NodeType(
        "MachineEvent", "event_id", "Something known of a machine at a time.", SUPERVISION,
        ("event", "at"),
    ),
    NodeType(
        "RetailCheck", "check_id", "An inspection at an excise point of sale.", SUPERVISION,
        ("checked_on", "team", "outcome", "outlet_name"),
        indexed=("checked_on", "outcome"),
    ),
    NodeType(
        "CheckLine", "line_id", "One product line of a retail check: `check_id/n`.",
        SUPERVISION,
        ("product", "brand", "classification", "stamp_country", "quantity", "unit", "seized",
         "stated_supplier", "invoice_number", "fine_eur"),
        indexed=("classification",),
    ),
    NodeType(
        "EpsPack", "pack_id", "One empty pack collected in an Empty Pack Survey.", SUPERVISION,
        ("survey_year", "wave", "route_id", "collected_on", "lat", "lon", "brand",
         "stamp_country", "warning_language", "classification", "pack_size"),
        indexed=("survey_year", "classification"),
    ),
    NodeType(
        "Municipality", "name", "A Dutch municipality (EPS strata, maps).", SUPERVISION,
        ("border_municipality",),
    ),
    NodeType(
        "Tip", "tip_id", "An anonymous tip or report.", INVESTIGATION,
        ("received_on", "channel", "text", "mentioned_name", "mentioned_street",
         "mentioned_house_number", "mentioned_city"),
        indexed=("received_on",), personal=("text",),
    ),
    NodeType(
        "Seizure", "seizure_id", "A seizure or find.", INVESTIGATION,
        ("seized_on", "context", "product", "brand", "classification", "quantity", "unit",
         "case_ref"),
        indexed=("seized_on", "product"),
    ),
    NodeType(
        "NameMention", "mention_id",
        "A name seen in a source without a key (stated supplier, tip, licence holder, "
        "consignee); entity resolution links it to a Trader.",
        DERIVED, ("text", "text_norm", "source", "field"),
    ),
    NodeType(
        "Delivery", "delivery_id", "One ingested dataset directory (provenance).", DERIVED,
        ("path", "first_loaded_at", "last_loaded_at", "files"),
    ),
    NodeType(
        "Finding", "finding_id", "A detector's finding, written back for Cypher and the UI.",
        DERIVED, ("kind", "score", "run_id", "rank"),
        indexed=("kind",),
    ),
    # --- case work (graphfraud.cases): investigation records under the Wpg ---------------
    NodeType(
        "Case", "case_id", "A case (FIOD/OM reference) with status, owner and members.",
        INVESTIGATION, ("reference", "title", "status", "owner", "members", "created_at",
                        "updated_at", "created_by"),
        indexed=("reference", "status"),
    ),
    NodeType(
        "Note", "note_id", "A note on a case, on one of its entities or links, or a status "
        "change with its reason.", INVESTIGATION,
        ("kind", "text", "author", "created_at", "target", "from_status", "to_status"),
    ),
    NodeType(
        "SavedView", "view_id", "An explorer view kept with a case: nodes, positions, filters.",
        INVESTIGATION, ("name", "nodes", "filters", "author", "created_at"),
    ),
    NodeType(
        "CaseFinding", "case_finding_id", "A finding linked to a case, as its run gave it.",
        INVESTIGATION, ("finding_id", "run_id", "kind", "score", "title", "document",
                        "data_hash", "linked_at", "linked_by"),
    ),
    NodeType(
        "Watch", "watch_id", "A user's watch on an entity or a saved query.", DERIVED,
        ("username", "target_label", "target_key", "query", "created_at"),
    ),
    NodeType(
        "Alert", "alert_id", "Something new for a user: a changed finding, a watched entity "
        "touched by a delivery.", DERIVED,
        ("username", "rule", "subject", "detail", "run_id", "delivery", "created_at", "read"),
    ),
)

REL_TYPES: tuple[RelType, ...] = (
    RelType("REGISTERED_AT", "Trader", "Address", "Registered address of a trader.", REGISTER, single=True),
    RelType("LIVES_AT", "Person", "Address", "Home address of a person.", REGISTER, single=True),
    RelType("HAS_ROLE", "Person", "Trader", "A person's role at a trader.", REGISTER,
            ("role", "since", "until"), key=("role",)),
    RelType("HAS_PHONE", "Trader|Person", "Phone", "A trader's or person's phone.", REGISTER),
    RelType("HAS_EMAIL", "Trader|Person", "Email", "A trader's or person's e-mail.", REGISTER),
    RelType("LOCATED_AT", "Premise", "Address", "Where a premise is.", SUPERVISION, single=True),
    RelType("OPERATES", "Trader", "Premise", "Who runs or rents a premise.", SUPERVISION,
            ("lease_start", "lease_end")),
    RelType("CONSIGNED_BY", "Movement", "Trader", "The consignor of an e-AD.", SUPERVISION, single=True),
    RelType("CONSIGNED_TO", "Movement", "Trader", "The consignee of an e-AD.", SUPERVISION, single=True),
    RelType("DISPATCHED_FROM", "Movement", "Premise", "Place of dispatch (tax warehouse).",
            SUPERVISION, single=True),
    RelType("DELIVERED_TO", "Movement", "Address|Premise", "Declared delivery address.", SUPERVISION, single=True),
    RelType("HAS_LINE", "Movement", "MovementLine", "A body record of the e-AD.", SUPERVISION),
    RelType("HAS_EVENT", "Movement", "MovementEvent", "An EMCS message applied to the "
            "movement (pending ones have no movement yet).", SUPERVISION),
    RelType("CARRIED_BY", "Movement", "Vehicle", "A transport unit of the movement.",
            SUPERVISION),
    RelType("HELD_BY", "Licence", "Trader", "The licence holder.", SUPERVISION, single=True),
    RelType("COVERS", "Licence", "Machine", "The apparatus a licence covers.", SUPERVISION),
    RelType("FOR_SITE", "Licence", "Premise|Address", "The site a licence is for.", SUPERVISION),
    RelType("RECIPIENT", "Licence", "Trader", "Recipient named in a dispatch licence.",
            SUPERVISION),
    RelType("HAD_EVENT", "Machine", "MachineEvent", "Something that happened to a machine.",
            SUPERVISION),
    RelType("MOVED_FROM", "MachineEvent", "Premise", "Where the machine was.", SUPERVISION),
    RelType("MOVED_TO", "MachineEvent", "Premise|Address", "Where the machine went.", SUPERVISION),
    RelType("AT_OUTLET", "RetailCheck", "Trader", "The checked point of sale.", SUPERVISION, single=True),
    RelType("HAS_CHECK_LINE", "RetailCheck", "CheckLine", "A product line found.",
            SUPERVISION),
    RelType("STATED_SUPPLIER", "CheckLine", "Trader", "Supplier named by the shopkeeper, "
            "by id or KvK number.", SUPERVISION),
    RelType("COLLECTED_IN", "EpsPack", "Municipality", "Where the pack was collected.",
            SUPERVISION, single=True),
    RelType("MENTIONS", "Tip", "Address|Vehicle|Phone|NameMention", "An address, plate, phone or name in a tip; "
            "to an Address matched by street, number and place (no postcode) with its score, "
            "status and evidence.", INVESTIGATION, ("score", "status", "method", "evidence")),
    RelType("SEIZED_AT", "Seizure", "Address", "Where a seizure was made.", INVESTIGATION, single=True),
    RelType("INVOLVES", "Seizure", "Trader|Person|Vehicle", "A trader, person or vehicle in a seizure.",
            INVESTIGATION),
    RelType("NAMED_IN", "NameMention", "CheckLine|Tip|Licence|Movement", "Where a name mention comes from.",
            DERIVED),
    RelType("SAME_AS", "NameMention", "Trader", "Entity-resolution link (or candidate) with "
            "its score and evidence; never a merge.", DERIVED,
            ("score", "status", "method", "evidence")),
    RelType("CONCERNS", "Finding", "Trader|Person|Premise|Address|Movement|Machine", "What a finding is about.", DERIVED,
            ("role",)),
    RelType("HAS_NOTE", "Case", "Note", "A note or status change of a case.", INVESTIGATION),
    RelType("HAS_VIEW", "Case", "SavedView", "An explorer view kept with a case.", INVESTIGATION),
    RelType("HAS_FINDING", "Case", "CaseFinding", "A finding linked to a case.", INVESTIGATION),
    RelType("ABOUT", "Case", "Trader|Person|Premise|Address|Movement|Machine",
            "An entity a case is about.", INVESTIGATION),
)

_NODES = {n.label: n for n in NODE_TYPES}
_RELS = {r.type: r for r in REL_TYPES}


def node_type(label: str) -> NodeType:
    """The node type for `label`; KeyError names the unknown label."""
    try:
        return _NODES[label]
    except KeyError:
        raise KeyError(f"unknown node label {label!r}; known: {sorted(_NODES)}") from None


def rel_type(name: str) -> RelType:
    """The relationship type called `name`."""
    try:
        return _RELS[name]
    except KeyError:
        raise KeyError(f"unknown relationship type {name!r}; known: {sorted(_RELS)}") from None


# --- classification per property --------------------------------------------------------
# Every property of every node type has one class; the Session refuses free Cypher that
# can read a class the role may not see, and the redaction drops it from results.
CLASS_REGISTER = "register"  # ordinary register / supervision data (AVG, public task)
CLASS_PERSONAL = "personal"  # identifies or locates a natural person (AVG art. 4)
CLASS_INVESTIGATION = "investigation"  # Police Data Act (Wpg) investigation data
PROPERTY_CLASSES: dict[str, str] = {
    CLASS_REGISTER: "register and supervision data; every role with access to the label",
    CLASS_PERSONAL: "identifies or locates a natural person; roles with view_persons",
    CLASS_INVESTIGATION: "investigation data under the Wpg; roles with view_wpg, with a "
                         "purpose or case reference",
}
#: Properties that identify or locate a person beyond `NodeType.personal`, per label.
PERSONAL_EXTRA: dict[str, tuple[str, ...]] = {
    "Person": ("person_id", "nationality"),
    "Address": ("address_key", "street", "house_number", "postcode", "lat", "lon"),
    "Phone": ("e164",),
    "Email": ("email",),
    "Movement": ("delivery_place",),
}
#: Properties outside an investigation label that may still carry Wpg data: a name
#: mention's text may come from a tip (deny when unsure).
INVESTIGATION_EXTRA: dict[str, tuple[str, ...]] = {
    "NameMention": ("text", "text_norm"),
}


@dataclass(frozen=True)
class PropertyClass:
    """One property's class and the legal basis it is held under."""

    label: str
    prop: str
    cls: str
    legal_basis: str


def property_classes() -> dict[tuple[str, str], PropertyClass]:
    """(label, property) -> its class, for every property of every node type (the key
    and the provenance properties included)."""
    out: dict[tuple[str, str], PropertyClass] = {}
    for nt in NODE_TYPES:
        personal = set(nt.personal) | set(PERSONAL_EXTRA.get(nt.label, ()))
        for prop in (nt.key, *nt.properties, *PROVENANCE_PROPERTIES):
            if (nt.legal_basis == INVESTIGATION and prop not in PROVENANCE_PROPERTIES) or \
                    prop in INVESTIGATION_EXTRA.get(nt.label, ()):
                cls = CLASS_INVESTIGATION
            elif prop in personal:
                cls = CLASS_PERSONAL
            else:
                cls = CLASS_REGISTER
            out[(nt.label, prop)] = PropertyClass(nt.label, prop, cls, nt.legal_basis)
    return out


def withheld_labels(legal_basis: str = INVESTIGATION) -> frozenset[str]:
    """Node labels and relationship types held under `legal_basis`."""
    return frozenset({nt.label for nt in NODE_TYPES if nt.legal_basis == legal_basis}
                     | {rt.type for rt in REL_TYPES if rt.legal_basis == legal_basis})
