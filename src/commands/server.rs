//! `notelint server`: the language server on stdin/stdout (SPEC 11).

use std::io::Write;

use super::{FAILURE, SUCCESS};
use crate::error::FileError;

pub fn run() -> Result<u8, Vec<FileError>> {
    match crate::server::run() {
        Ok(true) => Ok(SUCCESS),
        // `exit` without `shutdown`, or the client went away: 1, as the protocol says.
        Ok(false) => Ok(1),
        Err(message) => {
            let _ = writeln!(std::io::stderr(), "error: notelint server: {message}");
            Ok(FAILURE)
        }
    }
}
