//! (in progress)

use super::{Context, Rule};
use crate::diagnostic::Diagnostic;
use crate::note::Note;

pub static RULES: &[&Rule] = &[];

pub fn check(_note: &Note, _cx: &Context<'_>) -> Vec<Diagnostic> {
    Vec::new()
}

#[cfg(test)]
mod explore {
    #[test]
    fn explore() {
        let texts = [
            "tags:\n- a\n-\n- \"\"\n- \n  # c\n- x\n",
            "tags: [a, , b]\n",
            "tags: [a, b,]\n",
            "tags: [a, '', ~]\n",
            "tags:\n  - a\n  -   \n  - b\n",
            "tags:\n- a\n-",
            "tags: a, b c\n",
            "tags: 'a, b'\n",
            "tags: \"a\\tb\"\n",
            "tags: #a\n",
            "tags: '#a'\n",
            "tags:\n  - #a\n",
            "tags: >\n  a b\n  c\n",
            "tags: a\n  b\n",
        ];
        for t in texts {
            match crate::yaml::load(t, &crate::yaml::Limits::default()) {
                Ok(d) => {
                    let n = &d.root.get("tags").unwrap().value;
                    eprintln!("{t:?}: {:?} {:?} {:?}", n.value, n.span, &t[n.span.clone()]);
                    if let Some(items) = n.as_seq() {
                        for i in items {
                            eprintln!(
                                "   item {:?} {:?} {:?}",
                                i.value,
                                i.span,
                                &t[i.span.clone()]
                            );
                        }
                    }
                }
                Err(e) => eprintln!("{t:?}: ERR {e:?}"),
            }
        }
    }
}
