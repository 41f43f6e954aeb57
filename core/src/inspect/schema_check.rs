//! Structural checks against the official v4.4 schemas: required elements, order, occurrences,
//! lengths, code lists, digit patterns, numeric ranges and digits. The rules are the table
//! `schema_rules.json`, generated from the XSDs by `tools/gen_schema_rules.py`.

use std::collections::HashMap;
use std::sync::OnceLock;

use rust_decimal::Decimal;
use serde::Deserialize;

use crate::fields::parse_timestamp;
use crate::xml::Element;

use super::model::{Problem, ProblemSeverity, ProblemSource};

/// Most schema problems reported for one document; the rest are counted in one last problem.
pub const MAX_SCHEMA_PROBLEMS: usize = 200;

const RULES_JSON: &str = include_str!("schema_rules.json");

#[derive(Deserialize)]
pub(super) struct Rules {
    roots: HashMap<String, RootRule>,
    complex: Vec<ComplexRule>,
    simple: Vec<SimpleRule>,
}

#[derive(Deserialize)]
struct RootRule {
    namespace: String,
    c: usize,
}

#[derive(Deserialize)]
struct ComplexRule {
    #[serde(default)]
    children: Vec<ChildRule>,
    text: Option<usize>,
    #[serde(default)]
    attributes: Vec<AttributeRule>,
}

#[derive(Deserialize)]
struct ChildRule {
    name: String,
    min: u32,
    max: Option<u32>,
    s: Option<usize>,
    c: Option<usize>,
    #[serde(default)]
    any: bool,
}

#[derive(Deserialize)]
struct AttributeRule {
    name: String,
    required: bool,
    s: usize,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SimpleRule {
    base: String,
    #[serde(rename = "enum")]
    values: Option<Vec<String>>,
    min_length: Option<usize>,
    max_length: Option<usize>,
    total_digits: Option<u32>,
    fraction_digits: Option<u32>,
    min_inclusive: Option<String>,
    max_inclusive: Option<String>,
    digits: Option<[usize; 2]>,
}

/// The embedded rule table (parsed once).
pub(super) fn rules() -> Option<&'static Rules> {
    static RULES: OnceLock<Option<Rules>> = OnceLock::new();
    RULES.get_or_init(|| serde_json::from_str(RULES_JSON).ok()).as_ref()
}

/// Root elements the table has rules for.
pub fn checked_roots() -> Vec<&'static str> {
    let mut v: Vec<&'static str> = rules().map_or_else(Vec::new, |r| r.roots.keys().map(String::as_str).collect());
    v.sort_unstable();
    v
}

/// Checks `root` against the v4.4 rules of its root element. `None` when there are none.
pub(super) fn check(root: &Element, namespace: Option<&str>) -> Option<Vec<Problem>> {
    let rules = rules()?;
    let root_rule = rules.roots.get(&*root.name)?;
    let mut c = Checker {
        rules,
        problems: Vec::new(),
        dropped: 0,
        stack: vec![(root.name.to_string(), None)],
    };
    if namespace != Some(root_rule.namespace.as_str()) {
        c.push(
            ProblemSeverity::Error,
            None,
            format!(
                "el espacio de nombres no es el oficial de v4.4 ({})",
                root_rule.namespace
            ),
            format!("the namespace is not the official v4.4 one ({})", root_rule.namespace),
        );
    }
    c.complex(root, root_rule.c);
    if c.dropped > 0 {
        let n = c.dropped;
        c.problems.push(Problem {
            severity: ProblemSeverity::Error,
            source: ProblemSource::Schema,
            path: None,
            code: Some(-1),
            message_es: format!("y {n} problemas de esquema más"),
            message_en: format!("and {n} more schema problems"),
        });
    }
    Some(c.problems)
}

/// A step of an element path: local name and, for repeatable elements, the 1-based index.
type Step = (String, Option<u32>);

struct Checker<'r> {
    rules: &'r Rules,
    problems: Vec<Problem>,
    dropped: usize,
    /// Path of the element being checked; turned into text only when a problem is found.
    stack: Vec<Step>,
}

