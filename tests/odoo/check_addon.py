"""Static checks of an Odoo addon that need no Odoo: run as a script or from pytest.

* every XML file parses (lxml) and uses Odoo 19 view syntax (``<list>``, no ``attrs``/``states``);
* every file the manifest lists exists (data files and asset globs);
* every model of ``ir.model.access.csv`` and every ``model_*`` reference exists in the Python code;
* every field a view uses exists on its model (following sub-views of relational fields), and
  every ``type="object"`` button and cron ``code`` names a method of its model.

Models and fields are read from the addon's Python source with ``ast`` (classes with ``_name`` /
``_inherit`` and ``fields.X(...)`` assignments). For models the addon only extends, the fields
Odoo defines itself are listed in :data:`BASE_FIELDS`.
"""

from __future__ import annotations

import ast
import csv
import glob
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

MAGIC = {"id", "display_name", "create_date", "create_uid", "write_date", "write_uid"}
# Fields of models the addon extends (or inherits from mixins), as defined by Odoo 19 itself.
BASE_FIELDS = {
    "res.config.settings": {"company_id"},
    "res.company": {"name", "currency_id", "partner_id"},
    "mail.thread": {"message_ids", "message_follower_ids"},
    "mail.activity.mixin": {"activity_ids", "activity_state"},
}
BASE_METHODS = {"mail.thread": {"message_post"}}
VIEW_CONTAINERS_WITH_OWN_MODEL = {"list", "form", "kanban"}


@dataclass
class Model:
    name: str
    fields: dict[str, str | None] = field(default_factory=dict)  # field -> comodel
    methods: set[str] = field(default_factory=set)
    inherits: list[str] = field(default_factory=list)
    declared: bool = False  # the addon defines the model (``_name``), not only extends it
    abstract: bool = False


def _const(node: ast.AST) -> object:
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


def read_models(addon: Path) -> dict[str, Model]:
    """Models declared or extended by the addon's Python files."""
    models: dict[str, Model] = {}
    for path in sorted(addon.rglob("*.py")):
        if "tests" in path.relative_to(addon).parts or "lib" in path.relative_to(addon).parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for cls in (n for n in tree.body if isinstance(n, ast.ClassDef)):
            attrs: dict[str, object] = {}
            flds: dict[str, str | None] = {}
            methods: set[str] = set()
            for stmt in cls.body:
                if (
                    isinstance(stmt, ast.Assign)
                    and len(stmt.targets) == 1
                    and isinstance(stmt.targets[0], ast.Name)
                ):
                    name = stmt.targets[0].id
                    value = stmt.value
                    if name in ("_name", "_inherit"):
                        attrs[name] = _const(value)
                    elif (
                        isinstance(value, ast.Call)
                        and isinstance(value.func, ast.Attribute)
                        and isinstance(value.func.value, ast.Name)
                        and value.func.value.id == "fields"
                    ):
                        comodel = None
                        if value.func.attr in ("Many2one", "One2many", "Many2many"):
                            if value.args:
                                comodel = _const(value.args[0])
                            for kw in value.keywords:
                                if kw.arg == "comodel_name":
                                    comodel = _const(kw.value)
                        flds[name] = comodel if isinstance(comodel, str) else None
                elif isinstance(stmt, ast.FunctionDef):
                    methods.add(stmt.name)
            inherit = attrs.get("_inherit")
            inherits = [inherit] if isinstance(inherit, str) else list(inherit or [])
            name = attrs.get("_name") or (inherits[0] if len(inherits) == 1 else None)
            if not isinstance(name, str):
                continue
            model = models.setdefault(name, Model(name))
            if attrs.get("_name"):
                model.declared = True
                model.abstract = any(
                    isinstance(b, ast.Attribute) and b.attr == "AbstractModel" for b in cls.bases
                )
            model.fields.update(flds)
            model.methods |= methods
            model.inherits += [i for i in inherits if i != name]
    return models


def _all_fields(models: dict[str, Model], name: str) -> dict[str, str | None]:
    out: dict[str, str | None] = dict.fromkeys(MAGIC)
    out.update(dict.fromkeys(BASE_FIELDS.get(name, ())))
    model = models.get(name)
    if model:
        for parent in model.inherits:
            out.update(_all_fields(models, parent))
        out.update(model.fields)
    return out


def _all_methods(models: dict[str, Model], name: str) -> set[str]:
    out = set(BASE_METHODS.get(name, ()))
    model = models.get(name)
    if model:
        for parent in model.inherits:
            out |= _all_methods(models, parent)
        out |= model.methods
    return out


def _model_xmlid(name: str) -> str:
    return "model_" + name.replace(".", "_")


def check_manifest(addon: Path) -> list[str]:
    manifest = ast.literal_eval((addon / "__manifest__.py").read_text(encoding="utf-8"))
    errors = []
    for rel in manifest.get("data", []) + manifest.get("demo", []):
        if not (addon / rel).is_file():
            errors.append(f"__manifest__.py: data file {rel} does not exist")
    for bundle, items in manifest.get("assets", {}).items():
        for item in items:
            pattern = item.split("/", 1)[1] if item.startswith(addon.name + "/") else item
            if not glob.glob(str(addon / pattern)):
                errors.append(f"__manifest__.py: asset {item} of {bundle} matches no file")
    if not re.fullmatch(r"19\.0\.\d+\.\d+\.\d+", manifest.get("version", "")):
        errors.append("__manifest__.py: version must look like 19.0.x.y.z")
    return errors


