//! `$/progress` reports while a vault is indexed ("indexing 100,000 notes").

use crossbeam_channel::Sender;
use lsp_server::{Message, Notification};
use lsp_types::notification::Notification as _;
use lsp_types::{
    NumberOrString, ProgressParams, ProgressParamsValue, WorkDoneProgress, WorkDoneProgressBegin,
    WorkDoneProgressEnd, WorkDoneProgressReport,
};

/// Sends the reports of one piece of work; does nothing without a token (a client that
/// shows no progress).
pub struct Reporter {
    sender: Sender<Message>,
    token: Option<NumberOrString>,
    begun: std::sync::atomic::AtomicBool,
}

impl Reporter {
    pub fn new(sender: Sender<Message>, token: Option<NumberOrString>) -> Reporter {
        Reporter {
            sender,
            token,
            begun: std::sync::atomic::AtomicBool::new(false),
        }
    }

    /// `done` of `total` notes read; the first call begins the report.
    pub fn report(&self, done: usize, total: usize) {
        let message = format!("indexing {} notes", thousands(total));
        let percentage = (done * 100).checked_div(total).map(|p| p.min(100) as u32);
        let first = !self.begun.swap(true, std::sync::atomic::Ordering::Relaxed);
        let value = if first {
            WorkDoneProgress::Begin(WorkDoneProgressBegin {
                title: "notelint".to_owned(),
                cancellable: Some(false),
                message: Some(message),
                percentage,
            })
        } else {
            WorkDoneProgress::Report(WorkDoneProgressReport {
                cancellable: Some(false),
                message: Some(message),
                percentage,
            })
        };
        self.send(value);
    }

    pub fn end(&self) {
        if self.begun.load(std::sync::atomic::Ordering::Relaxed) {
            self.send(WorkDoneProgress::End(WorkDoneProgressEnd {
                message: Some("vault indexed".to_owned()),
            }));
        }
    }

    fn send(&self, value: WorkDoneProgress) {
        let Some(token) = &self.token else {
            return;
        };
        let params = ProgressParams {
            token: token.clone(),
            value: ProgressParamsValue::WorkDone(value),
        };
        let method = lsp_types::notification::Progress::METHOD.to_owned();
        let _ = self.sender.send(Notification::new(method, params).into());
    }
}

/// `100000` -> `100,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_are_grouped() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(100_000), "100,000");
        assert_eq!(super::thousands(1_234_567), "1,234,567");
    }
}
