//! Turning the bytes people actually have into text: BOMs, UTF-16, Latin-1 declarations and
//! base64 wrappers, with size limits checked before any work.

use std::borrow::Cow;

use crate::error::{Error, Result};

/// Largest XML document (after base64 decoding) the parsers accept: 16 MiB.
///
/// A 2000-line invoice is about 1 MB; Hacienda's answers are under 50 KB.
pub const MAX_XML_BYTES: usize = 16 * 1024 * 1024;

/// Largest JSON body (status answer or callback) accepted: 24 MiB (base64 of [`MAX_XML_BYTES`]).
pub const MAX_JSON_BYTES: usize = 24 * 1024 * 1024;

/// Encodes bytes as standard base64 with padding (what `comprobanteXml` expects).
pub fn base64_encode(bytes: &[u8]) -> String {
    base64_simd::STANDARD.encode_to_string(bytes)
}

/// Decodes standard base64 the forgiving way (WHATWG): ASCII whitespace ignored (line-wrapped
/// values are common), padding optional. SIMD where the CPU has it: a status answer carries a
/// few kilobytes of it.
pub fn base64_decode(field: &'static str, value: &str) -> Result<Vec<u8>> {
    if value.trim().is_empty() {
        return Err(Error::MissingField { field });
    }
    let decoded_size = value.len() / 4 * 3;
    if decoded_size > MAX_XML_BYTES {
        return Err(Error::TooLarge {
            size: decoded_size,
            limit: MAX_XML_BYTES,
        });
    }
    base64_simd::forgiving_decode_to_vec(value.as_bytes()).map_err(|_| Error::Base64 {
        field,
        detail: format!("not valid base64 ({} characters)", value.len()),
    })
}

/// True when `text` could be a base64 payload (only base64 characters and whitespace, long
/// enough to hold something, and not plainly XML or JSON).
pub fn looks_like_base64(text: &str) -> bool {
    let trimmed = text.trim();
    trimmed.len() >= 8
        && trimmed
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=') || b.is_ascii_whitespace())
}

/// Decodes input bytes into text.
///
/// Handles a UTF-8 BOM, UTF-16 (with a BOM, or detected from `<\0` / `\0<`), and XML that
/// declares `ISO-8859-1`/`windows-1252` with non-UTF-8 bytes. Anything else that is not UTF-8 is
/// an [`Error::Encoding`]. Inputs larger than `limit` are refused before decoding.
pub fn decode_text(bytes: &[u8], limit: usize) -> Result<Cow<'_, str>> {
    if bytes.len() > limit {
        return Err(Error::TooLarge {
            size: bytes.len(),
            limit,
        });
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, u16::from_le_bytes).map(Cow::Owned);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, u16::from_be_bytes).map(Cow::Owned);
    }
    match bytes {
        [b'<', 0, ..] => return utf16(bytes, u16::from_le_bytes).map(Cow::Owned),
        [0, b'<', ..] => return utf16(bytes, u16::from_be_bytes).map(Cow::Owned),
        _ => {}
    }
    // simdutf8 validates several times faster than std on the long ASCII runs of base64 bodies;
    // its detailed error type gives the same position as std's.
    match simdutf8::compat::from_utf8(bytes) {
        Ok(text) => Ok(Cow::Borrowed(text)),
        Err(_) if declares_latin1(bytes) => Ok(Cow::Owned(bytes.iter().map(|&b| b as char).collect())),
        Err(e) => Err(Error::Encoding {
            detail: format!("not UTF-8 at byte {}", e.valid_up_to()),
        }),
    }
}

/// Like [`decode_text`] for bytes the caller owns: plain UTF-8 (the usual case, BOM or not) is
/// validated once and becomes the `String` without a copy; everything else goes through
/// [`decode_text`].
pub fn decode_text_owned(mut bytes: Vec<u8>, limit: usize) -> Result<String> {
    if bytes.len() > limit {
        return Err(Error::TooLarge {
            size: bytes.len(),
            limit,
        });
    }
    let utf16 = matches!(
        bytes.as_slice(),
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] | [b'<', 0, ..] | [0, b'<', ..]
    );
    if utf16 {
        return decode_text(&bytes, limit).map(Cow::into_owned);
    }
    if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes.drain(..3);
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(text),
        Err(e) => decode_text(e.as_bytes(), limit).map(Cow::into_owned),
    }
}

