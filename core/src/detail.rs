//! DetalleMensaje: the free text Hacienda puts in its answers, read into structured lines.
//!
//! Real texts mix a sandbox sentence ("Este comprobante fue aceptado en el ambiente de
//! pruebas...", which appears on *rejections* too), a heading, a `codigo, mensaje, fila,
//! columna` table whose rows look like `-1, "cvc-...", 26, 39` or `-45, "...", 0, 0`, and plain
//! sentences such as "La firma del comprobante electrónico no es válida". Line breaks arrive as
//! LF, CRLF or `&#13;`; some answers are a lone space or a ".". The acceptance decision never
//! comes from this text: it comes from `Mensaje` or `ind-estado`.

use serde::{Deserialize, Serialize};

use crate::text::repair_mojibake;

/// Whether a coded line blocks acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Informative: the document can still be accepted (e.g. -16 late submission, -37 address).
    Warning,
    /// A reason for rejection.
    Error,
}

impl Severity {
    /// `"warning"` or `"error"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

/// One row of the `codigo, mensaje, fila, columna` table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DetailLine {
    /// Hacienda's code (negative: -1 schema, -16, -37, -45, -99, ...).
    pub code: i32,
    /// The message as Hacienda wrote it.
    pub message: String,
    /// Row of the submitted XML the problem is on (0 when not about a position).
    pub row: u32,
    /// Column of the submitted XML (0 when not about a position).
    pub column: u32,
    /// Warning or error.
    pub severity: Severity,
}

impl DetailLine {
    /// True for XML Schema validation failures (`cvc-...` messages).
    pub fn is_schema_error(&self) -> bool {
        self.message.trim_start().starts_with("cvc-")
    }
}

/// The structured reading of a DetalleMensaje.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Detail {
    /// The text as received (entities already decoded).
    pub raw: String,
    /// True when the sandbox sentence is present (the answer came from the test environment).
    pub sandbox: bool,
    /// Coded lines in order.
    pub lines: Vec<DetailLine>,
    /// Plain sentences that are not part of the table (signature failures, service errors).
    pub notes: Vec<String>,
}

/// Codes that Hacienda also reports on accepted documents.
pub const WARNING_CODES: [i32; 2] = [-16, -37];

/// What a known DetalleMensaje code means, in Spanish and English.
pub fn describe_code(code: i32) -> Option<(&'static str, &'static str)> {
    Some(match code {
        -1 => ("Error de estructura o esquema del XML", "XML structure or schema error"),
        -16 => ("Comprobante enviado de manera extemporánea", "Document was sent late"),
        -37 => (
            "Provincia, cantón y distrito del emisor no concuerdan con el registro tributario",
            "Issuer's province/canton/district differ from the tax registry",
        ),
        -45 => (
            "El impuesto de una línea no es el subtotal por la tarifa",
            "A line's tax is not subtotal times rate",
        ),
        -51 => (
            "El total de venta no es la suma de gravados y exentos",
            "Total sale is not taxed plus exempt totals",
        ),
        -54 => (
            "El total de impuestos no es la suma de los impuestos de las líneas",
            "Total tax is not the sum of the line taxes",
        ),
        -55 => (
            "El total del comprobante no es venta neta más impuestos",
            "Document total is not net sale plus tax",
        ),
        -99 => (
            "La numeración consecutiva ya fue utilizada",
            "The consecutive number was already used",
        ),
        _ => return None,
    })
}

const SANDBOX_MARKER: &str = "en el ambiente de pruebas";
const SANDBOX_END: &str = "fines tributarios";

impl Detail {
    /// Reads a DetalleMensaje text.
    ///
    /// ```
    /// use hacienda_core::detail::{Detail, Severity};
    /// let d = Detail::parse("Este comprobante fue aceptado en el ambiente de pruebas, por lo cual no tiene validez para fines tributarios\n\n[\ncodigo, mensaje, fila, columna\n-99, \"La numeración consecutiva ... ya existe\", 0, 0\n-37, \"Estimado obligado tributario\", 0, 0\n]");
    /// assert!(d.sandbox);
    /// assert_eq!(d.codes(), vec![-99, -37]);
    /// assert_eq!(d.lines[1].severity, Severity::Warning);
    /// ```
    pub fn parse(raw: &str) -> Detail {
        let repaired = repair_mojibake(raw);
        let text = repaired.replace("\r\n", "\n").replace('\r', "\n");
        let (sandbox, body) = strip_sandbox_sentence(&text);
        let (lines, rest) = extract_lines(body);
        let notes = rest
            .split('\n')
            .flat_map(split_sentences)
            .filter(|s| !is_boilerplate(s))
            .collect();
        Detail {
            raw: raw.to_string(),
            sandbox,
            lines,
            notes,
        }
    }