impl Checker<'_> {
    fn path(&self, last: Option<(&str, Option<u32>)>) -> String {
        let mut out = String::new();
        let steps = self.stack.iter().map(|(n, i)| (n.as_str(), *i)).chain(last);
        for (name, index) in steps {
            out.push('/');
            out.push_str(name);
            if let Some(i) = index {
                out.push_str(&format!("[{i}]"));
            }
        }
        out
    }

    fn push(&mut self, severity: ProblemSeverity, last: Option<(&str, Option<u32>)>, es: String, en: String) {
        if self.problems.len() >= MAX_SCHEMA_PROBLEMS {
            self.dropped += 1;
            return;
        }
        let path = self.path(last);
        self.problems.push(Problem {
            severity,
            source: ProblemSource::Schema,
            path: Some(path),
            code: Some(-1),
            message_es: es,
            message_en: en,
        });
    }

    fn complex(&mut self, el: &Element, idx: usize) {
        let rules = self.rules;
        let Some(rule) = rules.complex.get(idx) else { return };
        for a in &rule.attributes {
            match el.attribute(&a.name) {
                Some(v) => {
                    let at = format!("@{}", a.name);
                    self.simple(v, a.s, Some((&at, None)));
                }
                None if a.required => self.push(
                    ProblemSeverity::Error,
                    None,
                    format!("falta el atributo obligatorio {}", a.name),
                    format!("required attribute {} is missing", a.name),
                ),
                None => {}
            }
        }
        if let Some(text_rule) = rule.text {
            self.simple(el.text.trim(), text_rule, None);
            return;
        }
        let mut counts = vec![0u32; rule.children.len()];
        let mut last = 0usize;
        for child in &el.children {
            // Children usually come in schema order: look from the last match first.
            let n = rule.children.len();
            let found = (0..n)
                .map(|k| (last + k) % n)
                .find(|&k| *rule.children[k].name == *child.name);
            let Some(i) = found else {
                self.push(
                    ProblemSeverity::Error,
                    Some((&child.name, None)),
                    format!("el elemento {} no está permitido dentro de {}", child.name, el.name),
                    format!("element {} is not allowed inside {}", child.name, el.name),
                );
                continue;
            };
            counts[i] += 1;
            let decl = &rule.children[i];
            let step = (&*child.name, (decl.max != Some(1)).then_some(counts[i]));
            if i < last {
                let before = &rule.children[last].name;
                self.push(
                    ProblemSeverity::Error,
                    Some(step),
                    format!("{} está fuera de orden: debe ir antes de {before}", child.name),
                    format!("{} is out of order: it must come before {before}", child.name),
                );
            }
            last = last.max(i);
            if let Some(max) = decl.max
                && counts[i] == max + 1
            {
                self.push(
                    ProblemSeverity::Error,
                    Some(step),
                    format!("{} aparece más de {max} veces", child.name),
                    format!("{} appears more than {max} times", child.name),
                );
            }
            if decl.any {
                continue;
            }
            if let Some(s) = decl.s {
                if !child.children.is_empty() {
                    self.push(
                        ProblemSeverity::Error,
                        Some(step),
                        format!("{} debe contener solo texto", child.name),
                        format!("{} must contain text only", child.name),
                    );
                } else {
                    self.simple(child.text.trim(), s, Some(step));
                }
            } else if let Some(c) = decl.c {
                self.stack.push((step.0.to_string(), step.1));
                self.complex(child, c);
                self.stack.pop();
            }
        }
        for (decl, &n) in rule.children.iter().zip(&counts) {
            if n < decl.min {
                let step = Some((decl.name.as_str(), None));
                if decl.any && decl.name == "Signature" {
                    self.push(
                        ProblemSeverity::Warning,
                        step,
                        "el XML no está firmado: el esquema exige ds:Signature".into(),
                        "the XML is not signed: the schema requires ds:Signature".into(),
                    );
                } else {
                    self.push(
                        ProblemSeverity::Error,
                        step,
                        format!("falta el elemento obligatorio {} en {}", decl.name, el.name),
                        format!("required element {} is missing in {}", decl.name, el.name),
                    );
                }
            }
        }
    }

    fn simple(&mut self, value: &str, idx: usize, last: Option<(&str, Option<u32>)>) {
        let rules = self.rules;
        let Some(rule) = rules.simple.get(idx) else { return };
        if let Some((es, en)) = simple_problem(value, rule) {
            self.push(ProblemSeverity::Error, last, es, en);
        }
    }
}

fn shown(value: &str) -> String {
    crate::error::excerpt(value)
}

/// The first way `value` breaks `rule`, in Spanish and English.
fn simple_problem(value: &str, rule: &SimpleRule) -> Option<(String, String)> {
    let chars = value.chars().count();
    if let Some(values) = &rule.values
        && !values.iter().any(|v| v == value)
    {
        let list = if values.len() <= 12 {
            values.join(", ")
        } else {
            format!("{}, … ({} códigos)", values[..12].join(", "), values.len())
        };
        return Some((
            format!("\"{}\" no es un código permitido ({list})", shown(value)),
            format!(
                "\"{}\" is not an allowed code ({})",
                shown(value),
                list.replace("códigos", "codes")
            ),
        ));
    }
    if let Some(min) = rule.min_length
        && chars < min
    {
        return Some(if chars == 0 {
            ("está vacío".into(), "is empty".into())
        } else {
            (
                format!("\"{}\" tiene {chars} caracteres, mínimo {min}", shown(value)),
                format!("\"{}\" has {chars} characters, at least {min} required", shown(value)),
            )
        });
    }
    if let Some(max) = rule.max_length
        && chars > max
    {
        return Some((
            format!("tiene {chars} caracteres, máximo {max}"),
            format!("has {chars} characters, at most {max} allowed"),
        ));
    }
    if let Some([lo, hi]) = rule.digits
        && (!value.bytes().all(|b| b.is_ascii_digit()) || chars < lo || chars > hi)
    {
        let want = if lo == hi {
            format!("{lo}")
        } else {
            format!("{lo} a {hi}")
        };
        return Some((
            format!("\"{}\" debe tener {want} dígitos", shown(value)),
            format!("\"{}\" must be {} digits", shown(value), want.replace(" a ", " to ")),
        ));
    }
    match rule.base.as_str() {
        "decimal" | "integer" | "positiveInteger" | "nonNegativeInteger" => number_problem(value, rule),
        "dateTime" if parse_timestamp(value).is_none() || value.len() < 19 => Some((
            format!(
                "\"{}\" no es una fecha y hora válida (AAAA-MM-DDThh:mm:ss-06:00)",
                shown(value)
            ),
            format!(
                "\"{}\" is not a valid date-time (YYYY-MM-DDThh:mm:ss-06:00)",
                shown(value)
            ),
        )),
        _ => None,
    }
}

