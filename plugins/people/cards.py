"""Business cards for every person: an email signature (HTML + plain text) and a vCard 4.0.

Plain functions of a Person, no Pelican. The vCard is serialised here rather than by vobject
(the tests parse it back with vobject) because vobject 0.9 folds lines by characters, not
octets: a name in Japanese or Polish would make lines longer than RFC 6350's 75 octets.

Socials in the vCard: RFC 6350 has only URL and IMPP (IMPP is for chat addresses, not
profiles). RFC 9554 (2024) registered SOCIALPROFILE with a SERVICE-TYPE parameter; Apple
Contacts reads its older X-SOCIALPROFILE;TYPE=<service>. We write both for each account, and
the website account as a plain URL, so every address book finds them in the form it knows.

The vCard PHOTO is the raster photo (plugins/people/photos.py) embedded as a data: URI
(RFC 6350 §6.2.4), not a link: Apple Contacts on the iPhone shows no picture for a PHOTO
given as a web address, and Exchange/Outlook imports only inline binary photos
([MS-OXVCARD] 2.1.3.2.4). A 192 px PNG of initials is ~7 KB of base64. That spec reads the
vCard 3.0 form `PHOTO;ENCODING=b;TYPE=PNG:`, which vCard 4.0 no longer has; this card is 4.0.
"""

from __future__ import annotations

import base64
import textwrap
import unicodedata
import uuid
from dataclasses import dataclass
from html import escape
from pathlib import Path

from core.urls import absolute_url
from plugins.people.directory import Person
from plugins.people.photos import SIGNATURE_CSS_PX

SIGNATURE_COLUMNS = 72
FOLD_OCTETS = 75  # RFC 6350 §3.2: lines SHOULD NOT be longer than 75 octets, excluding CRLF
ACCENT = "#2f6f4f"


@dataclass(frozen=True)
class CardContext:
    """What a card needs besides the person: where the site lives and who employs them."""

    siteurl: str  # absolute, no trailing slash
    org_name: str
    department_name: str

    def absolute(self, path: str) -> str:
        return absolute_url(self.siteurl, path)


# --- vCard -----------------------------------------------------------------------------


def escape_text(value: str) -> str:
    """RFC 6350 §3.4: backslash, comma, semicolon and newline are escaped in text values."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold one content line into CRLF + space continuations of at most 75 octets, never
    splitting a UTF-8 sequence (a character is moved whole to the next line)."""
    out, current, size = [], [], 0
    for char in line:
        octets = len(char.encode("utf-8"))
        if size + octets > FOLD_OCTETS:
            out.append("".join(current))
            current, size = [" "], 1  # the continuation's leading space counts
        current.append(char)
        size += octets
    out.append("".join(current))
    return "\r\n".join(out)


def split_name(name: str) -> tuple[str, str]:
    """(family, given) for N. Only a guess — the directory has one display name, and N
    must not be empty: the first word is the given name and the rest the family name
    ("Zoë" / "van den Berg"), a bracketed native spelling is left to FN."""
    plain = name.split("(", 1)[0].strip() or name.strip()
    given, _, family = plain.partition(" ")
    return family.strip(), given.strip()


def vcard(person: Person, ctx: CardContext) -> str:
    """The person as a vCard 4.0 (text/vcard; charset=utf-8), CRLF line endings."""
    profile = ctx.absolute(person.url)
    family, given = split_name(person.name)
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        "PRODID:-//Alder & Finch//Chorus//EN",
        f"UID:urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, profile)}",
        "KIND:individual",
        f"FN:{escape_text(person.name)}",
        f"N:{escape_text(family)};{escape_text(given)};;;",
        f"ORG:{escape_text(ctx.org_name)};{escape_text(ctx.department_name)}",
        f"TITLE:{escape_text(person.title)}",
    ]
    if person.email:
        lines.append(f"EMAIL;TYPE=work:{person.email}")
    lines.append(f"URL;TYPE=work:{profile}")
    if person.photo:
        data = base64.b64encode(person.photo.data).decode("ascii")
        lines.append(f"PHOTO:data:{person.photo.mediatype};base64,{data}")
    if person.pronouns:
        lines.append(f"PRONOUNS:{escape_text(person.pronouns)}")
    for account in person.accounts:
        if account.platform != "website":  # a social account: the directory's label names it
            lines.append(f"SOCIALPROFILE;SERVICE-TYPE={account.label}:{account.url}")
            lines.append(f"X-SOCIALPROFILE;TYPE={account.platform}:{account.url}")
        else:
            lines.append(f"URL:{account.url}")
    if person.bio:
        lines.append(f"NOTE:{escape_text(person.bio)}")
    lines.append("END:VCARD")
    return "".join(fold(line) + "\r\n" for line in lines)


def write_cards(output: Path, person: Person, ctx: CardContext) -> list[Path]:
    """people/<handle>/signature.html and .txt, people/<handle>.vcf and the photo the
    signature shows; returns the paths."""
    folder = output / "people" / person.handle
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    if person.photo:
        photo = output / person.photo.path
        if not photo.exists():  # the name is a hash of the source: same name, same bytes
            photo.parent.mkdir(parents=True, exist_ok=True)
            photo.write_bytes(person.photo.data)
        written.append(photo)
    files = {
        folder / "signature.html": signature_html(person, ctx),
        folder / "signature.txt": signature_text(person, ctx),
        output / "people" / f"{person.handle}.vcf": vcard(person, ctx),
    }
    for path, text in files.items():
        path.write_text(text, encoding="utf-8", newline="")  # keep the vCard's CRLF
    return written + list(files)


