//! The summary card: a badge, what is wrong and what to do, in Spanish and English.

use super::model::{AnswerInfo, InputKind, Problem, ProblemSeverity, StatusInfo, Verdict};

fn v(
    badge: &'static str,
    level: ProblemSeverity,
    title: (&str, &str),
    what: (String, String),
    todo: (&str, &str),
) -> Verdict {
    Verdict {
        badge,
        level,
        title_es: title.0.into(),
        title_en: title.1.into(),
        what_es: what.0,
        what_en: what.1,
        todo_es: todo.0.into(),
        todo_en: todo.1.into(),
    }
}

fn first_errors(problems: &[Problem]) -> (String, String) {
    let errors: Vec<&Problem> = problems
        .iter()
        .filter(|p| p.severity == ProblemSeverity::Error)
        .collect();
    let take = |f: fn(&Problem) -> &str| {
        let mut parts: Vec<String> = errors
            .iter()
            .take(3)
            .map(|p| match &p.path {
                Some(path) => format!("{} ({path})", f(p)),
                None => f(p).to_string(),
            })
            .collect();
        if errors.len() > 3 {
            parts.push(format!("+{}", errors.len() - 3));
        }
        parts.join("; ")
    };
    (take(|p| &p.message_es), take(|p| &p.message_en))
}

/// Decides the card from the answer, the status and the problems found.
pub(super) fn verdict(
    kind: InputKind,
    status: Option<&StatusInfo>,
    answer: Option<&AnswerInfo>,
    problems: &[Problem],
) -> Verdict {
    let errors = problems.iter().filter(|p| p.severity == ProblemSeverity::Error).count();
    let warnings = problems
        .iter()
        .filter(|p| p.severity == ProblemSeverity::Warning)
        .count();
    let classification = answer
        .and_then(|a| a.classification.as_ref())
        .or_else(|| status.and_then(|s| s.classification.as_ref()));
    let hint = classification.map_or(("", ""), |c| (c.hint_es, c.hint_en));
    let reason = || {
        let (es, en) = first_errors(problems);
        match classification {
            Some(c) if es.is_empty() => (c.reason.clone(), c.reason.clone()),
            _ => (es, en),
        }
    };
    if let Some(s) = status {
        match s.state {
            "recibido" | "procesando" => {
                return v(
                    "pending",
                    ProblemSeverity::Info,
                    (
                        "Hacienda aún está procesando el comprobante",
                        "Hacienda is still processing the document",
                    ),
                    (String::new(), String::new()),
                    (
                        "Consulte el estado de nuevo en unos segundos; no lo reenvíe.",
                        "Poll the status again in a few seconds; do not resubmit.",
                    ),
                );
            }
            "error" => {
                return v(
                    "error",
                    ProblemSeverity::Warning,
                    (
                        "Hacienda no pudo procesar el comprobante",
                        "Hacienda could not process the document",
                    ),
                    reason(),
                    hint,
                );
            }
            _ => {}
        }
    }
    if let Some(a) = answer {
        let receiver = kind == InputKind::ReceiverMessage;
        return match a.decision {
            "accepted" => v(
                "accepted",
                if warnings > 0 {
                    ProblemSeverity::Warning
                } else {
                    ProblemSeverity::Info
                },
                if receiver {
                    (
                        "El receptor aceptó el comprobante",
                        "The receiver accepted the document",
                    )
                } else {
                    ("Hacienda aceptó el comprobante", "Hacienda accepted the document")
                },
                (String::new(), String::new()),
                (
                    "Nada que hacer: guarde la respuesta con el comprobante.",
                    "Nothing to do: keep the answer with the document.",
                ),
            ),
            "partially_accepted" => v(
                "partially_accepted",
                ProblemSeverity::Warning,
                (
                    "El receptor aceptó parcialmente el comprobante",
                    "The receiver partially accepted the document",
                ),
                reason(),
                (
                    "Revise con el receptor qué parte no aceptó; emita una nota si corresponde.",
                    "Check with the receiver which part was not accepted; issue a note if needed.",
                ),
            ),
            _ => v(
                "rejected",
                ProblemSeverity::Error,
                if receiver {
                    (
                        "El receptor rechazó el comprobante",
                        "The receiver rejected the document",
                    )
                } else {
                    ("Hacienda rechazó el comprobante", "Hacienda rejected the document")
                },
                reason(),
                if hint.0.is_empty() {
                    (
                        "Corrija el comprobante y emítalo de nuevo.",
                        "Correct the document and issue it again.",
                    )
                } else {
                    hint
                },
            ),
        };
    }
    if errors > 0 {
        let (es, en) = first_errors(problems);
        return v(
            "problems",
            ProblemSeverity::Error,
            (
                &format!("El comprobante tiene {errors} problema(s) que Hacienda rechazaría"),
                &format!("The document has {errors} problem(s) Hacienda would reject"),
            ),
            (es, en),
            (
                "Corrija los problemas (pestaña Problemas) antes de firmar y enviar.",
                "Fix the problems (Problems tab) before signing and sending.",
            ),
        );
    }
    v(
        "ok",
        if warnings > 0 {
            ProblemSeverity::Warning
        } else {
            ProblemSeverity::Info
        },
        ("No se encontraron errores", "No errors found"),
        (String::new(), String::new()),
        if warnings > 0 {
            (
                "Revise los avisos de la pestaña Problemas.",
                "Review the warnings in the Problems tab.",
            )
        } else {
            ("Nada que hacer.", "Nothing to do.")
        },
    )
}
