"""Errors meant for people: a stable code, parameters, and an English default sentence.

The UI turns ``code`` + ``params`` into a translated sentence; the admin CLI prints
``str(error)``. Anything that is not a DomainError is a bug and is logged instead. A ``reason``
parameter is a code of app/domain/reasons.py, filled from the other parameters.
"""

from __future__ import annotations

from typing import Any

from app.domain.reasons import english_params


class DomainError(Exception):
    code = "domain_error"
    template = "The operation could not be completed."

    def __init__(self, code: str | None = None, template: str | None = None, **params: Any) -> None:
        if code:
            self.code = code
        if template:
            self.template = template
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        try:
            return self.template.format(**english_params(self.params))
        except (KeyError, IndexError):
            return self.template


class ValidationError(DomainError):
    """Bad input; ``params['field']`` names the field, ``params['reason']`` is a reason code."""

    code = "invalid_field"
    template = "{field}: {reason}"


class NotFound(DomainError):
    code = "not_found"
    template = "{what} {key} does not exist."


class InvalidTransition(DomainError):
    code = "invalid_transition"
    template = "Ticket {ticket} is {status}; it cannot be {action}."


class PermissionDenied(DomainError):
    code = "permission_denied"
    template = "{user} ({role}) may not {action}."


class AuthenticationFailed(DomainError):
    code = "authentication_failed"
    template = "Wrong user name or password."


class Conflict(DomainError):
    code = "conflict"
    template = "{reason}"


class DataKeyMissing(DomainError):
    """The database holds personal data, and this workstation has no key (app/services/data_keys.py)."""

    code = "data_key_missing"
    template = ("The data key file {path} is missing, and this database's personal data needs the key with "
                "fingerprint {expected}. Restore the branch's copy of the key file; no new key is made for a "
                "database that holds encrypted data.")


class DataKeyNotCreated(DomainError):
    """A database without personal data yet, and no key: one is made only by setup or on purpose."""

    code = "data_key_not_created"
    template = ("There is no data key yet ({path}). Create one with 'branchdesk-admin keys create' (a supervisor), "
                "or run the first-run setup; then keep a copy of it with the branch's backups.")


class DataKeyWrong(DomainError):
    """The workstation's key is not the one the database's personal data was encrypted with."""

    code = "data_key_wrong"
    template = ("The data key from {source} (fingerprint {found}) is not the key this database's personal data "
                "was encrypted with (fingerprint {expected}). Restore the branch's key file; nothing was changed.")


class DataKeyUnreadable(DomainError):
    code = "data_key_unreadable"
    template = "The data key from {source} cannot be used: {reason}."


class DatabaseMissing(DomainError):
    """An SQLite file that does not exist was named (a misspelled path). Only first-run setup,
    ``db upgrade`` and the default data directory create a database; everything else refuses
    instead of leaving an empty database (and its folders) behind."""

    code = "database_missing"
    template = "There is no database at {path}. Check the path, or create it with 'branchdesk-admin db upgrade'."


class DatabaseUnavailable(DomainError):
    """The database server (or the SQLite file's disk) cannot be reached. Raised in one place,
    app/db/engine.py, for every use case; the transaction was not committed."""

    code = "database_unavailable"
    template = "The database cannot be reached: the action was not carried out. BranchDesk reconnects by itself " \
               "as soon as it is back."