def check_access_csv(addon: Path, models: dict[str, Model]) -> list[str]:
    errors = []
    known = {_model_xmlid(n) for n in models}
    with (addon / "security" / "ir.model.access.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        ref = row["model_id:id"]
        if ref.split(".")[-1] not in known:
            errors.append(f"ir.model.access.csv: {row['id']} refers to unknown model {ref}")
    covered = {row["model_id:id"].split(".")[-1] for row in rows}
    for name, model in sorted(models.items()):
        if model.declared and not model.abstract and _model_xmlid(name) not in covered:
            errors.append(f"ir.model.access.csv: model {name} has no access rule")
    return errors


def _check_arch(
    arch: etree._Element, model: str, models: dict[str, Model], where: str, errors: list[str]
) -> None:
    fields_of = _all_fields(models, model)
    for el in arch.iter():
        if not isinstance(el.tag, str):
            continue
        if el.tag == "tree":
            errors.append(f"{where}: <tree> is Odoo <= 16 syntax, use <list>")
        for attr in ("attrs", "states"):
            if attr in el.attrib:
                errors.append(f"{where}: attribute {attr}= was removed in Odoo 17")
    _walk(arch, model, models, where, errors, fields_of)


def _walk(node, model, models, where, errors, fields_of) -> None:
    for el in node:
        if not isinstance(el.tag, str):
            continue
        if el.tag == "field" and el.get("name"):
            name = el.get("name")
            if name not in fields_of:
                errors.append(f"{where}: field {name} does not exist on {model}")
                continue
            comodel = fields_of[name]
            subviews = [c for c in el if isinstance(c.tag, str) and c.tag in VIEW_CONTAINERS_WITH_OWN_MODEL]
            if subviews and comodel:
                for sub in subviews:
                    _walk(sub, comodel, models, where, errors, _all_fields(models, comodel))
                continue
        if (
            el.tag == "button"
            and el.get("type") == "object"
            and el.get("name") not in _all_methods(models, model)
        ):
            errors.append(f"{where}: button method {el.get('name')} does not exist on {model}")
        if el.tag == "label" and el.get("for") and el.get("for") not in fields_of:
            errors.append(f"{where}: label for unknown field {el.get('for')} on {model}")
        _walk(el, model, models, where, errors, fields_of)


def check_xml(addon: Path, models: dict[str, Model]) -> list[str]:
    errors: list[str] = []
    known_model_ids = {_model_xmlid(n) for n in models}
    for path in sorted(addon.rglob("*.xml")):
        rel = path.relative_to(addon)
        try:
            root = etree.parse(str(path)).getroot()
        except etree.XMLSyntaxError as e:
            errors.append(f"{rel}: does not parse: {e}")
            continue
        if "static" in rel.parts:
            continue  # OWL templates: parsed only
        for ref_el in root.iter("field"):
            ref = ref_el.get("ref") or ""
            is_model_ref = ref_el.get("name") in ("model_id", "binding_model_id") and ref.startswith("model_")
            if is_model_ref and ref not in known_model_ids:
                errors.append(f"{rel}: {ref} is not a model of this addon")
        for record in root.iter("record"):
            where = f"{rel}:{record.get('id')}"
            values = {f.get("name"): f for f in record.iter("field")}
            if record.get("model") == "ir.ui.view":
                model = values["model"].text if "model" in values else None
                arch = values.get("arch")
                if not model or arch is None:
                    errors.append(f"{where}: view without model or arch")
                    continue
                for child in arch:
                    if isinstance(child.tag, str):
                        _check_arch(child, model, models, where, errors)
            elif record.get("model") == "ir.cron":
                model_ref = values["model_id"].get("ref", "")
                name = next((n for n in models if _model_xmlid(n) == model_ref), None)
                code = (values["code"].text or "") if "code" in values else ""
                match = re.fullmatch(r"\s*model\.(\w+)\(.*\)\s*", code)
                if not name or not match or match.group(1) not in _all_methods(models, name):
                    errors.append(f"{where}: cron code {code!r} does not call a method of its model")
                if "numbercall" in values or "doall" in values:
                    errors.append(f"{where}: numbercall/doall no longer exist in Odoo 19")
    return errors


def check_addon(addon: Path) -> list[str]:
    """Every problem found in ``addon`` (empty when it is clean)."""
    models = read_models(addon)
    return check_manifest(addon) + check_access_csv(addon, models) + check_xml(addon, models)


def main(argv: list[str]) -> int:
    addons = [Path(a) for a in argv] or [
        Path(__file__).resolve().parents[2] / "examples/odoo/l10n_cr_einvoice"
    ]
    problems = [p for a in addons for p in check_addon(a)]
    for p in problems:
        print(p)
    print(f"check_addon: {len(problems)} problem(s) in {len(addons)} addon(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
