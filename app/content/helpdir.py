"""Where to get help: each region's official complaint and help channels.

``lessons/help/<REGION>.toml`` is the single source of truth for contact
details; lessons say *what* to do and ```help blocks pull the *who* from here,
for the learner's own region. Texts are per language with the usual fallback.
No Qt here: the HTML produced is what the viewer shows.
"""

from __future__ import annotations

import html
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app.content.problems import Problem
from app.i18n import _, fallback_chain, format_date, territory_name

# Escalation order, and how steps are grouped on screen.
STEPS = ("firm", "regulator", "ombudsman", "mediation", "arbitration", "court", "fraud")
STEP_GROUPS = (
    ("firm", ("firm",)),
    ("regulator", ("regulator", "ombudsman")),
    ("mediation", ("mediation", "arbitration")),
    ("court", ("court",)),
    ("fraud", ("fraud",)),
)


def _group_titles() -> dict[str, str]:
    return {
        "firm": _("Step 1: complain to the firm"),
        "regulator": _("Step 2: the regulator or ombudsman"),
        "mediation": _("Step 3: mediation or arbitration"),
        "court": _("Step 4: the courts"),
        "fraud": _("If it is fraud or a crime: report it"),
    }


@dataclass
class Channel:
    id: str
    step: str
    covers: list[str]
    phones: list[str] = field(default_factory=list)
    website: str = ""
    email: str = ""
    source: str = ""
    verified: date | None = None
    name: dict[str, str] = field(default_factory=dict)
    covers_text: dict[str, str] = field(default_factory=dict)
    time_limit: dict[str, str] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)

    def text(self, field_name: str, locale: str) -> str:
        texts: dict[str, str] = getattr(self, field_name)
        for tag in fallback_chain(locale):
            if tag in texts:
                return texts[tag]
        return next(iter(texts.values()), "")


@dataclass
class RegionHelp:
    region: str
    verified: date | None
    local_languages: list[str]
    channels: list[Channel]

    def covering(self, covers: list[str] | None) -> list[Channel]:
        """Channels for any of *covers* (all when None); the firm step always applies."""
        if not covers:
            return list(self.channels)
        wanted = set(covers)
        return [c for c in self.channels if c.step == "firm" or wanted & set(c.covers)]

    def local_name(self, channel: Channel, locale: str) -> str:
        """The organisation's name in the region's own language, if it differs."""
        shown = channel.text("name", locale)
        for tag in self.local_languages:
            local = channel.name.get(tag)
            if local and local != shown:
                return local
        return ""


@dataclass
class HelpDirectory:
    regions: dict[str, RegionHelp] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @classmethod
    def load(cls, folder: Path) -> "HelpDirectory":
        directory = cls()
        if not folder.is_dir():
            return directory
        for path in sorted(folder.glob("*.toml")):
            try:
                region = _parse(path)
            except (tomllib.TOMLDecodeError, KeyError, TypeError, ValueError, OSError) as exc:
                directory.problems.append(Problem(f"help file cannot be read: {exc}", file=str(path), code="HELP010"))
                continue
            directory.regions[region.region] = region
        return directory

    def region_codes(self) -> list[str]:
        return sorted(self.regions)


def _parse(path: Path) -> RegionHelp:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    channels = []
    for raw in data.get("channels", []):
        phones = raw.get("phones") or ([raw["phone"]] if raw.get("phone") else [])
        channels.append(
            Channel(
                id=raw["id"],
                step=raw["step"],
                covers=list(raw.get("covers", [])),
                phones=list(phones),
                website=raw.get("website", ""),
                email=raw.get("email", ""),
                source=raw.get("source", ""),
                verified=raw.get("verified"),
                name=dict(raw.get("name", {})),
                covers_text=dict(raw.get("covers_text", {})),
                time_limit=dict(raw.get("time_limit", {})),
                notes=dict(raw.get("notes", {})),
            )
        )
    channels.sort(key=lambda c: STEPS.index(c.step) if c.step in STEPS else len(STEPS))
    return RegionHelp(data["region"], data.get("verified"), list(data.get("local_languages", [])), channels)


def default_region(locale_tags: list[str], available: list[str]) -> str | None:
    """The region of the first system locale that names one we have (en-GB → GB)."""
    from app.i18n import to_babel

    for tag in locale_tags:
        try:
            territory = to_babel(tag).territory
        except ValueError:
            continue
        if territory and territory in available:
            return territory
    return None


