"""The Qt translation catalogues: complete, consistent with the sources, compiled, and used.

The catalogues (resources/translations/*.ts) are kept by ``python packaging/translations.py
update`` (pyside6-lupdate over ui/**/*.py) and compiled by ``… compile`` (pyside6-lrelease);
both the .ts and the .qm files are committed. Only zh_CN is translated: English is the source
language, ``ui.i18n.install_translators`` installs nothing for it, and branchdesk_en.ts is kept
only as lupdate's record of the source strings (its messages stay "unfinished" on purpose).
"""

from __future__ import annotations

import ast
import importlib.util
import re
import xml.etree.ElementTree as ET
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTranslator

from app.domain.appointments import normalise_phone
from app.domain.errors import DomainError, ValidationError
from app.domain.identity import parse_resident_id
from tests.unit.reason_sites import reason_sites

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"

# packaging/ is a folder of scripts, not a package (and "packaging" is also a PyPI library).
_spec = importlib.util.spec_from_file_location("branchdesk_translations", ROOT / "packaging" / "translations.py")
assert _spec is not None and _spec.loader is not None
translations = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(translations)

ZH_TS = translations.ts_path("zh_CN")
ZH_QM = translations.qm_path("zh_CN")

#: ``{name}`` placeholders of str.format (``{{`` escapes are not placeholders).
PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)\}(?!\})")


def messages(ts: Path) -> list[tuple[str, str, str, ET.Element]]:
    """(context, source, disambiguation comment, <message>) for every message of a catalogue."""
    found = []
    for context in ET.parse(ts).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            found.append((name, message.findtext("source") or "", message.findtext("comment") or "", message))
    return found


def keys(ts: Path) -> set[tuple[str, str, str]]:
    return {(context, source, comment) for context, source, comment, _ in messages(ts)}


def translation_texts(message: ET.Element) -> list[str]:
    translation = message.find("translation")
    if translation is None:
        return []
    forms = translation.findall("numerusform")
    return [form.text or "" for form in forms] if forms else [translation.text or ""]


def zh_messages() -> list[tuple[str, str, str, list[str]]]:
    return [(context, source, comment, translation_texts(message))
            for context, source, comment, message in messages(ZH_TS)]


def where(context: str, source: str, comment: str) -> str:
    return f"{context}: {source!r}" + (f" ({comment})" if comment else "")


# -- the catalogue ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", translations.LANGUAGES)
def test_the_catalogue_holds_exactly_the_strings_of_the_sources(tmp_path, language) -> None:
    committed = translations.ts_path(language)
    fresh = tmp_path / committed.name
    fresh.write_bytes(committed.read_bytes())
    translations.update([fresh])
    added = keys(fresh) - keys(committed)
    gone = keys(committed) - keys(fresh)
    assert not added and not gone, (
        "The catalogue is out of date; run `python packaging/translations.py update`, translate, and "
        f"`python packaging/translations.py compile`.\nNew in the sources: {sorted(added)}\n"
        f"No longer in the sources: {sorted(gone)}")


def test_every_chinese_message_is_translated() -> None:
    offenders = [where(context, source, comment)
                 for context, source, comment, message in messages(ZH_TS)
                 if message.find("translation") is None
                 or message.find("translation").get("type") in ("unfinished", "vanished", "obsolete")
                 or not all(text.strip() for text in translation_texts(message))]
    assert not offenders, f"{len(offenders)} zh_CN messages are unfinished or empty:\n" + "\n".join(offenders)


def test_placeholders_are_kept_in_the_chinese_translations() -> None:
    offenders = []
    for context, source, comment, texts in zh_messages():
        wanted = Counter(PLACEHOLDER.findall(source))
        for text in texts:
            if Counter(PLACEHOLDER.findall(text)) != wanted:
                offenders.append(f"{where(context, source, comment)} -> {text!r}")
    assert not offenders, "Placeholders differ between source and translation:\n" + "\n".join(offenders)


