//! Just enough DER to read an X.509 certificate's serial number, issuer, subject and validity.
//! Nothing here verifies anything: the viewer only shows what the certificate says.

/// The facts read from a certificate.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(super) struct CertFacts {
    pub serial: String,
    pub issuer: String,
    pub subject: String,
    pub subject_serial_number: Option<String>,
    pub valid_from: String,
    pub valid_to: String,
}

struct Tlv<'a> {
    tag: u8,
    body: &'a [u8],
}

/// Reads one TLV from the front of `input`; returns it and the rest.
fn tlv(input: &[u8]) -> Option<(Tlv<'_>, &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, mut rest) = rest.split_first()?;
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let (bytes, after) = rest.split_at(n);
        rest = after;
        bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
    };
    if rest.len() < len {
        return None;
    }
    let (body, after) = rest.split_at(len);
    Some((Tlv { tag, body }, after))
}

fn children(mut body: &[u8]) -> Option<Vec<Tlv<'_>>> {
    let mut out = Vec::new();
    while !body.is_empty() {
        let (t, rest) = tlv(body)?;
        out.push(t);
        body = rest;
    }
    Some(out)
}

/// Big-endian unsigned integer bytes to decimal text.
fn to_decimal(bytes: &[u8]) -> String {
    let mut digits: Vec<u8> = vec![0]; // little-endian base-10 digits
    for &b in bytes {
        let mut carry = u32::from(b);
        for d in digits.iter_mut() {
            let v = u32::from(*d) * 256 + carry;
            *d = (v % 10) as u8;
            carry = v / 10;
        }
        while carry > 0 {
            digits.push((carry % 10) as u8);
            carry /= 10;
        }
    }
    while digits.len() > 1 && digits.last() == Some(&0) {
        digits.pop();
    }
    digits.iter().rev().map(|d| char::from(b'0' + d)).collect()
}

fn oid_name(oid: &[u8]) -> Option<&'static str> {
    Some(match oid {
        [0x55, 0x04, 0x03] => "CN",
        [0x55, 0x04, 0x04] => "SN",
        [0x55, 0x04, 0x05] => "serialNumber",
        [0x55, 0x04, 0x06] => "C",
        [0x55, 0x04, 0x07] => "L",
        [0x55, 0x04, 0x08] => "ST",
        [0x55, 0x04, 0x0a] => "O",
        [0x55, 0x04, 0x0b] => "OU",
        [0x55, 0x04, 0x2a] => "GN",
        _ => return None,
    })
}

/// A Name as `CN=..., OU=..., O=..., C=...` (most specific first, as Hacienda writes it), and
/// the `serialNumber` attribute.
fn name(body: &[u8]) -> Option<(String, Option<String>)> {
    let mut parts = Vec::new();
    let mut serial = None;
    for set in children(body)? {
        for atv in children(set.body)? {
            let items = children(atv.body)?;
            let (oid, value) = (items.first()?, items.get(1)?);
            let text = String::from_utf8_lossy(value.body).into_owned();
            let label = oid_name(oid.body).unwrap_or("OID");
            if label == "serialNumber" {
                serial = Some(text.clone());
            }
            parts.push(format!("{label}={text}"));
        }
    }
    parts.reverse();
    Some((parts.join(", "), serial))
}

/// UTCTime (`YYMMDDHHMMSSZ`) or GeneralizedTime (`YYYYMMDDHHMMSSZ`) to RFC 3339.
fn time(t: &Tlv<'_>) -> Option<String> {
    let s = std::str::from_utf8(t.body).ok()?;
    let (year, rest) = match t.tag {
        0x17 => {
            let yy: u32 = s.get(0..2)?.parse().ok()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, s.get(2..)?)
        }
        0x18 => (s.get(0..4)?.parse().ok()?, s.get(4..)?),
        _ => return None,
    };
    let f = |r: std::ops::Range<usize>| rest.get(r);
    Some(format!(
        "{year:04}-{}-{}T{}:{}:{}Z",
        f(0..2)?,
        f(2..4)?,
        f(4..6)?,
        f(6..8)?,
        f(8..10)?
    ))
}

/// Reads the facts of a DER certificate; `None` when it is not one.
pub(super) fn certificate(der: &[u8]) -> Option<CertFacts> {
    let (cert, _) = tlv(der)?;
    let parts = children(cert.body)?;
    let tbs = children(parts.first()?.body)?;
    // [0] version is optional.
    let offset = usize::from(tbs.first()?.tag == 0xa0);
    let serial = tbs.get(offset)?;
    let issuer = tbs.get(offset + 2)?;
    let validity = children(tbs.get(offset + 3)?.body)?;
    let subject = tbs.get(offset + 4)?;
    let (issuer, _) = name(issuer.body)?;
    let (subject, subject_serial_number) = name(subject.body)?;
    Some(CertFacts {
        serial: to_decimal(serial.body),
        issuer,
        subject,
        subject_serial_number,
        valid_from: time(validity.first()?)?,
        valid_to: time(validity.get(1)?)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_of_big_serials() {
        assert_eq!(to_decimal(&[0x01, 0x78, 0xc6, 0x97, 0xf9, 0x4d]), "1618239551821");
        assert_eq!(to_decimal(&[0]), "0");
        assert_eq!(to_decimal(&[0xff, 0xff]), "65535");
    }

    #[test]
    fn garbage_is_none_not_a_panic() {
        for bytes in [
            &[][..],
            &[0x30],
            &[0x30, 0x85, 1, 2, 3, 4, 5],
            &[0x30, 0x03, 0x02, 0x01],
        ] {
            assert_eq!(certificate(bytes), None);
        }
    }
}