fn number_problem(value: &str, rule: &SimpleRule) -> Option<(String, String)> {
    let integer = rule.base != "decimal";
    let valid_chars = !value.is_empty()
        && value
            .bytes()
            .enumerate()
            .all(|(i, b)| b.is_ascii_digit() || (i == 0 && matches!(b, b'-' | b'+')) || (!integer && b == b'.'));
    let parsed = valid_chars.then(|| value.parse::<Decimal>().ok()).flatten();
    let Some(n) = parsed else {
        let what = if integer {
            ("un número entero", "an integer")
        } else {
            ("un número", "a number")
        };
        return Some((
            format!("\"{}\" no es {}", shown(value), what.0),
            format!("\"{}\" is not {}", shown(value), what.1),
        ));
    };
    if rule.base == "positiveInteger" && n <= Decimal::ZERO {
        return Some(("debe ser mayor que 0".into(), "must be greater than 0".into()));
    }
    let unsigned = value.trim_start_matches(['-', '+']);
    let (int_part, frac_part) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let int_digits = int_part.trim_start_matches('0').len();
    let frac_digits = frac_part.trim_end_matches('0').len();
    if let Some(max) = rule.fraction_digits
        && frac_digits > max as usize
    {
        return Some((
            format!("{value} tiene {frac_digits} decimales, máximo {max}"),
            format!("{value} has {frac_digits} decimals, at most {max}"),
        ));
    }
    if let Some(max) = rule.total_digits
        && int_digits + frac_digits > max as usize
    {
        return Some((
            format!("{value} tiene {} dígitos, máximo {max}", int_digits + frac_digits),
            format!("{value} has {} digits, at most {max}", int_digits + frac_digits),
        ));
    }
    let bound = |b: &Option<String>| b.as_deref().and_then(|s| s.parse::<Decimal>().ok());
    if let Some(min) = bound(&rule.min_inclusive)
        && n < min
    {
        return Some((
            format!("{value} es menor que {min}"),
            format!("{value} is less than {min}"),
        ));
    }
    if let Some(max) = bound(&rule.max_inclusive)
        && n > max
    {
        return Some((
            format!("{value} es mayor que {max}"),
            format!("{value} is greater than {max}"),
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_loads_and_covers_every_v44_root() {
        assert_eq!(
            checked_roots(),
            vec![
                "FacturaElectronica",
                "FacturaElectronicaCompra",
                "FacturaElectronicaExportacion",
                "MensajeHacienda",
                "MensajeReceptor",
                "NotaCreditoElectronica",
                "NotaDebitoElectronica",
                "ReciboElectronicoPago",
                "TiqueteElectronico",
            ]
        );
    }

    fn rule(base: &str) -> SimpleRule {
        SimpleRule {
            base: base.into(),
            values: None,
            min_length: None,
            max_length: None,
            total_digits: None,
            fraction_digits: None,
            min_inclusive: None,
            max_inclusive: None,
            digits: None,
        }
    }

    #[test]
    fn facets() {
        let mut r = rule("decimal");
        r.total_digits = Some(18);
        r.fraction_digits = Some(5);
        r.min_inclusive = Some("0".into());
        assert!(simple_problem("1.30000", &r).is_none());
        assert!(simple_problem("1.123456", &r).unwrap().1.contains("decimals"));
        assert!(simple_problem("-1", &r).unwrap().1.contains("less than"));
        assert!(simple_problem("1,5", &r).unwrap().1.contains("not a number"));
        let mut d = rule("string");
        d.digits = Some([50, 50]);
        assert!(simple_problem(&"5".repeat(50), &d).is_none());
        assert!(simple_problem(&"5".repeat(49), &d).unwrap().1.contains("50 digits"));
        let mut e = rule("string");
        e.values = Some(vec!["01".into(), "02".into()]);
        assert!(simple_problem("03", &e).unwrap().1.contains("not an allowed code"));
        let mut l = rule("string");
        l.min_length = Some(1);
        l.max_length = Some(3);
        assert_eq!(simple_problem("", &l).unwrap().1, "is empty");
        assert!(simple_problem("abcd", &l).unwrap().1.contains("at most 3"));
    }
}
