//! Facts of a `ds:Signature` (XAdES-EPES, as Hacienda's signing policy requires): signing time,
//! certificate, policy and algorithms. Nothing is verified cryptographically.

use crate::text::base64_decode;
use crate::xml::Element;

use super::der;
use super::model::SignatureInfo;

/// Reads the facts of the signature element.
pub(super) fn signature(sig: &Element) -> SignatureInfo {
    let mut info = SignatureInfo::default();
    let mut digests: Vec<String> = Vec::new();
    let mut certificates: Vec<der::CertFacts> = Vec::new();
    let mut unreadable = 0usize;
    walk(sig, &mut |el| match &*el.name {
        "SigningTime" => set(&mut info.signing_time, el.value()),
        "SignatureMethod" => set(&mut info.signature_algorithm, el.attribute("Algorithm")),
        "CanonicalizationMethod" => set(&mut info.canonicalization, el.attribute("Algorithm")),
        "DigestMethod" => {
            if let Some(a) = el.attribute("Algorithm")
                && !digests.iter().any(|d| d == a)
            {
                digests.push(a.to_string());
            }
        }
        "Reference" => info.references += 1,
        "Identifier" => set(&mut info.policy_identifier, el.value()),
        "X509IssuerName" => set(&mut info.issuer, el.value()),
        "X509SerialNumber" => set(&mut info.serial, el.value()),
        "X509Certificate" => match el.value().and_then(read_certificate) {
            Some(c) => certificates.push(c),
            None => unreadable += 1,
        },
        _ => {}
    });
    info.digest_algorithms = digests;
    // KeyInfo may carry the whole chain: the signing certificate is the one XAdES names in
    // IssuerSerial, else the first that is not a CA's (its subject is not an issuer of another).
    let signing = certificates
        .iter()
        .position(|c| info.serial.as_deref() == Some(c.serial.as_str()))
        .or_else(|| {
            certificates
                .iter()
                .position(|c| !certificates.iter().any(|other| other.issuer == c.subject))
        })
        .or((!certificates.is_empty()).then_some(0));
    match signing.map(|i| certificates.swap_remove(i)) {
        Some(c) => {
            info.subject = Some(c.subject);
            info.issuer = Some(c.issuer);
            info.serial = Some(c.serial);
            info.subject_serial_number = c.subject_serial_number;
            info.valid_from = Some(c.valid_from);
            info.valid_to = Some(c.valid_to);
        }
        None if unreadable > 0 => {
            info.certificate_error = Some("X509Certificate is not a readable DER certificate".into());
        }
        None => {}
    }
    info
}

fn set(slot: &mut Option<String>, value: Option<&str>) {
    if slot.is_none() {
        *slot = value.map(str::to_string);
    }
}

fn walk(el: &Element, f: &mut impl FnMut(&Element)) {
    f(el);
    for c in &el.children {
        walk(c, f);
    }
}

fn read_certificate(base64: &str) -> Option<der::CertFacts> {
    let der = base64_decode("X509Certificate", base64).ok()?;
    der::certificate(&der)
}
