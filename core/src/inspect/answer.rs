//! Hacienda's answers explained: MensajeHacienda / MensajeReceptor detail lines with their
//! category and meaning, and status / callback JSON, reusing [`crate::classify`].

use crate::classify::{classify_message, classify_status, classify_text};
use crate::detail::describe_code;
use crate::message::HaciendaMessage;
use crate::status::StatusReport;

use super::model::{AnswerInfo, AnswerLine, ClassificationInfo, Problem, ProblemSeverity, ProblemSource, StatusInfo};

/// Explains a message.
pub(super) fn answer(m: &HaciendaMessage) -> AnswerInfo {
    let lines = m
        .detail
        .lines
        .iter()
        .map(|l| {
            let meaning = describe_code(l.code);
            AnswerLine {
                code: l.code,
                message: l.message.clone(),
                row: l.row,
                column: l.column,
                severity: l.severity.as_str(),
                category: line_category(l.code, &l.message),
                meaning_es: meaning.map(|m| m.0),
                meaning_en: meaning.map(|m| m.1),
            }
        })
        .collect();
    AnswerInfo {
        message_kind: m.kind.as_str(),
        decision: m.mensaje.as_str(),
        decision_code: m.mensaje.code(),
        estado_mensaje: m.estado_mensaje.clone(),
        sandbox: m.detail.sandbox,
        detail_raw: m.detail.raw.clone(),
        lines,
        notes: m.detail.notes.clone(),
        total_tax: m.total_tax,
        total_invoice: m.total_invoice,
        consecutivo_receptor: m.consecutivo_receptor.clone(),
        classification: classify_message(m).as_ref().map(ClassificationInfo::from),
    }
}

/// The category of one DetalleMensaje line, classified as the one-row table Hacienda writes (so
/// the code decides: -45/-51/-54/-55 amounts, -99 consecutive reused, `cvc-` schema, ...).
fn line_category(code: i32, message: &str) -> &'static str {
    let row = format!(
        "codigo, mensaje, fila, columna\n{code}, \"{}\", 0, 0",
        message.replace('"', "'")
    );
    classify_text(&row).category.as_str()
}

/// The answer's own lines as problems (errors of a rejection, warnings of an acceptance).
pub(super) fn answer_problems(a: &AnswerInfo, out: &mut Vec<Problem>) {
    for l in &a.lines {
        let severity = if l.severity == "error" {
            ProblemSeverity::Error
        } else {
            ProblemSeverity::Warning
        };
        let position = if l.row > 0 {
            format!(" (fila {}, columna {})", l.row, l.column)
        } else {
            String::new()
        };
        let position_en = if l.row > 0 {
            format!(" (row {}, column {})", l.row, l.column)
        } else {
            String::new()
        };
        out.push(Problem {
            severity,
            source: ProblemSource::Answer,
            path: None,
            code: Some(l.code),
            message_es: format!("{}: {}{position}", l.code, l.meaning_es.unwrap_or(&l.message)),
            message_en: format!("{}: {}{position_en}", l.code, l.meaning_en.unwrap_or(&l.message)),
        });
    }
    if a.decision == "rejected" {
        for n in &a.notes {
            out.push(Problem {
                severity: ProblemSeverity::Error,
                source: ProblemSource::Answer,
                path: None,
                code: None,
                message_es: n.clone(),
                message_en: n.clone(),
            });
        }
    }
}

/// Explains a status report.
pub(super) fn status(r: &StatusReport) -> StatusInfo {
    StatusInfo {
        clave: r.clave.clone(),
        fecha: r.fecha.clone(),
        state: r.state.as_str(),
        is_final: r.is_final(),
        callback_url: r.callback_url.clone(),
        has_response_xml: r.response_xml.is_some(),
        response_error: r.message_error.as_ref().map(ToString::to_string),
        classification: classify_status(r).as_ref().map(ClassificationInfo::from),
    }
}
