"""The setup wizard's sentences for the flow's problem codes and connection-test outcomes
(app/services/first_run.py), translated through Qt like every visible string."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from app.domain.errors import DomainError
from app.services.first_run import ConnectionCheck
from ui.errors import describe


def problem_text(error: DomainError) -> str:
    """A setup problem (codes from app/services/first_run.py) as a translated sentence."""
    sentences = {
        "connection_not_tested": QCoreApplication.translate(
            "SetupWizard", "Test the connection to the database first."),
        "branch_code": QCoreApplication.translate(
            "SetupWizard", "The branch code must be 1 to 32 characters without spaces."),
        "branch_name": QCoreApplication.translate("SetupWizard", "Enter the branch name."),
        "bank_name": QCoreApplication.translate(
            "SetupWizard", "Enter the bank's name as customers see it on slips and letters."),
        "bank_name_long": QCoreApplication.translate("SetupWizard", "The bank's name may have at most {max} characters."),
        "counters": QCoreApplication.translate("SetupWizard", "A branch must have 1 to {max} counters."),
        "role": QCoreApplication.translate("SetupWizard", "Choose what this workstation is used for."),
        "counter_number": QCoreApplication.translate(
            "SetupWizard", "The counter number must be between 1 and {counters}."),
        "slip_width": QCoreApplication.translate("SetupWizard", "The slip width must be one of {widths} mm."),
        "username": QCoreApplication.translate(
            "SetupWizard", "The user name may contain only letters, digits, '.' and '_'."),
        "display_name": QCoreApplication.translate("SetupWizard", "Enter the supervisor's name."),
        "password_short": QCoreApplication.translate(
            "SetupWizard", "The password needs at least {min} characters."),
        "password_mismatch": QCoreApplication.translate("SetupWizard", "The passwords do not match."),
        "password_weak": QCoreApplication.translate("SetupWizard", "The password needs letters and digits."),
        "language": QCoreApplication.translate("SetupWizard", "Choose a language."),
    }
    sentence = sentences.get(error.code)
    if sentence is None:
        return describe(error)
    try:
        return sentence.format(**error.params)
    except (KeyError, IndexError):
        return error.message


def connection_text(result: ConnectionCheck) -> str:
    """What "Test connection" found, in words a branch IT person can act on."""
    sentences = {
        "ok": QCoreApplication.translate(
            "SetupWizard", "Connected to PostgreSQL {version} at {host}, database {database}."),
        "bad_url": QCoreApplication.translate(
            "SetupWizard", "This is not a valid database URL. Write it as "
                           "postgresql://user:password@server:5432/database."),
        "not_postgresql": QCoreApplication.translate(
            "SetupWizard", "Only PostgreSQL is supported for a shared database (the URL names {detail})."),
        "unknown_host": QCoreApplication.translate(
            "SetupWizard", "The server name {host} is not known. Check the spelling, or use its IP address."),
        "refused": QCoreApplication.translate(
            "SetupWizard", "Nothing answers at {host} port {port}. Check that PostgreSQL runs there and "
                           "accepts connections from this computer (listen_addresses, firewall)."),
        "timeout": QCoreApplication.translate(
            "SetupWizard", "{host} port {port} did not answer in time. Check the address and the firewall."),
        "auth_failed": QCoreApplication.translate(
            "SetupWizard", "The server refused the user name or password."),
        "no_database": QCoreApplication.translate(
            "SetupWizard", "The server has no database {database}. Ask the administrator to create it."),
        "failed": QCoreApplication.translate("SetupWizard", "The connection failed."),
    }
    text = sentences.get(result.code, sentences["failed"]).format(
        version=result.server_version, host=result.host, port=result.port, database=result.database,
        detail=result.detail)
    if not result.ok and result.detail and result.code != "not_postgresql":
        text += "\n" + QCoreApplication.translate(
            "SetupWizard", "Details: {detail}").format(detail=result.detail)
    return text
