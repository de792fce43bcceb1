//! Unit and property tests for the body scanner.

use super::*;

#[test]
fn smoke() {
    let s = scan(
        "# Title\n\nSee [[Note#A|x]] and [t](My%20Note.md#Head) #tag ^blk\n",
        0,
        &ScanOptions::default(),
    );
    assert_eq!(s.links.len(), 2);
}