# --- Email signature --------------------------------------------------------------------

FONT = "font-family:Arial,Helvetica,sans-serif;"
TEXT = f"{FONT}font-size:14px;line-height:20px;color:#1f2933;"


def signature_html(person: Person, ctx: CardContext) -> str:
    """A table-based signature with inline styles only: what Outlook, Gmail and Apple Mail
    all render the same. No stylesheet, no script, images by absolute URL."""
    e = escape
    links = [
        f'<a href="{e(a.url)}" style="color:{ACCENT};text-decoration:none;">{e(a.label)}</a>'
        for a in person.accounts
    ]
    rows = [
        f'<strong style="{FONT}font-size:16px;color:#111111;">{e(person.name)}</strong>',
        f"{e(person.title)}",
        f"{e(ctx.department_name)} · {e(ctx.org_name)}",
    ]
    if person.email:
        rows.append(
            f'<a href="mailto:{e(person.email)}" style="color:{ACCENT};text-decoration:none;">'
            f"{e(person.email)}</a>"
        )
    rows.append(
        f'<a href="{e(ctx.absolute(person.url))}" style="color:{ACCENT};text-decoration:none;">'
        "Chorus profile</a>" + ("".join(" &nbsp;|&nbsp; " + link for link in links))
    )
    size = SIGNATURE_CSS_PX
    if person.photo:
        # width/height attributes as well as CSS: Outlook on Windows reads only the former
        picture = (
            f'<img src="{e(ctx.absolute(person.photo.path))}" width="{size}" height="{size}"'
            f' alt="{e(person.name)}" style="display:block;border:0;width:{size}px;'
            f'height:{size}px;border-radius:{size // 2}px;">'
        )
    else:  # no raster photo: the initials in a coloured cell, text every client shows
        picture = (
            '<table role="presentation" cellpadding="0" cellspacing="0" border="0"'
            ' style="border-collapse:collapse;"><tr>'
            f'<td width="{size}" height="{size}" align="center" valign="middle"'
            f' style="{FONT}width:{size}px;height:{size}px;background:{ACCENT};color:#ffffff;'
            f"font-size:{size * 3 // 8}px;font-weight:bold;text-align:center;"
            f'border-radius:{size // 2}px;">{e(initials(person.name))}</td></tr></table>'
        )
    photo = '<td style="padding:0 12px 0 0;vertical-align:top;" valign="top">' + picture + "</td>"
    body = "<br>\n".join(rows)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Email signature — {e(person.name)}</title>\n</head>\n"
        '<body style="margin:0;padding:16px;background:#ffffff;">\n'
        '<table role="presentation" cellpadding="0" cellspacing="0" border="0"'
        f' style="border-collapse:collapse;{TEXT}">\n<tr>\n{photo}'
        f'<td style="{TEXT}vertical-align:top;border-left:3px solid {ACCENT};'
        f'padding:0 0 0 12px;" valign="top">\n{body}\n</td>\n</tr>\n</table>\n'
        "</body>\n</html>\n"
    )


def initials(name: str) -> str:
    """Two letters for the fallback picture: "Zoë van den Berg" → "ZB"; a bracketed native
    spelling is not a name part."""
    words = [w for w in name.split("(", 1)[0].split() if w[:1].isalnum()] or name.split()
    if not words:
        return "?"
    letters = words[0][0] + (words[-1][0] if len(words) > 1 else "")
    return letters.upper()


def columns(text: str) -> int:
    """Terminal/mail columns: East Asian wide characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def signature_text(person: Person, ctx: CardContext) -> str:
    """The plain-text signature: at most 72 columns a line (a URL longer than that stays
    whole on its own line: a broken URL is worse than a long line)."""
    lines = [person.name, person.title, f"{ctx.department_name}, {ctx.org_name}"]
    if person.email:
        lines.append(person.email)
    lines.append(ctx.absolute(person.url))
    for account in person.accounts:
        lines.append(f"{account.label}: {account.url}")
    out = []
    for line in (" ".join(line.split()) for line in lines):  # a newline in a name: one line
        if columns(line) <= SIGNATURE_COLUMNS:
            out.append(line)
        elif ": " in line and "://" in line.split(": ", 1)[1]:
            label, url = line.split(": ", 1)
            out += [label + ":", url]
        elif "://" in line:
            out.append(line)
        else:
            out += _wrap(line)
    return "\n".join(out) + "\n"


def _wrap(line: str) -> list[str]:
    width = SIGNATURE_COLUMNS
    while True:  # textwrap counts characters; narrow until wide characters fit too
        wrapped = textwrap.wrap(line, width, break_long_words=True, break_on_hyphens=False)
        if all(columns(part) <= SIGNATURE_COLUMNS for part in wrapped) or width <= 8:
            return wrapped
        width -= 4
