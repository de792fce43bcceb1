//! Requests that exist only in debug builds, for the tests of the server's robustness: one
//! that panics (it must be answered with an error, logged, and the server go on) and one
//! that takes a while (so a cancellation arrives while it runs).

use super::Context;

pub enum Panic {}

impl lsp_types::request::Request for Panic {
    type Params = serde_json::Value;
    type Result = ();
    const METHOD: &'static str = "notelint/testPanic";
}

pub fn panic(_: &Context, _: serde_json::Value) -> Result<(), String> {
    panic!("deliberate panic for the tests")
}

pub enum Sleep {}

impl lsp_types::request::Request for Sleep {
    type Params = u64;
    type Result = ();
    const METHOD: &'static str = "notelint/testSleep";
}

pub fn sleep(_: &Context, millis: u64) -> Result<(), String> {
    std::thread::sleep(std::time::Duration::from_millis(millis));
    Ok(())
}
