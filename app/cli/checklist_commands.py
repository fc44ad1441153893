"""``branchdesk-admin checklists …``: validate template files, list, import, print a blank form."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli.common import Commands, Context, emit
from app.output_files import write_bytes
from app.services.branches import load_business_type_file
from app.services.checklist_templates import check_file, template_files, templates_dir


def cmd_validate(ctx: Context) -> int:
    """Check template files (no database needed); every problem as ``file: step id: reason``."""
    path = Path(ctx.args.path) if ctx.args.path else templates_dir()
    if not path.exists():
        print(f"branchdesk-admin: {path}: no such file or folder", file=sys.stderr)
        return 2
    known = {entry["code"] for entry in load_business_type_file()}
    files = template_files(path)
    report = []
    for file in files:
        template, problems = check_file(file, known)
        report.append({"file": str(file), "valid": template is not None,
                       "business_type": template.business_type if template else None,
                       "version": template.version if template else None,
                       "problems": [{"file": p.file, "step": p.step, "reason": p.reason} for p in problems]})
    bad = [entry for entry in report if not entry["valid"]]
    lines = [str(f"{p['file']}: step {p['step']}: {p['reason']}") for entry in bad for p in entry["problems"]]
    lines.append(f"{len(files) - len(bad)} of {len(files)} template file(s) valid")
    emit(ctx.args, report, "\n".join(lines))
    return 2 if bad or not files else 0


def cmd_list(ctx: Context) -> int:
    summaries = ctx.services.checklist_templates.summaries(include_retired=ctx.args.all)
    data = [{"business_type": s.business_type, "version": s.version, "step_count": s.step_count,
             "title_zh": s.title_zh, "title_en": s.title_en, "active": s.active} for s in summaries]
    emit(ctx.args, data, "\n".join(
        f"{s.business_type:<22} v{s.version:<3} {s.step_count:>3} steps  {s.title_zh}"
        + ("" if s.active else "  (retired)") for s in summaries))
    return 0


def cmd_import(ctx: Context) -> int:
    """Show how the file differs from the active version; store it with --yes."""
    path = Path(ctx.args.file)
    text = path.read_text(encoding="utf-8")
    store = ctx.services.checklist_templates
    preview = store.preview_import(ctx.actor, text, path.name)
    if not ctx.args.yes:
        emit(ctx.args, {"business_type": preview.template.business_type, "version": preview.template.version,
                        "current_version": preview.current_version, "diff": preview.diff, "imported": False},
             "\n".join([*preview.diff, "(not imported: run again with --yes)"]))
        return 0
    summary = store.import_template(ctx.actor, text, path.name)
    emit(ctx.args, {"business_type": summary.business_type, "version": summary.version,
                    "current_version": preview.current_version, "diff": preview.diff, "imported": True},
         "\n".join([*preview.diff, f"imported {summary.business_type} version {summary.version}"]))
    return 0


def cmd_blank(ctx: Context) -> int:
    documents = ctx.services.checklist_documents
    pdf = documents.blank_form(ctx.branch().id, ctx.args.business, ctx.args.version)
    write_bytes(ctx.args.output, pdf)
    emit(ctx.args, {"output": ctx.args.output, "bytes": len(pdf)}, f"blank form written to {ctx.args.output}")
    return 0


def register(areas: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    checklists = Commands(areas, "checklists", "checklist templates (业务核对单)", common)
    p = checklists.add("validate", cmd_validate, "check template files (default: the shipped ones)")
    p.add_argument("path", nargs="?", help="a .toml file or a folder of them")
    p = checklists.add("list", cmd_list, "business type, version and step count of the stored templates")
    p.add_argument("--all", action="store_true", help="include retired versions")
    p = checklists.add("import", cmd_import, "show the diff of a template file, and import it with --yes")
    p.add_argument("file")
    p.add_argument("--yes", action="store_true", help="import after showing the diff")
    p = checklists.add("blank", cmd_blank, "write the blank paper form of a template as PDF")
    p.add_argument("--business", required=True, metavar="CODE")
    p.add_argument("--version", type=int, help="template version (default: the active one)")
    p.add_argument("--output", required=True, metavar="FILE.pdf")