def test_line_breaks_accelerators_and_function_keys_are_kept() -> None:
    offenders = []
    for context, source, comment, texts in zh_messages():
        for text in texts:
            if text.count("\n") != source.count("\n"):
                offenders.append(f"line breaks: {where(context, source, comment)} -> {text!r}")
            accelerator = re.search(r"&(\w)", source)
            if accelerator and f"(&{accelerator.group(1).upper()})" not in text:
                offenders.append(f"accelerator: {where(context, source, comment)} -> {text!r}")
            for key in re.findall(r"\(F\d+\)", source):
                if key not in text:
                    offenders.append(f"function key: {where(context, source, comment)} -> {text!r}")
            if source.endswith("…") and not text.endswith("…") and not text.endswith("…)"):
                offenders.append(f"ellipsis: {where(context, source, comment)} -> {text!r}")
    assert not offenders, "\n".join(offenders)


def test_the_committed_qm_is_compiled_from_the_committed_ts(tmp_path) -> None:
    # lrelease is deterministic: the same .ts gives the same bytes.
    first, second = tmp_path / "first.qm", tmp_path / "second.qm"
    translations.compile_catalogue(ZH_TS, first)
    translations.compile_catalogue(ZH_TS, second)
    assert first.read_bytes() == second.read_bytes()
    assert ZH_QM.read_bytes() == first.read_bytes(), \
        "branchdesk_zh_CN.qm is stale; run `python packaging/translations.py compile`"


# -- domain errors in Chinese -------------------------------------------------------------------


@pytest.fixture
def chinese(qapp):  # type: ignore[no-untyped-def]
    """The committed zh_CN catalogue installed for the test, removed afterwards."""
    translator = QTranslator()
    assert translator.load(str(ZH_QM))
    QCoreApplication.installTranslator(translator)
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_the_catalogue_translates_at_run_time(chinese) -> None:
    assert QCoreApplication.translate("CounterActions", "Call next (F1)") == "叫号(F1)"
    assert QCoreApplication.translate("MainWindow", "&File") == "文件(&F)"
    assert QCoreApplication.translate("Errors", "called", "ticket status") == "已叫号"
    assert QCoreApplication.translate("Errors", "called", "ticket action") == "叫号"


def test_a_bad_phone_number_is_explained_in_chinese_naming_the_field(chinese) -> None:
    from ui.errors import describe

    with pytest.raises(ValidationError) as caught:
        normalise_phone("12345")
    assert caught.value.params["field"] == "phone"
    text = describe(caught.value)
    assert text.startswith("联系电话："), text
    assert "手机号码" in text and not re.search(r"[A-Za-z]{3,}", text), text


def test_reasons_are_translated_by_code_around_their_values(chinese) -> None:
    from ui.errors import describe

    assert describe(ValidationError(field="password", reason="min_length", limit=8)) == "密码：至少 8 个字符"
    with pytest.raises(ValidationError) as caught:
        parse_resident_id("1234", today=date(2026, 11, 23))
    assert caught.value.params["reason"] == "exact_length" and caught.value.params["length"] == 18
    assert describe(caught.value) == "身份证号码：须为 18 位"
    # A code nobody wrote a sentence for yet shows as it is rather than vanish (the tests below
    # keep that from reaching a user).
    assert describe(ValidationError(field="phone", reason="something_new")) == "联系电话：something_new"


def test_reasons_read_in_english_where_no_ui_translates_them() -> None:
    assert str(ValidationError(field="note", reason="max_length", limit=2000)) == "note: at most 2000 characters"
    assert str(ValidationError(field="role", reason="one_of", choices=("teller", "supervisor"))) == \
        "role: one of teller, supervisor"


def test_listed_choices_that_are_words_are_translated_and_typed_names_are_not(chinese) -> None:
    from ui.errors import describe

    assert describe(ValidationError(field="role", reason="one_of", choices=("teller", "supervisor"))) == \
        "角色：须为以下之一：柜员、网点主管"
    # Column names are what the file's header must say: they stay as they are.
    assert describe(ValidationError(field="file", reason="missing_columns", columns=("name", "id_number"))) == \
        "文件：缺少列：name、id_number"


def test_words_in_parameters_are_translated_by_their_meaning(chinese) -> None:
    from app.domain.tickets import TicketAction, TicketStatus, next_status
    from ui.errors import describe

    with pytest.raises(DomainError) as caught:
        next_status("A001", TicketStatus.CALLED, TicketAction.CALL)
    assert describe(caught.value) == "A001 号已叫号，无法叫号。"


