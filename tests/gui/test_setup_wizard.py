"""The setup wizard driven as branch IT would: real pages, real settings file and SQLite database."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from PySide6.QtWidgets import QWizard

import app.services.auth as auth
from app.services.auth import authenticate
from app.services.bootstrap import prepare_database
from app.services.branch_settings import BranchSettings
from app.services.branches import get_branch, list_counters
from app.services.first_run import FirstRunSetup
from app.settings import Settings
from ui.setup_wizard import PageId, SetupWizard

PASSWORD = "Sup3rvisor!"
PRINTERS = ["Kiosk-Thermal", "Office-Laser"]


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture
def make_wizard(qtbot):  # type: ignore[no-untyped-def]
    languages: list[str] = []

    def make() -> SetupWizard:
        wizard = SetupWizard(FirstRunSetup(), switch_language=languages.append, printer_names=PRINTERS)
        wizard.chosen_languages = languages  # type: ignore[attr-defined]
        qtbot.addWidget(wizard)
        wizard.show()
        return wizard

    return make


def next_button(wizard: SetupWizard):  # type: ignore[no-untyped-def]
    return wizard.button(QWizard.WizardButton.NextButton)


def go_next(wizard: SetupWizard, expected: PageId) -> None:
    wizard.next()
    assert wizard.currentId() == expected, wizard.currentPage().error.text()


def test_first_run_creates_settings_database_branch_and_supervisor(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard()
    assert not Settings().exists
    wizard.language_page.english.click()
    assert wizard.chosen_languages == ["en"]
    go_next(wizard, PageId.DATABASE)
    assert wizard.database_page.local.isChecked() and next_button(wizard).isEnabled()
    go_next(wizard, PageId.BRANCH)

    page = wizard.branch_page
    page.code.setCurrentText("0101")
    page.name.setText("城东支行")
    page.counters.setValue(4)
    wizard.next()
    assert wizard.currentId() == PageId.BRANCH  # a new branch needs the bank's name
    assert "bank's name" in page.error.text()
    page.bank.setText("东方银行")
    go_next(wizard, PageId.WORKSTATION)

    station = wizard.workstation_page
    assert station.counter.maximum() == 4
    station.buttons["counter"].click()
    station.counter.setValue(2)
    go_next(wizard, PageId.PRINTERS)

    printers = wizard.printers_page.printers
    printers.slip_printer_combo.setCurrentIndex(printers.slip_printer_combo.findData("Kiosk-Thermal"))
    printers.a4_printer_combo.setCurrentIndex(printers.a4_printer_combo.findData("Office-Laser"))
    printers.slip_width_combo.setCurrentIndex(printers.slip_width_combo.findData(58))
    go_next(wizard, PageId.SUPERVISOR)

    supervisor = wizard.supervisor_page
    supervisor.username.setText("wang.zg")
    supervisor.display_name.setText("王主管")
    supervisor.password.setText(PASSWORD)
    supervisor.password_again.setText(PASSWORD + "?")
    wizard.next()
    assert wizard.currentId() == PageId.SUPERVISOR
    assert "do not match" in supervisor.error.text()
    supervisor.password_again.setText(PASSWORD)
    go_next(wizard, PageId.SUMMARY)
    summary = wizard.summary_page.summary.text()
    assert "0101 城东支行 (new; counters: 4)" in summary and "wang.zg" in summary and PASSWORD not in summary
    assert "Bank name: 东方银行" in summary
    assert not Settings().exists  # nothing is written before Finish

    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert wizard.result_of_setup is not None and wizard.result_of_setup.supervisor_created

    settings = Settings()
    assert settings.exists
    assert [settings.get(k) for k in ("ui.language", "database.url", "workstation.branch", "workstation.role",
                                      "workstation.counter", "printing.slip_printer", "printing.a4_printer",
                                      "printing.slip_width_mm")] == \
        ["en", "", "0101", "counter", 2, "Kiosk-Thermal", "Office-Laser", 58]
    db = prepare_database(settings.database_url())
    try:
        branch = get_branch(db, "0101")
        assert branch.name == "城东支行" and len(list_counters(db, branch.id)) == 4
        assert BranchSettings(db).values(branch.id) == {"printing.bank_name": "东方银行"}  # on every slip
        assert authenticate(db, "wang.zg", PASSWORD).role.value == "supervisor"
    finally:
        db.dispose()


def test_bad_postgresql_url_gives_a_readable_error_and_writes_nothing(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    wizard = make_wizard()
    go_next(wizard, PageId.DATABASE)
    page = wizard.database_page
    page.shared.click()
    assert not next_button(wizard).isEnabled()  # a shared database must pass the test first
    page.url.setText("postgresql://nobody@127.0.0.1:1/none")
    page.test_button.click()
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=10_000)

    text = page.result.text()
    assert "Nothing answers at 127.0.0.1 port 1" in text
    assert "Check that PostgreSQL runs there" in text
    assert not next_button(wizard).isEnabled()
    wizard.next()
    assert wizard.currentId() == PageId.DATABASE
    assert page.error.text() == "Test the connection to the database first."

    page.url.setText("postgres:/broken")
    page.test_button.click()
    qtbot.waitUntil(lambda: page.test_button.isEnabled(), timeout=10_000)
    assert page.result.text().startswith("This is not a valid database URL.")

    wizard.reject()
    assert not Settings().exists


def test_rerun_skips_the_supervisor_page_and_keeps_users(make_wizard, qtbot) -> None:  # type: ignore[no-untyped-def]
    first = make_wizard()
    first.flow.choices.branch_code, first.flow.choices.branch_name = "0101", "城东支行"
    first.flow.choices.bank_name = "东方银行"
    sup = first.flow.choices.supervisor
    sup.username, sup.display_name, sup.password, sup.password_again = "wang.zg", "王主管", PASSWORD, PASSWORD
    first.flow.apply()

    wizard = make_wizard()
    assert wizard.flow.rerun
    go_next(wizard, PageId.DATABASE)
    go_next(wizard, PageId.BRANCH)
    assert wizard.branch_page.code.currentText() == "0101"
    assert not wizard.branch_page.name.isEnabled() and wizard.branch_page.name.text() == "城东支行"
    assert not wizard.branch_page.bank.isEnabled() and wizard.branch_page.bank.text() == "东方银行"
    go_next(wizard, PageId.WORKSTATION)
    wizard.workstation_page.buttons["display"].click()
    go_next(wizard, PageId.PRINTERS)
    go_next(wizard, PageId.SUMMARY)  # the database has users: no supervisor page
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.result_of_setup is not None and not wizard.result_of_setup.supervisor_created
    assert Settings().get("workstation.role") == "display"


def test_setup_wizard_menu_action_is_for_supervisors_only(make_main_window) -> None:  # type: ignore[no-untyped-def]
    assert not make_main_window("teller1").setup_action.isEnabled()
    assert make_main_window("supervisor").setup_action.isEnabled()


def test_app_start_without_settings_runs_the_wizard_first(qtbot, monkeypatch, app_main) -> None:  # type: ignore[no-untyped-def]
    main = app_main
    reruns: list[bool] = []  # not the wizard itself: the patched exec would keep it alive after the test
    monkeypatch.setattr(SetupWizard, "exec", lambda self: reruns.append(self.flow.rerun) or QWizard.DialogCode.Rejected)
    assert main(["--lang", "en"]) == 0  # cancelled: the app ends, nothing written
    assert reruns == [False]
    assert not Settings().exists
