"""Why an input or an action was refused: a stable code, and its English sentence.

A DomainError's ``reason`` parameter is one of the codes below, never a sentence; the data the
sentence needs travels as further parameters of the error (``ValidationError(field="note",
reason="max_length", limit=2000)`` reads "note: at most 2000 characters"). The English here is
what ``str(error)``, the admin CLI, error files and the log show; ui/error_reasons.py translates
the same codes, so rewording a sentence here changes no translation.

A parameter holding several values is a tuple; English lists it with commas. ``choices`` are
the accepted values of an input (the UI translates those that are words); ``keywords``,
``columns``, ``names`` and ``extensions`` are spelled as they must be typed.

tests/unit/test_translations.py checks that every reason code raised in app/ is here and has a
Chinese sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

REASONS: dict[str, str] = {
    # any input
    "required": "required",
    "not_text": "must be text",
    "max_length": "at most {limit} characters",
    "min_length": "at least {limit} characters",
    "length_range": "{minimum} to {maximum} characters",
    "exact_length": "must have {length} characters",
    "nul_character": "contains a NUL character",
    "control_characters": "contains control characters",
    "format_characters": "contains invisible formatting characters",
    "masked_characters": "contains masked characters (*): type the full value or leave it unchanged",
    "bad_format": "not in the expected format",
    "one_of": "one of {choices}",
    "not_listed": "not one of the listed values",
    "not_unique": "must be unique",
    "yes_or_no": "yes or no",
    "invalid_record": "not a valid record",
    "max_items": "at most {limit} items",
    # numbers
    "number": "a number",
    "whole_number": "a whole number",
    "positive_whole_number": "a positive whole number",
    "not_negative": "0 or more",
    "min_value": "at least {limit}",
    "max_value": "at most {limit}",
    "number_range": "{minimum} to {maximum}",
    "digits_range": "{minimum} to {maximum} digits",
    # dates and times
    "date_format": "a date (YYYY-MM-DD)",
    "month_format": "a month (YYYY-MM)",
    "date_or_time_format": "a date (YYYY-MM-DD) or a date and time (YYYY-MM-DDTHH:MM)",
    "date_time_format": "a date and time like 2026-11-24T10:30",
    "not_in_future": "must not be in the future",
    "must_be_future": "must be in the future",
    "time_zone_needed": "needs a time zone",
    "unknown_time_zone": "unknown time zone '{zone}'",
    "minutes_range": "{minimum} to {maximum} minutes",
    "too_old": "older than {days} days",
    # identity and contact
    "phone_format": "a mainland mobile number (11 digits) or a landline with area code",
    "resident_id_format": "17 digits followed by a digit or X",
    "resident_id_birth_date": "digits 7–14 are not a valid birth date",
    "birth_date_impossible": "the birth date is impossible",
    "check_character": "the check character does not match",
    "credit_code_format": "8 digits then 10 digits or capital letters (no I, O, S, V, Z)",
    "credit_code_invalid": "not a valid unified social credit code",
    "id_type": "resident_id or uscc",
    "consent_required": "the customer must agree to their data being kept for the service",
    "nothing_changed": "nothing was changed",
    "merged_record": "this record was merged into customer {into}",
    "account_held": "this account number is already on the record of customer {customer}",
    "account_closed": "the account is closed",
    # users and branches
    "username_characters": "letters, digits, '.' and '_' only",
    "letter_and_digit": "at least one letter and one digit",
    "password_unchanged": "must differ from the current password",
    "user_exists": "user {user} already exists",
    "branch_exists": "branch {branch} already exists",
    "branch_ambiguous": "required when the database has no branch or several branches",
    # queue, counters, appointments, ratings
    "prefix_letter": "must be one capital letter A–Z",
    "numbers_used_up": "prefix {prefix} has used all {count} numbers today",
    "unknown_outcome": "unknown outcome '{outcome}'",
    "transfer_target_missing": "choose a business type or a counter",
    "queue_position": "front, end or arrival",
    "business_type_repeated": "each business type at most once",
    "rank_whole_number": "the rank of {business_type} must be a whole number",
    "booking_codes_used_up": "no free booking code; try again",
    "rating_source": "evaluator or teller",
    # checklists
    "supervisor_must_confirm": "a supervisor must confirm",
    # customers and their files
    "encoding": "neither UTF-8 nor GBK text",
    "missing_columns": "missing columns: {columns}",
    "fewer_fields": "fewer fields than the header",
    "more_fields": "more fields than the header",
    "unclosed_quote": "a quote opened on this line is not closed",
    "line_unreadable": "line {line}: {detail}",
    "merge_into_itself": "a customer cannot be merged into itself",
    "already_merged": "this customer was already merged",
    "merge_kinds_differ": "an individual and a corporate customer cannot be merged",
    # complaints
    "not_branch_user": "not a user of this branch",
    "same_complaint": "a complaint cannot be merged into itself",
    "not_open_complaint": "not an open complaint of this branch",
    "before_clock_start": "before the clock started",
    "before_last_pause_end": "before the last pause ended",
    "before_pause_start": "before the pause began",
    "max_extensions": "at most {count} extensions",
    "deadline_order": "must be 0 < decide ≤ extended ≤ maximum",
    # branch settings
    "unknown_setting": "no such setting",
    "workstation_setting": "set on each workstation, not for the branch",
    "tier_scores_order": "must rise: gold ≤ platinum ≤ diamond",
    "code_characters": "{minimum} to {maximum} capital letters or digits",
    # files, the database, backups
    "file_type": "must end in one of {extensions}",
    "folder_missing": "the folder {folder} does not exist",
    "database_url_format": "not a URL such as sqlite:///path/branchdesk.sqlite3 or postgresql://user@server/branchdesk",
    "database_kind_unsupported": "'{kind}' is not supported (sqlite or postgresql)",
    "unreadable": "cannot be read ({detail})",
    "not_sqlite": "not a SQLite database",
    "integrity_failed": "the integrity check failed ({detail})",
    "tables_missing": "the BranchDesk tables are missing",
    "no_schema_revision": "no schema revision",
    "unknown_revision": "schema revision {revision} is unknown to this version",
    "triggers_missing": "the audit log's protecting triggers are missing ({names})",
    "system_error": "{detail}",
    "copy_integrity": "{file} does not pass the integrity check",
    "restore_integrity": "the restored database fails the integrity check; the previous one is in {file}",
    # the data key (app/keys.py)
    "current_key_kept": "the current key cannot be dropped",
    "key_variable_empty": "{variable} is empty",
    "key_file_unreadable": "cannot read the data key file {path}: {detail}",
    "current_key_missing": "{path}: the current key {key} is not in the file",
    "key_not_base64": "{origin}: a key must be base64",
    "key_length": "{origin}: a key must be 32 bytes (base64 of 32 random bytes)",
    "no_data_key": "no data key: set {variable} or create {path}",
    "key_not_held": "value encrypted with key {key}, which this workstation does not hold",
    "not_authentic": "a stored {column} failed authentication",
    # checklist template files (app/domain/checklist_templates.py); keys are the file's own words
    "toml_invalid": "not valid TOML: {detail}",
    "template_table": "a [template] table is required",
    "template_version": "version must be a whole number of 1 or more",
    "template_steps": "at least one [[step]] is required",
    "unknown_business_type": "business_type '{business_type}' is not a business type",
    "key_not_text": "{key} must be text",
    "key_required": "{key} is required",
    "key_not_number": "{key} must be a number",
    "key_not_bool": "{key} must be true or false",
    "key_one_of": "{key} must be one of {keywords}",
    "unknown_key": "unknown key '{key}'",
    "step_not_table": "a step must be a table",
    "step_id_format": "id must be lower-case letters, digits and _ (starting with a letter)",
    "step_id_repeated": "id is used by an earlier step",
    "choice_options": "a choice step needs at least two options",
    "option_parts": "each option needs value, zh and en",
    "option_values_repeated": "option values must be unique",
    "options_only_choice": "only a choice step has options",
    "min_max_only_number": "only a number step has min and max",
    "min_above_max": "min is greater than max",
    "pattern_only_text": "only a text step has a pattern",
    "pattern_invalid": "pattern is not a valid regular expression",
    "format_only_date": "format: only a text step may be a date",
    "max_age_days": "max_age_days needs format = \"date\" and a positive whole number",
    "max_length_range": "max_length must be {minimum} to {maximum}",
    "when_not_table": "when must be a table or a list of tables",
    "when_fact_or_input": "when: name a fact or an input",
    "when_unknown_fact": "when: unknown fact '{fact}'",
    "when_not_earlier": "when: input '{input}' is not an earlier step",
    "when_no_input": "when: step {target} takes no input",
    "when_not_option": "when: {value} is not an option of {target}",
    "when_not_number": "when: {target} is a number; compare it with a number",
    "rule_not_table": "a rule must be a table",
    "rule_steps": "left and right must name steps of this template",
    "rule_kinds": "left and right must be two numbers or two choices",
}


def shown(value: Any) -> Any:
    """A parameter as an English sentence shows it: several values separated by commas."""
    if isinstance(value, (tuple, list, set, frozenset)):
        return ", ".join(str(item) for item in value)
    return value


def english_params(params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` ready for an English template: lists joined, the ``reason`` code as its sentence.

    A code missing from :data:`REASONS` stays as it is (the tests keep that from happening)."""
    filled = {name: shown(value) for name, value in params.items()}
    code = params.get("reason")
    sentence = REASONS.get(code) if isinstance(code, str) else None
    if sentence is not None:
        try:
            filled["reason"] = sentence.format(**filled)
        except (KeyError, IndexError, ValueError):
            filled["reason"] = sentence
    return filled