# -- every error app/ raises has words in the UI ---------------------------------------------


def _calls(names: set[str]) -> list[tuple[Path, ast.Call]]:
    found = []
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in names:
                    found.append((path, node))
    return found


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((k.value for k in call.keywords if k.arg == name), None)


def _error_classes() -> set[str]:
    tree = ast.parse((APP / "domain" / "errors.py").read_text(encoding="utf-8"))
    return {node.name for node in tree.body if isinstance(node, ast.ClassDef)}


def test_every_error_code_raised_in_app_has_a_sentence() -> None:
    from ui.errors import _templates

    codes = set()
    for node in ast.parse((APP / "domain" / "errors.py").read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.Assign) and any(getattr(t, "id", "") == "code" for t in item.targets):
                    codes.add(item.value.value)  # type: ignore[attr-defined]
    for path, call in _calls(_error_classes()):
        code = _keyword(call, "code")
        if isinstance(code, ast.Constant):
            codes.add(code.value)
    missing = sorted(codes - set(_templates()))
    assert not missing, f"ui/errors.py _templates() has no sentence for {missing}"


def test_every_setup_problem_has_a_sentence() -> None:
    setup_texts = (ROOT / "ui" / "setup_texts.py").read_text(encoding="utf-8")
    known = set(re.findall(r'"(\w+)": QCoreApplication\.translate\(\s*"SetupWizard"', setup_texts))
    codes = {call.args[0].value for _, call in _calls({"problem"})
             if call.args and isinstance(call.args[0], ast.Constant)}
    assert codes and not codes - known, f"ui/setup_texts.py has no sentence for {sorted(codes - known)}"


