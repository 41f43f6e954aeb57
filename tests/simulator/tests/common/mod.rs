//! Helpers of the client + simulator tests: documents, a client for a simulator.
#![allow(dead_code)]

use std::time::Duration;

use hacienda_core::http::{Client, ClientConfig, Credentials, Environment};
use hacienda_core::{SubmissionRequest, SubmitOptions, build_submission};
use hacienda_sim::{Limits, SimConfig, Simulator};

/// Issuer of the test documents.
pub const ISSUER: &str = "206920142";

/// The clave of document `n` (security code `code`).
pub fn clave(n: u64, code: u64) -> String {
    format!("506010424000{ISSUER}0010000101{n:010}1{code:08}")
}

/// A small v4.4 invoice (unsigned: the simulator does not check signatures).
pub fn invoice_xml(n: u64, code: u64) -> String {
    format!(
        r#"<FacturaElectronica xmlns="https://cdn.comprobanteselectronicos.go.cr/xml-schemas/v4.4/facturaElectronica"><Clave>{}</Clave><NumeroConsecutivo>0010000101{n:010}</NumeroConsecutivo><FechaEmision>2024-04-01T10:00:00-06:00</FechaEmision><Emisor><Nombre>Emisor</Nombre><Identificacion><Tipo>01</Tipo><Numero>{ISSUER}</Numero></Identificacion></Emisor><Receptor><Nombre>Receptor</Nombre><Identificacion><Tipo>02</Tipo><Numero>3101123456</Numero></Identificacion></Receptor><ResumenFactura><TotalImpuesto>130.00000</TotalImpuesto><TotalComprobante>1130.00000</TotalComprobante></ResumenFactura></FacturaElectronica>"#,
        clave(n, code)
    )
}

/// The POST body of document `n`.
pub fn request(n: u64) -> SubmissionRequest {
    request_with_code(n, n)
}

/// The POST body of document `n` with a chosen security code.
pub fn request_with_code(n: u64, code: u64) -> SubmissionRequest {
    build_submission(invoice_xml(n, code).as_bytes(), &SubmitOptions::default()).expect("valid test document")
}

/// A simulator config for fast tests: no limits, decisions within 0.05 s of wall time.
pub fn fast_config() -> SimConfig {
    SimConfig {
        speed: 100.0,
        processing_min_secs: 1.0,
        processing_max_secs: 5.0,
        rejection_rate: 0.0,
        limits: Limits::unlimited(),
        ..SimConfig::default()
    }
}

/// A running simulator.
pub fn sim(config: SimConfig) -> Simulator {
    Simulator::start(config).expect("simulator starts")
}

/// Client config for a simulator.
pub fn client_config(sim: &Simulator) -> ClientConfig {
    let mut c = ClientConfig::new(
        Environment::custom(sim.url()),
        Credentials::new(sim.username(), sim.password()),
    );
    c.timeout = Duration::from_secs(5);
    c.connect_timeout = Duration::from_secs(2);
    c
}

/// A client for a simulator.
pub fn client(sim: &Simulator) -> Client {
    Client::new(client_config(sim)).expect("client builds")
}

/// Polls `key` until its state is final (bounded).
pub fn wait_final(client: &Client, key: &str) -> hacienda_core::StatusAnswer {
    for _ in 0..200 {
        let a = client.status(key).expect("status answers");
        if a.report.as_ref().is_some_and(|r| r.is_final()) {
            return a;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    panic!("{key} never reached a final state");
}