    /// Marks every line as a warning: used when the document was accepted anyway.
    pub fn into_accepted(mut self) -> Detail {
        for line in &mut self.lines {
            line.severity = Severity::Warning;
        }
        self
    }

    /// The codes in order of appearance.
    pub fn codes(&self) -> Vec<i32> {
        self.lines.iter().map(|l| l.code).collect()
    }

    /// Lines that block acceptance.
    pub fn errors(&self) -> impl Iterator<Item = &DetailLine> {
        self.lines.iter().filter(|l| l.severity == Severity::Error)
    }

    /// Lines that are informative only.
    pub fn warnings(&self) -> impl Iterator<Item = &DetailLine> {
        self.lines.iter().filter(|l| l.severity == Severity::Warning)
    }

    /// True when there is neither a coded line nor a note.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty() && self.notes.is_empty()
    }

    /// One line for lists and logs: the notes, then `code: message` for each line.
    pub fn summary(&self) -> String {
        let mut parts: Vec<String> = self.notes.clone();
        parts.extend(self.lines.iter().map(|l| format!("{}: {}", l.code, l.message)));
        parts.join(" | ")
    }
}

/// Removes the sandbox sentence wherever it is; returns whether it was there.
fn strip_sandbox_sentence(text: &str) -> (bool, String) {
    let Some(marker) = text.find(SANDBOX_MARKER) else {
        return (false, text.to_string());
    };
    let start = text[..marker].rfind("Este comprobante").unwrap_or(marker);
    let after_marker = marker + SANDBOX_MARKER.len();
    let end = match text[after_marker..].find(SANDBOX_END) {
        Some(i) => {
            let mut end = after_marker + i + SANDBOX_END.len();
            if text[end..].starts_with('.') {
                end += 1;
            }
            end
        }
        None => text[after_marker..].find('\n').map_or(text.len(), |i| after_marker + i),
    };
    let mut rest = String::with_capacity(text.len());
    rest.push_str(&text[..start]);
    rest.push('\n');
    rest.push_str(&text[end..]);
    (true, rest)
}

/// Finds every `code, "message", row, column` entry; returns them and the text without them.
fn extract_lines(body: String) -> (Vec<DetailLine>, String) {
    let mut lines = Vec::new();
    let mut rest = String::new();
    let bytes = body.as_bytes();
    let mut cursor = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some((line, end)) = entry_at(&body, i) {
            rest.push_str(&body[cursor..i]);
            rest.push('\n');
            lines.push(line);
            cursor = end;
            i = end;
        } else {
            i += 1;
            while i < bytes.len() && !body.is_char_boundary(i) {
                i += 1;
            }
        }
    }
    rest.push_str(&body[cursor..]);
    (lines, rest)
}

/// Tries to read one entry starting at byte `start`; returns it and the byte after it.
fn entry_at(body: &str, start: usize) -> Option<(DetailLine, usize)> {
    let b = body.as_bytes();
    // An entry starts at a line start, after '[' or after whitespace.
    if start > 0 && !matches!(b[start - 1], b'\n' | b' ' | b'\t' | b'[') {
        return None;
    }
    let (code, mut i) = int_at(b, start)?;
    i = skip_ws(b, i);
    if b.get(i) != Some(&b',') {
        return None;
    }
    i = skip_ws(b, i + 1);
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let msg_start = i + 1;
    // The message may itself contain quotes: the closing quote is the first one followed by
    // `, row, column` and then a boundary.
    let mut search = msg_start;
    while let Some(rel) = body[search..].find('"') {
        let quote = search + rel;
        if let Some((row, column, end)) = tail_at(b, quote + 1) {
            let message = body[msg_start..quote].trim().to_string();
            let code = i32::try_from(code).ok()?;
            let severity = if WARNING_CODES.contains(&code) {
                Severity::Warning
            } else {
                Severity::Error
            };
            let line = DetailLine {
                code,
                message,
                row: u32::try_from(row.max(0)).unwrap_or(0),
                column: u32::try_from(column.max(0)).unwrap_or(0),
                severity,
            };
            return Some((line, end));
        }
        search = quote + 1;
    }
    None
}

/// Reads `, row, column` followed by a boundary.
fn tail_at(b: &[u8], mut i: usize) -> Option<(i64, i64, usize)> {
    i = skip_ws(b, i);
    if b.get(i) != Some(&b',') {
        return None;
    }
    let (row, next) = int_at(b, skip_ws(b, i + 1))?;
    i = skip_ws(b, next);
    if b.get(i) != Some(&b',') {
        return None;
    }
    let (column, end) = int_at(b, skip_ws(b, i + 1))?;
    let after = skip_ws(b, end);
    let boundary = after >= b.len()
        || b[after] == b']'
        || b[end..after].contains(&b'\n')
        || int_at(b, after).is_some_and(|(_, j)| b.get(skip_ws(b, j)) == Some(&b','));
    boundary.then_some((row, column, end))
}

