"""Words and figures of the Workload Audit window (``ui.audit_window``, ``ui.audit_charts``,
``ui.audit_table``) in the user's language: routes, statuses, kinds of personal data, dates and
money. The tables hold English source strings (marked for ``lupdate``), translated when shown.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QLocale

#: Routes and statuses as words (English source strings: ``word`` translates them).
ROUTE_LABELS = {
    "local": str(QT_TRANSLATE_NOOP("AuditWords", "Local")),
    "edge": str(QT_TRANSLATE_NOOP("AuditWords", "Edge")),
    "cloud": str(QT_TRANSLATE_NOOP("AuditWords", "Cloud")),
}
WORDS = {
    "local": str(QT_TRANSLATE_NOOP("AuditWords", "local")),
    "edge": str(QT_TRANSLATE_NOOP("AuditWords", "edge")),
    "cloud": str(QT_TRANSLATE_NOOP("AuditWords", "cloud")),
    "complete": str(QT_TRANSLATE_NOOP("AuditWords", "complete")),
    "stopped": str(QT_TRANSLATE_NOOP("AuditWords", "stopped")),
    "partial": str(QT_TRANSLATE_NOOP("AuditWords", "partial")),
    "error": str(QT_TRANSLATE_NOOP("AuditWords", "error")),
}
#: Statuses as the table's filter offers them.
STATUS_LABELS = {
    "complete": str(QT_TRANSLATE_NOOP("AuditWords", "Complete")),
    "stopped": str(QT_TRANSLATE_NOOP("AuditWords", "Stopped")),
    "partial": str(QT_TRANSLATE_NOOP("AuditWords", "Partial")),
    "error": str(QT_TRANSLATE_NOOP("AuditWords", "Error")),
}
#: Entity types as people say them (others: EMAIL_ADDRESS is "Email address", untranslated).
KIND_LABELS = {
    "PERSON": str(QT_TRANSLATE_NOOP("AuditWords", "Person")),
    "STREET_ADDRESS": str(QT_TRANSLATE_NOOP("AuditWords", "Street address")),
    "POSTCODE": str(QT_TRANSLATE_NOOP("AuditWords", "Postcode")),
    "LOCATION": str(QT_TRANSLATE_NOOP("AuditWords", "Location")),
    "ORGANIZATION": str(QT_TRANSLATE_NOOP("AuditWords", "Organization")),
    "PHONE_NUMBER": str(QT_TRANSLATE_NOOP("AuditWords", "Phone number")),
    "EMAIL_ADDRESS": str(QT_TRANSLATE_NOOP("AuditWords", "Email address")),
    "CREDIT_CARD": str(QT_TRANSLATE_NOOP("AuditWords", "Credit card")),
    "IBAN_CODE": str(QT_TRANSLATE_NOOP("AuditWords", "IBAN")),
    "NATIONAL_ID": str(QT_TRANSLATE_NOOP("AuditWords", "National id")),
    "PASSPORT": str(QT_TRANSLATE_NOOP("AuditWords", "Passport")),
    "DRIVER_LICENSE": str(QT_TRANSLATE_NOOP("AuditWords", "Driver license")),
    "IP_ADDRESS": str(QT_TRANSLATE_NOOP("AuditWords", "IP address")),
    "DOMAIN_NAME": str(QT_TRANSLATE_NOOP("AuditWords", "Domain name")),
    "ID_NUMBER": str(QT_TRANSLATE_NOOP("AuditWords", "Id number")),
    "DATE_OF_BIRTH": str(QT_TRANSLATE_NOOP("AuditWords", "Date of birth")),
    "USERNAME": str(QT_TRANSLATE_NOOP("AuditWords", "Username")),
    "SECRET": str(QT_TRANSLATE_NOOP("AuditWords", "Secret")),
    "CUSTOM": str(QT_TRANSLATE_NOOP("AuditWords", "Custom")),
    "US_SSN": str(QT_TRANSLATE_NOOP("AuditWords", "US SSN")),
}


def _t(text: str) -> str:
    return QCoreApplication.translate("AuditWords", text)


def word(value: str) -> str:
    """A route or status (``local``, ``complete``) as a word in the user's language."""
    return _t(WORDS[value]) if value in WORDS else value


def route_label(route: str) -> str:
    """``Local``, ``Edge``, ``Cloud`` in the user's language."""
    return _t(ROUTE_LABELS[route]) if route in ROUTE_LABELS else route.capitalize()


def status_label(status: str) -> str:
    """``Complete``, ``Stopped`` … in the user's language."""
    return _t(STATUS_LABELS[status]) if status in STATUS_LABELS else status.capitalize()


def money(value: float) -> str:
    """Dollars: cents from a dollar up, four decimals below (a cloud turn costs fractions)."""
    if value == 0 or abs(value) >= 1:
        return f"${value:,.2f}"
    return f"${value:.4f}"


def bucket_label(bucket: str, kind: str) -> str:
    """A short axis label for a bucket key (``YYYY-MM-DD`` for days and weeks, ``YYYY-MM``),
    with the month's name in the user's language (``Mar 2025``, ``05 Mar``)."""
    month = kind == "month"
    day = QDate.fromString(bucket + "-01" if month else bucket, "yyyy-MM-dd")
    if not day.isValid():
        return bucket
    if month:
        shape = QCoreApplication.translate("AuditWords", "MMM yyyy", "QDate format of a month")
    else:
        shape = QCoreApplication.translate("AuditWords", "dd MMM", "QDate format of a day")
    return QLocale().toString(day, shape)


def kind_label(kind: str) -> str:
    """An entity type as people say it: EMAIL_ADDRESS is "Email address"."""
    if kind in KIND_LABELS:
        return _t(KIND_LABELS[kind])
    return kind.replace("_", " ").lower().capitalize()