def test_every_field_raised_in_app_is_translated() -> None:
    """Literal fields of ValidationError/Conflict have a translation. Left in English on purpose:
    the admin CLI's options (``--branch``) and the business-type data file's fields (``{file}
    entry {n}: {key}``), which only administrators see."""
    from ui.error_fields import field_names

    fields = field_names()
    missing = []
    for path, call in _calls({"ValidationError", "Conflict"}):
        field = _keyword(call, "field")
        if isinstance(field, ast.Constant) and field.value.startswith("--"):
            continue  # an admin CLI option
        if isinstance(field, ast.Constant) and field.value not in fields:
            missing.append(f"{path.relative_to(ROOT)}:{call.lineno} field {field.value!r}")
    # Fields passed on as a default argument (require_reason(field="reason"), normalise_phone(field="phone")…)
    for path in sorted(APP.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                arguments = node.args.args + node.args.kwonlyargs
                defaults = [None] * (len(node.args.args) - len(node.args.defaults)) + list(node.args.defaults) \
                    + list(node.args.kw_defaults)
                for argument, default in zip(arguments, defaults):
                    if argument.arg == "field" and isinstance(default, ast.Constant) and default.value not in fields:
                        missing.append(f"{path.relative_to(ROOT)}:{node.lineno} field {default.value!r}")
    assert not missing, "ui/error_fields.py does not translate:\n" + "\n".join(missing)


# -- every reason code app/ raises has a sentence in English and in Chinese ----------------------

#: A reason code: lower-case words joined by "_" (never a sentence).
REASON_CODE = re.compile(r"[a-z][a-z0-9]*(_[a-z0-9]+)*")


def _ui_sentences(module: Path, function: str) -> dict[str, tuple[str, str, str]]:
    """code -> (context, source, comment) of the literal translate() calls in ``function``'s dict."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    body = next(node for node in tree.body if isinstance(node, ast.FunctionDef) and node.name == function)
    table = next(node.value for node in ast.walk(body) if isinstance(node, ast.Return))
    assert isinstance(table, ast.Dict)
    found = {}
    for key, call in zip(table.keys, table.values):
        assert isinstance(key, ast.Constant) and isinstance(call, ast.Call), ast.unparse(call)
        texts = [arg.value for arg in call.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)]
        assert _callee_name(call) == "translate" and len(texts) == len(call.args) >= 2, \
            f"{key.value}: spell out QCoreApplication.translate(\"Errors\", \"…\") with literals"
        found[key.value] = (texts[0], texts[1], texts[2] if len(texts) > 2 else "")
    return found


def _callee_name(call: ast.Call) -> str:
    return call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")


def finished_chinese() -> dict[tuple[str, str, str], str]:
    return {(context, source, comment): translation_texts(message)[0]
            for context, source, comment, message in messages(ZH_TS)
            if message.find("translation") is not None and message.find("translation").get("type") is None
            and all(text.strip() for text in translation_texts(message))}


def test_every_reason_app_gives_is_a_code() -> None:

    sites = reason_sites()
    assert len(sites) > 150, "the scan no longer finds the raise sites"
    prose = [str(site) for site in sites if site.code is None or not REASON_CODE.fullmatch(site.code)]
    assert not prose, ("A reason is a code of app/domain/reasons.py, its data named parameters "
                       "(reason=\"max_length\", limit=2000):\n" + "\n".join(prose))


def test_every_reason_code_raised_in_app_has_an_english_and_a_chinese_sentence() -> None:
    from app.domain.reasons import REASONS

    raised = {site.code: site for site in reason_sites() if site.code is not None}
    ui = _ui_sentences(ROOT / "ui" / "error_reasons.py", "reason_sentences")
    chinese = finished_chinese()
    problems = [f"{site}: no English sentence in app/domain/reasons.py REASONS"
                for code, site in raised.items() if code not in REASONS]
    problems += [f"{site}: no sentence in ui/error_reasons.py reason_sentences()"
                 for code, site in raised.items() if code not in ui]
    problems += [f"{code}: {where(*ui[code])} has no finished zh_CN translation"
                 for code in raised if code in ui and ui[code] not in chinese]
    problems += [f"{code}: the UI's {ui[code][1]!r} and app/'s {REASONS[code]!r} name different parameters"
                 for code in raised if code in ui and code in REASONS
                 and Counter(PLACEHOLDER.findall(ui[code][1])) != Counter(PLACEHOLDER.findall(REASONS[code]))]
    problems += [f"{code}: not raised in app/ any more; remove it from both tables"
                 for code in sorted((REASONS.keys() | ui.keys()) - raised.keys())]
    assert not problems, "\n".join(problems)


def test_every_word_app_lists_as_a_choice_is_translated() -> None:
    """The ``choices`` of ``one_of`` that are words (roles, pause reasons…) have UI words, so the
    Chinese UI never lists English ones."""
    from app.domain.checklist_templates import FACTS
    from app.domain.roles import Role
    from app.domain.tiers import Band, Compliance, CreditGrade
    from app.services import appointments, complaint_sealing
    from app.services.counters import PauseReason
    from app.services.customers import records, service
    from ui.error_fields import field_names
    from ui.error_reasons import choice_words

    words = {**field_names(), **choice_words()}
    listed = {*Role, *PauseReason, *Band, *CreditGrade, *Compliance, *FACTS, *records.ACCOUNT_KINDS,
              *service.REVEAL_FIELDS, *service.FOLLOW_UP_KINDS, *appointments.REVEAL_FIELDS,
              *complaint_sealing.REVEAL_FIELDS}
    assert not listed - words.keys(), f"ui/error_reasons.py choice_words() lacks {sorted(listed - words.keys())}"


def test_the_reason_scan_follows_helpers_and_refuses_prose(tmp_path) -> None:

    (tmp_path / "sample.py").write_text(
        "from app.domain.errors import Conflict, ValidationError\n"
        "def _invalid(name, reason, **params):\n"
        "    return ValidationError(field=name, reason=reason, **params)\n"
        "def _kind(kind):\n"
        "    return {int: 'whole_number'}.get(kind, 'not_text')\n"
        "def check(value, limit):\n"
        "    raise _invalid('note', 'max_length', limit=limit)\n"
        "def check_kind(value):\n"
        "    raise ValidationError(field='x', reason=_kind(type(value)) if value else 'required')\n"
        "def old(limit):\n"
        "    raise ValidationError(field='note', reason=f'at most {limit} characters')\n"
        "def older(name):\n"
        "    raise Conflict(reason='user ' + name + ' already exists')\n", encoding="utf-8")
    sites = reason_sites(tmp_path)
    assert sorted(site.code for site in sites if site.code) == ["max_length", "not_text", "required",
                                                                "whole_number"]
    assert [site.line for site in sites if site.code is None] == [11, 13]
