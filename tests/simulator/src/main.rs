//! `hacienda-sim [--port N] [--speed X] [--latency-ms N] [--config FILE.json]`: runs the
//! simulator on 127.0.0.1 until killed.

use hacienda_sim::{SimConfig, Simulator};

fn main() {
    match run() {
        Ok(()) => {}
        Err(e) => {
            eprintln!("hacienda-sim: {e}");
            std::process::exit(2);
        }
    }
}

fn run() -> Result<(), String> {
    let mut config = SimConfig::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--config" => {
                let path = value()?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{path}: {e}"))?;
                config = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
            }
            "--port" => config.port = value()?.parse().map_err(|e| format!("--port: {e}"))?,
            "--speed" => config.speed = value()?.parse().map_err(|e| format!("--speed: {e}"))?,
            "--latency-ms" => config.latency_ms = value()?.parse().map_err(|e| format!("--latency-ms: {e}"))?,
            "-h" | "--help" => {
                println!("hacienda-sim [--port N] [--speed X] [--latency-ms N] [--config FILE.json]");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    let sim = Simulator::start(config)?;
    println!(
        "hacienda-sim listening on {} (username {:?}, password {:?}); Ctrl-C to stop",
        sim.url(),
        sim.username(),
        sim.password()
    );
    loop {
        std::thread::park();
    }
}
