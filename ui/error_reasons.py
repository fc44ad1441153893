"""Reason codes (app/domain/reasons.py) as sentences in the UI language, and the words in them.

A ValidationError, Conflict, NotABackup… carries ``reason`` as a stable code; its sentence is
looked up here by that code and filled with the error's other parameters (already translated by
ui/errors.py where they are words). The English sources follow app/domain/reasons.py (the test
checks the placeholders match), so changing the English there never drops a translation here.

Every call is spelled out in full — ``QCoreApplication.translate("Errors", "…")`` with literal
strings — because pyside6-lupdate only extracts literal calls.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def reason_sentences() -> dict[str, str]:
    """One sentence per reason code raised in app/; placeholders are the error's params."""
    return {
        # any input
        "required": QCoreApplication.translate("Errors", "required"),
        "not_text": QCoreApplication.translate("Errors", "must be text"),
        "max_length": QCoreApplication.translate("Errors", "at most {limit} characters"),
        "min_length": QCoreApplication.translate("Errors", "at least {limit} characters"),
        "length_range": QCoreApplication.translate("Errors", "{minimum} to {maximum} characters"),
        "exact_length": QCoreApplication.translate("Errors", "must have {length} characters"),
        "nul_character": QCoreApplication.translate("Errors", "contains a NUL character"),
        "control_characters": QCoreApplication.translate("Errors", "contains control characters"),
        "format_characters": QCoreApplication.translate("Errors", "contains invisible formatting characters"),
        "masked_characters": QCoreApplication.translate(
            "Errors", "contains masked characters (*): type the full value or leave it unchanged"),
        "bad_format": QCoreApplication.translate("Errors", "not in the expected format"),
        "one_of": QCoreApplication.translate("Errors", "one of {choices}"),
        "not_listed": QCoreApplication.translate("Errors", "not one of the listed values"),
        "not_unique": QCoreApplication.translate("Errors", "must be unique"),
        "yes_or_no": QCoreApplication.translate("Errors", "yes or no"),
        "invalid_record": QCoreApplication.translate("Errors", "not a valid record"),
        "max_items": QCoreApplication.translate("Errors", "at most {limit} items"),
        # numbers
        "number": QCoreApplication.translate("Errors", "a number"),
        "whole_number": QCoreApplication.translate("Errors", "a whole number"),
        "positive_whole_number": QCoreApplication.translate("Errors", "a positive whole number"),
        "not_negative": QCoreApplication.translate("Errors", "0 or more"),
        "min_value": QCoreApplication.translate("Errors", "at least {limit}"),
        "max_value": QCoreApplication.translate("Errors", "at most {limit}"),
        "number_range": QCoreApplication.translate("Errors", "{minimum} to {maximum}"),
        "digits_range": QCoreApplication.translate("Errors", "{minimum} to {maximum} digits"),
        # dates and times
        "date_format": QCoreApplication.translate("Errors", "a date (YYYY-MM-DD)"),
        "month_format": QCoreApplication.translate("Errors", "a month (YYYY-MM)"),
        "date_or_time_format": QCoreApplication.translate(
            "Errors", "a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)"),
        "date_time_format": QCoreApplication.translate("Errors", "a date and time like 2026-11-24T10:30"),
        "not_in_future": QCoreApplication.translate("Errors", "must not be in the future"),
        "must_be_future": QCoreApplication.translate("Errors", "must be in the future"),
        "time_zone_needed": QCoreApplication.translate("Errors", "needs a time zone"),
        "unknown_time_zone": QCoreApplication.translate("Errors", "unknown time zone '{zone}'"),
        "minutes_range": QCoreApplication.translate("Errors", "{minimum} to {maximum} minutes"),
        "too_old": QCoreApplication.translate("Errors", "older than {days} days"),
        # identity and contact
        "consent_required": QCoreApplication.translate(
            "Errors", "the customer must agree to their data being kept for the service"),
        "nothing_changed": QCoreApplication.translate("Errors", "nothing was changed"),
        "merged_record": QCoreApplication.translate("Errors", "this record was merged into customer {into}"),
        "account_held": QCoreApplication.translate(
            "Errors", "this account number is already on the record of customer {customer}"),
        "account_closed": QCoreApplication.translate("Errors", "the account is closed"),
        "phone_format": QCoreApplication.translate(
            "Errors", "a mainland mobile number (11 digits) or a landline with area code"),
        "resident_id_format": QCoreApplication.translate("Errors", "17 digits followed by a digit or X"),
        "resident_id_birth_date": QCoreApplication.translate("Errors", "digits 7–14 are not a valid birth date"),
        "birth_date_impossible": QCoreApplication.translate("Errors", "the birth date is impossible"),
        "check_character": QCoreApplication.translate("Errors", "the check character does not match"),
        "credit_code_format": QCoreApplication.translate(
            "Errors", "8 digits then 10 digits or capital letters (no I, O, S, V, Z)"),
        "credit_code_invalid": QCoreApplication.translate("Errors", "not a valid unified social credit code"),
        "id_type": QCoreApplication.translate("Errors", "resident ID or credit code"),
        # users and branches
        "username_characters": QCoreApplication.translate("Errors", "letters, digits, '.' and '_' only"),
        "letter_and_digit": QCoreApplication.translate("Errors", "at least one letter and one digit"),
        "password_unchanged": QCoreApplication.translate("Errors", "must differ from the current password"),
        "user_exists": QCoreApplication.translate("Errors", "user {user} already exists"),
        "branch_exists": QCoreApplication.translate("Errors", "branch {branch} already exists"),
        "branch_ambiguous": QCoreApplication.translate(
            "Errors", "required when the database has no branch or several branches"),
        # queue, counters, appointments, ratings
        "prefix_letter": QCoreApplication.translate("Errors", "must be one capital letter A–Z"),
        "numbers_used_up": QCoreApplication.translate("Errors", "prefix {prefix} has used all {count} numbers today"),
        "unknown_outcome": QCoreApplication.translate("Errors", "unknown outcome '{outcome}'"),
        "transfer_target_missing": QCoreApplication.translate("Errors", "choose a business type or a counter"),
        "queue_position": QCoreApplication.translate("Errors", "front, end or arrival"),
        "business_type_repeated": QCoreApplication.translate("Errors", "each business type at most once"),
        "rank_whole_number": QCoreApplication.translate("Errors", "the rank of {business_type} must be a whole number"),
        "booking_codes_used_up": QCoreApplication.translate("Errors", "no free booking code; try again"),
        "rating_source": QCoreApplication.translate("Errors", "evaluator or teller"),
        # checklists
        "supervisor_must_confirm": QCoreApplication.translate("Errors", "a supervisor must confirm"),
        # customers and their files
        "encoding": QCoreApplication.translate("Errors", "neither UTF-8 nor GBK text"),
        "missing_columns": QCoreApplication.translate("Errors", "missing columns: {columns}"),
        "fewer_fields": QCoreApplication.translate("Errors", "fewer fields than the header"),
        "more_fields": QCoreApplication.translate("Errors", "more fields than the header"),
        "unclosed_quote": QCoreApplication.translate("Errors", "a quote opened on this line is not closed"),
        "line_unreadable": QCoreApplication.translate("Errors", "line {line}: {detail}"),
        "merge_into_itself": QCoreApplication.translate("Errors", "a customer cannot be merged into itself"),
        "already_merged": QCoreApplication.translate("Errors", "this customer was already merged"),
        "merge_kinds_differ": QCoreApplication.translate(
            "Errors", "an individual and a corporate customer cannot be merged"),
        # complaints
        "not_branch_user": QCoreApplication.translate("Errors", "not a user of this branch"),
        "same_complaint": QCoreApplication.translate("Errors", "a complaint cannot be merged into itself"),
        "not_open_complaint": QCoreApplication.translate("Errors", "not an open complaint of this branch"),
        "before_clock_start": QCoreApplication.translate("Errors", "before the clock started"),
        "before_last_pause_end": QCoreApplication.translate("Errors", "before the last pause ended"),
        "before_pause_start": QCoreApplication.translate("Errors", "before the pause began"),
        "max_extensions": QCoreApplication.translate("Errors", "at most {count} extensions"),
        "deadline_order": QCoreApplication.translate("Errors", "must be 0 < decide ≤ extended ≤ maximum"),
        # branch settings
        "unknown_setting": QCoreApplication.translate("Errors", "no such setting"),
        "workstation_setting": QCoreApplication.translate("Errors", "set on each workstation, not for the branch"),
        "tier_scores_order": QCoreApplication.translate("Errors", "must rise: gold ≤ platinum ≤ diamond"),
        "code_characters": QCoreApplication.translate("Errors", "{minimum} to {maximum} capital letters or digits"),
        # files, the database, backups
        "file_type": QCoreApplication.translate("Errors", "must end in one of {extensions}"),
        "folder_missing": QCoreApplication.translate("Errors", "the folder {folder} does not exist"),
        "database_url_format": QCoreApplication.translate(
            "Errors", "not a URL such as sqlite:///path/branchdesk.sqlite3 or postgresql://user@server/branchdesk"),
        "database_kind_unsupported": QCoreApplication.translate(
            "Errors", "'{kind}' is not supported (sqlite or postgresql)"),
        "unreadable": QCoreApplication.translate("Errors", "cannot be read ({detail})"),
        "not_sqlite": QCoreApplication.translate("Errors", "not a SQLite database"),
        "integrity_failed": QCoreApplication.translate("Errors", "the integrity check failed ({detail})"),
        "tables_missing": QCoreApplication.translate("Errors", "the BranchDesk tables are missing"),
        "no_schema_revision": QCoreApplication.translate("Errors", "no schema revision"),
        "unknown_revision": QCoreApplication.translate(
            "Errors", "schema revision {revision} is unknown to this version"),
        "triggers_missing": QCoreApplication.translate(
            "Errors", "the audit log's protecting triggers are missing ({names})"),
        "system_error": QCoreApplication.translate("Errors", "{detail}"),
        "copy_integrity": QCoreApplication.translate("Errors", "{file} does not pass the integrity check"),
        "restore_integrity": QCoreApplication.translate(
            "Errors", "the restored database fails the integrity check; the previous one is in {file}"),
        # the data key (app/keys.py)
        "current_key_kept": QCoreApplication.translate("Errors", "the current key cannot be dropped"),
        "key_variable_empty": QCoreApplication.translate("Errors", "{variable} is empty"),
        "key_file_unreadable": QCoreApplication.translate("Errors", "cannot read the data key file {path}: {detail}"),
        "current_key_missing": QCoreApplication.translate("Errors", "{path}: the current key {key} is not in the file"),
        "key_not_base64": QCoreApplication.translate("Errors", "{origin}: a key must be base64"),
        "key_length": QCoreApplication.translate(
            "Errors", "{origin}: a key must be 32 bytes (base64 of 32 random bytes)"),
        "no_data_key": QCoreApplication.translate("Errors", "no data key: set {variable} or create {path}"),
        "key_not_held": QCoreApplication.translate(
            "Errors", "value encrypted with key {key}, which this workstation does not hold"),
        "not_authentic": QCoreApplication.translate("Errors", "a stored {column} failed authentication"),
        # checklist template files (app/domain/checklist_templates.py); keys are the file's own words
        "toml_invalid": QCoreApplication.translate("Errors", "not valid TOML: {detail}"),
        "template_table": QCoreApplication.translate("Errors", "a [template] table is required"),
        "template_version": QCoreApplication.translate("Errors", "version must be a whole number of 1 or more"),
        "template_steps": QCoreApplication.translate("Errors", "at least one [[step]] is required"),
        "unknown_business_type": QCoreApplication.translate(
            "Errors", "business_type '{business_type}' is not a business type"),
        "key_not_text": QCoreApplication.translate("Errors", "{key} must be text"),
        "key_required": QCoreApplication.translate("Errors", "{key} is required"),
        "key_not_number": QCoreApplication.translate("Errors", "{key} must be a number"),
        "key_not_bool": QCoreApplication.translate("Errors", "{key} must be true or false"),
        "key_one_of": QCoreApplication.translate("Errors", "{key} must be one of {keywords}"),
        "unknown_key": QCoreApplication.translate("Errors", "unknown key '{key}'"),
        "step_not_table": QCoreApplication.translate("Errors", "a step must be a table"),
        "step_id_format": QCoreApplication.translate(
            "Errors", "id must be lower-case letters, digits and _ (starting with a letter)"),
        "step_id_repeated": QCoreApplication.translate("Errors", "id is used by an earlier step"),
        "choice_options": QCoreApplication.translate("Errors", "a choice step needs at least two options"),
        "option_parts": QCoreApplication.translate("Errors", "each option needs value, zh and en"),
        "option_values_repeated": QCoreApplication.translate("Errors", "option values must be unique"),
        "options_only_choice": QCoreApplication.translate("Errors", "only a choice step has options"),
        "min_max_only_number": QCoreApplication.translate("Errors", "only a number step has min and max"),
        "min_above_max": QCoreApplication.translate("Errors", "min is greater than max"),
        "pattern_only_text": QCoreApplication.translate("Errors", "only a text step has a pattern"),
        "pattern_invalid": QCoreApplication.translate("Errors", "pattern is not a valid regular expression"),
        "format_only_date": QCoreApplication.translate("Errors", "format: only a text step may be a date"),
        "max_age_days": QCoreApplication.translate(
            "Errors", 'max_age_days needs format = "date" and a positive whole number'),
        "max_length_range": QCoreApplication.translate("Errors", "max_length must be {minimum} to {maximum}"),
        "when_not_table": QCoreApplication.translate("Errors", "when must be a table or a list of tables"),
        "when_fact_or_input": QCoreApplication.translate("Errors", "when: name a fact or an input"),
        "when_unknown_fact": QCoreApplication.translate("Errors", "when: unknown fact '{fact}'"),
        "when_not_earlier": QCoreApplication.translate("Errors", "when: input '{input}' is not an earlier step"),
        "when_no_input": QCoreApplication.translate("Errors", "when: step {target} takes no input"),
        "when_not_option": QCoreApplication.translate("Errors", "when: {value} is not an option of {target}"),
        "when_not_number": QCoreApplication.translate("Errors", "when: {target} is a number; compare it with a number"),
        "rule_not_table": QCoreApplication.translate("Errors", "a rule must be a table"),
        "rule_steps": QCoreApplication.translate("Errors", "left and right must name steps of this template"),
        "rule_kinds": QCoreApplication.translate("Errors", "left and right must be two numbers or two choices"),
    }