fn utf8(bytes: &[u8]) -> Result<Cow<'_, str>> {
    simdutf8::compat::from_utf8(bytes)
        .map(Cow::Borrowed)
        .map_err(|e| Error::Encoding {
            detail: format!("not UTF-8 at byte {} (after the BOM)", e.valid_up_to() + 3),
        })
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String> {
    if !bytes.len().is_multiple_of(2) {
        return Err(Error::Encoding {
            detail: "UTF-16 input with an odd number of bytes".into(),
        });
    }
    let units = bytes.chunks_exact(2).map(|c| unit([c[0], c[1]]));
    char::decode_utf16(units)
        .collect::<std::result::Result<String, _>>()
        .map_err(|e| Error::Encoding {
            detail: format!("invalid UTF-16 surrogate 0x{:04X}", e.unpaired_surrogate()),
        })
}

/// True when the XML declaration (first 200 bytes) names a single-byte Latin encoding.
fn declares_latin1(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(200)];
    let head: String = head
        .iter()
        .take_while(|&&b| b != b'>')
        .map(|&b| (b as char).to_ascii_lowercase())
        .collect();
    head.starts_with("<?xml")
        && ["iso-8859-1", "latin1", "latin-1", "windows-1252", "cp1252"]
            .iter()
            .any(|enc| head.contains(enc))
}

/// Repairs UTF-8 that was read as Latin-1 once ("electrÃ³nico" → "electrónico"), a common way
/// Hacienda's texts reach integrators' logs. Text without that pattern is returned unchanged.
pub fn repair_mojibake(text: &str) -> Cow<'_, str> {
    if !text.contains(['Ã', 'Â']) || text.chars().any(|c| c as u32 > 0xFF) {
        return Cow::Borrowed(text);
    }
    let bytes: Vec<u8> = text.chars().map(|c| c as u32 as u8).collect();
    match String::from_utf8(bytes) {
        Ok(fixed) => Cow::Owned(fixed),
        Err(_) => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_stripped() {
        let text = decode_text(b"\xEF\xBB\xBF<a/>", 100).unwrap();
        assert_eq!(text, "<a/>");
    }

    #[test]
    fn utf16_with_and_without_bom() {
        let le: Vec<u8> = "<a>é</a>".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode_text(&le, 100).unwrap(), "<a>é</a>");
        let mut be = vec![0xFE, 0xFF];
        be.extend("<a/>".encode_utf16().flat_map(|u| u.to_be_bytes()));
        assert_eq!(decode_text(&be, 100).unwrap(), "<a/>");
        assert!(matches!(
            decode_text(&[0xFF, 0xFE, 0x3C], 100),
            Err(Error::Encoding { .. })
        ));
    }

    #[test]
    fn latin1_declared_is_decoded_and_other_garbage_refused() {
        let latin = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a>Cant\xF3n</a>";
        assert!(decode_text(latin, 100).unwrap().contains("Cantón"));
        assert!(decode_text_owned(latin.to_vec(), 100).unwrap().contains("Cantón"));
        assert_eq!(decode_text_owned(b"\xEF\xBB\xBF<a/>".to_vec(), 100).unwrap(), "<a/>");
        assert_eq!(
            decode_text_owned(vec![0xFF, 0xFE, b'<', 0, b'a', 0, b'/', 0, b'>', 0], 100).unwrap(),
            "<a/>"
        );
        assert!(decode_text_owned(vec![b'<', 0xC3], 100).is_err());
        assert!(matches!(decode_text(b"<a>\xF3</a>", 100), Err(Error::Encoding { .. })));
    }

    #[test]
    fn size_limit_is_checked_first() {
        assert!(matches!(
            decode_text(&[b'a'; 11], 10),
            Err(Error::TooLarge { size: 11, limit: 10 })
        ));
    }

    #[test]
    fn base64_roundtrip_with_whitespace_and_no_padding() {
        let encoded = base64_encode("<MensajeHacienda/>".as_bytes());
        let wrapped = format!("{}\n{}", &encoded[..10], &encoded[10..]);
        assert_eq!(base64_decode("x", &wrapped).unwrap(), b"<MensajeHacienda/>");
        assert_eq!(base64_decode("x", "YWI").unwrap(), b"ab");
        assert!(matches!(base64_decode("x", "@@@@"), Err(Error::Base64 { .. })));
        assert!(looks_like_base64(&encoded));
        assert!(!looks_like_base64("<a/>"));
    }

    #[test]
    fn mojibake_is_repaired_once() {
        assert_eq!(
            repair_mojibake("electrÃ³nico no es vÃ¡lida"),
            "electrónico no es válida"
        );
        assert_eq!(repair_mojibake("electrónico"), "electrónico");
    }
}