fn int_at(b: &[u8], start: usize) -> Option<(i64, usize)> {
    let mut i = start;
    if b.get(i) == Some(&b'-') {
        i += 1;
    }
    let digits_start = i;
    while i < b.len() && b[i].is_ascii_digit() && i - digits_start < 12 {
        i += 1;
    }
    if i == digits_start || b.get(i).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(&b[start..i]).ok()?.parse().ok().map(|n| (n, i))
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n') {
        i += 1;
    }
    i
}

/// Splits a line into the sentence-like parts worth keeping, without brackets.
fn split_sentences(line: &str) -> Vec<String> {
    let cleaned = line.trim().trim_matches(|c| c == '[' || c == ']').trim();
    if cleaned.is_empty() {
        Vec::new()
    } else {
        vec![cleaned.to_string()]
    }
}

fn is_boilerplate(s: &str) -> bool {
    let lower = s.to_lowercase();
    let header = lower.replace(' ', "");
    s.chars().all(|c| c.is_ascii_punctuation() || c.is_whitespace())
        || header.starts_with("codigo,mensaje,fila,columna")
        || header.starts_with("código,mensaje,fila,columna")
        || lower.starts_with("el comprobante electrónico tiene los siguientes errores")
        || lower.starts_with("el comprobante electronico tiene los siguientes errores")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepted_with_sandbox_only() {
        let d = Detail::parse(
            "Este comprobante fue aceptado en el ambiente de pruebas, por lo cual no tiene validez para fines tributarios",
        );
        assert!(d.sandbox);
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn schema_error_on_one_line() {
        let d = Detail::parse(
            "\nEl comprobante electrónico tiene los siguientes errores: [ codigo, mensaje, fila, columna -1, \"cvc-enumeration-valid: Value 'False' is not facet-valid with respect to enumeration '[01, 02, 03, 04]'. It must be a value from the enumeration.\", 26, 39 ]\n",
        );
        assert!(!d.sandbox);
        assert_eq!(d.lines.len(), 1, "{d:?}");
        let l = &d.lines[0];
        assert_eq!((l.code, l.row, l.column), (-1, 26, 39));
        assert!(l.is_schema_error());
        assert!(l.message.ends_with("from the enumeration."));
        assert!(d.notes.is_empty(), "{:?}", d.notes);
    }

    #[test]
    fn quotes_inside_messages() {
        let d = Detail::parse(
            "codigo, mensaje, fila, columna\n-1, \"cvc-complex-type.2.4.a: Invalid content was found starting with element '{\"https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.3/facturaElectronica\":CodigoComercial}'. One of '{\"https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.3/facturaElectronica\":Codigo}' is expected.\", 2, 1573",
        );
        assert_eq!(d.lines.len(), 1);
        assert_eq!((d.lines[0].row, d.lines[0].column), (2, 1573));
        assert!(d.lines[0].message.contains(":Codigo}' is expected."));
    }

    #[test]
    fn crlf_and_carriage_returns() {
        let d = Detail::parse("codigo, mensaje, fila, columna\r\n-45, \"a\", 0, 0\r-54, \"b\", 0, 0\r\n");
        assert_eq!(d.codes(), vec![-45, -54]);
    }

    #[test]
    fn notes_are_kept_and_brackets_removed() {
        let d = Detail::parse(
            "[ La firma del comprobante electrónico no es válida (El XML fue modificado luego de haber sido firmado). ]",
        );
        assert_eq!(
            d.notes,
            vec![
                "La firma del comprobante electrónico no es válida (El XML fue modificado luego de haber sido firmado)."
            ]
        );
        let s = Detail::parse(
            "Este comprobante fue procesado en el ambiente de pruebas, por lo cual no tiene validez para fines tributarios.\n\nLa firma del comprobante electrónico no es válida",
        );
        assert!(s.sandbox);
        assert_eq!(s.notes, vec!["La firma del comprobante electrónico no es válida"]);
    }

    #[test]
    fn lone_space_and_dot() {
        assert!(Detail::parse(" ").is_empty());
        assert!(Detail::parse(".").is_empty());
        assert!(Detail::parse("").is_empty());
    }

    #[test]
    fn mojibake_is_repaired_before_reading() {
        let d = Detail::parse("La firma del comprobante electrÃ³nico no es vÃ¡lida.");
        assert_eq!(d.notes, vec!["La firma del comprobante electrónico no es válida."]);
    }

    #[test]
    fn accepted_turns_errors_into_warnings() {
        let d = Detail::parse("-45, \"x\", 0, 0").into_accepted();
        assert_eq!(d.warnings().count(), 1);
        assert_eq!(d.errors().count(), 0);
    }
}
