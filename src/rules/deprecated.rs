//! (in progress)

use super::{Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::note::Note;

pub static RULES: &[&Rule] = &[];

pub fn check(_note: &Note, _cx: &Context<'_>) -> Vec<Diagnostic> {
    Vec::new()
}