# ---------------------------------------------------------------- HTML


def _ltr(text: str) -> str:
    """Phone numbers and addresses always read left to right, even inside Arabic text
    (otherwise "800-CBUAE (22823)" shows as "CBUAE (22823)-800")."""
    return f"\u2066{text}\u2069"


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _channel_html(region: RegionHelp, channel: Channel, locale: str) -> str:
    name = channel.text("name", locale)
    local = region.local_name(channel, locale)
    parts = [f"<p><b>{_e(name)}</b>" + (f"<br/>{_e(local)}" if local else "") + "</p>"]
    about = channel.text("covers_text", locale)
    if about:
        parts.append(f"<p>{_e(about)}</p>")
    contact = []
    for phone in channel.phones:
        contact.append(_e(_("Phone: %(number)s") % {"number": _ltr(phone)}))
    if channel.website.startswith("https://"):
        label = _e(_("Website:"))
        contact.append(f'{label} <a href="{_e(channel.website)}">{_e(_ltr(channel.website))}</a>')
    if channel.email:
        label = _e(_("E-mail:"))
        contact.append(f'{label} <a href="mailto:{_e(channel.email)}">{_e(_ltr(channel.email))}</a>')
    if contact:
        parts.append("<p>" + "<br/>".join(contact) + "</p>")
    limit = channel.text("time_limit", locale)
    if limit:
        label = _e(_("Time limits:"))
        parts.append(f"<p><b>{label}</b> {_e(limit)}</p>")
    notes = channel.text("notes", locale)
    if notes:
        parts.append(f"<p><i>{_e(notes)}</i></p>")
    return "".join(parts)


def _verified_line(region: RegionHelp, locale: str) -> str:
    when = format_date(region.verified, locale) if region.verified else "?"
    return _e(
        _("Checked on %(date)s. Numbers and addresses change: confirm on the organisation's official website.")
        % {"date": when}
    )


def help_block_html(region: RegionHelp | None, covers: list[str], locale: str, region_code: str | None) -> str:
    """The box a ```help block becomes inside a lesson."""
    title = _("Where to get help")
    if region is None:
        text = (
            _("Choose your region in Settings to see the official places to complain or ask for help.")
            if region_code is None
            else _("Lantern has no list of help channels for %(region)s yet.")
            % {"region": territory_name(region_code, locale)}
        )
        body = f"<p>{_e(text)}</p>"
    else:
        place = territory_name(region.region, locale)
        channels = [c for c in region.covering(covers) if c.step != "firm"] or region.covering(covers)
        body = "".join(
            f'<tr><td>{_channel_html(region, c, locale)}</td></tr>' for c in channels
        )
        intro = _e(_("Official channels in %(region)s for this topic:") % {"region": place})
        body = (
            f"<p>{intro}</p>"
            f'<table width="100%" cellpadding="6">{body}</table>'
            f"<p><small>{_verified_line(region, locale)}</small></p>"
        )
    return (
        '<table class="help" width="100%" cellpadding="12" border="1"><tr><td>'
        f"<h3>{_e(title)}</h3>{body}</td></tr></table>"
    )


def region_page_html(region: RegionHelp, locale: str) -> str:
    """The whole "Where to get help" page: the escalation path, step by step."""
    titles = _group_titles()
    place = territory_name(region.region, locale)
    heading = _e(_("Where to get help in %(region)s") % {"region": place})
    intro = _e(
        _("Most complaints go step by step: first the firm, then the regulator or ombudsman, then mediation "
          "or the courts. Fraud is different: report it at once.")
    )  # fmt: skip
    out = [f"<h1>{heading}</h1>", f"<p>{intro}</p>"]
    for group, steps in STEP_GROUPS:
        channels = [c for c in region.channels if c.step in steps]
        if not channels:
            continue
        out.append(f"<h2>{_e(titles[group])}</h2>")
        out.append('<table width="100%" cellpadding="8" border="1">')
        for channel in channels:
            out.append(f"<tr><td>{_channel_html(region, channel, locale)}</td></tr>")
        out.append("</table>")
    out.append(f"<p><small>{_verified_line(region, locale)}</small></p>")
    return "".join(out)
