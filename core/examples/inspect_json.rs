//! Prints the inspection of each file named on the command line as JSON (a debugging aid and
//! the reference the JS tests compare against).

fn main() {
    for path in std::env::args().skip(1) {
        match std::fs::read(&path) {
            Ok(bytes) => match hacienda_core::inspect(&bytes) {
                Ok(i) => println!("{}", serde_json::to_string_pretty(&i).unwrap_or_default()),
                Err(e) => println!("{path}: error: {e}"),
            },
            Err(e) => println!("{path}: {e}"),
        }
    }
}