def choice_words() -> dict[str, str]:
    """Accepted values listed by ``one_of`` (``choices``) that are words: roles, pause reasons,
    kinds, bands… A value that names a field is translated as the field (ui/error_fields.py); a
    checklist option brings its own Chinese label (``choices_zh``). Lists that must be typed as
    they are (``keywords``, ``columns``…) are never looked up here."""
    return {
        "teller": QCoreApplication.translate("Errors", "teller"),
        "lobby_manager": QCoreApplication.translate("Errors", "lobby manager"),
        "supervisor": QCoreApplication.translate("Errors", "supervisor"),
        "customer_manager": QCoreApplication.translate("Errors", "customer manager"),
        "wealth_manager": QCoreApplication.translate("Errors", "wealth manager"),
        "break": QCoreApplication.translate("Errors", "break", "pause reason"),
        "meeting": QCoreApplication.translate("Errors", "meeting", "pause reason"),
        "cash_handover": QCoreApplication.translate("Errors", "cash handover", "pause reason"),
        "other": QCoreApplication.translate("Errors", "other", "pause reason"),
        "revisit": QCoreApplication.translate("Errors", "follow-up visit", "follow-up type"),
        "birthday": QCoreApplication.translate("Errors", "birthday greeting", "follow-up type"),
        "debit_card": QCoreApplication.translate("Errors", "debit card", "account type"),
        "credit_card": QCoreApplication.translate("Errors", "credit card", "account type"),
        "savings": QCoreApplication.translate("Errors", "savings account", "account type"),
        "settlement": QCoreApplication.translate("Errors", "settlement account", "account type"),
        "high": QCoreApplication.translate("Errors", "high", "band"),
        "middle": QCoreApplication.translate("Errors", "medium", "band"),
        "low": QCoreApplication.translate("Errors", "low", "band"),
        "good": QCoreApplication.translate("Errors", "good", "credit grade"),
        "fair": QCoreApplication.translate("Errors", "fair", "credit grade"),
        "risk": QCoreApplication.translate("Errors", "risk", "credit grade or compliance"),
        "compliant": QCoreApplication.translate("Errors", "compliant", "compliance"),
        "watch": QCoreApplication.translate("Errors", "watch", "compliance"),
        "name": QCoreApplication.translate("Errors", "name", "personal data"),
        "id_number": QCoreApplication.translate("Errors", "ID number", "personal data"),
        "phone": QCoreApplication.translate("Errors", "phone", "personal data"),
        "account": QCoreApplication.translate("Errors", "account number", "personal data"),
        "customer_name": QCoreApplication.translate("Errors", "customer name", "personal data"),
        "customer_age": QCoreApplication.translate("Errors", "customer age", "checklist fact"),
    }


def list_separator() -> str:
    """Between the values of a list parameter (``choices``, ``columns``…)."""
    return QCoreApplication.translate("Errors", ", ", "list separator")
