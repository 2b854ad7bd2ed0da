//! The selected message, read again from disk on a thread of its own, so that the UI never
//! waits on the disk or the MIME parser: rendered for the detail pane, or as its raw text for
//! the raw view. The UI asks and goes on drawing; only the newest question of each kind is
//! answered (questions that queued up while the user scrolled are dropped, and answers to
//! questions no longer asked are not handed out).

use crate::bounce::Bounce;
use crate::display::{self, Rendered};
use crate::engine::Input;
use std::sync::mpsc::{self, Receiver, Sender};

/// What is wanted of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    /// Its text and key lines, for the detail pane.
    Detail,
    /// Its raw text, made safe to show.
    Raw,
    /// Its bytes as they are (for a command it is piped to).
    Bytes,
}

/// One question: the bounce at this index of the list's bounces.
#[derive(Debug)]
struct Request {
    index: usize,
    want: Want,
    bounce: Box<Bounce>,
}

/// An answer, `None` inside when the message could not be read again.
#[derive(Debug)]
pub enum Answer {
    Detail(usize, Option<Rendered>),
    Raw(usize, Option<String>),
    Bytes(usize, Option<Vec<u8>>),
}

/// The worker thread's two ends, and the questions not answered yet.
#[derive(Debug)]
pub struct Reader {
    ask: Sender<Request>,
    answers: Receiver<Answer>,
    /// Per kind ([`Want`] as index): the bounce asked about last, until it is answered.
    pending: [Option<usize>; 3],
}

impl Reader {
    /// Start the worker for messages of `input`. It ends when the `Reader` is dropped.
    pub fn spawn(input: Input) -> Reader {
        let (ask, questions) = mpsc::channel::<Request>();
        let (tell, answers) = mpsc::channel();
        std::thread::Builder::new()
            .name("bouncescope-reader".into())
            .spawn(move || {
                while let Ok(first) = questions.recv() {
                    // Only the newest question of each kind matters.
                    let mut newest = [None, None, None];
                    for q in std::iter::once(first).chain(questions.try_iter()) {
                        let slot = q.want as usize;
                        newest[slot] = Some(q);
                    }
                    for q in newest.into_iter().flatten() {
                        let answer = match q.want {
                            Want::Detail => Answer::Detail(q.index, read(&input, &q.bounce)),
                            Want::Raw => Answer::Raw(q.index, read_raw(&input, &q.bounce)),
                            Want::Bytes => {
                                Answer::Bytes(q.index, display::load_raw(&input, &q.bounce.source, q.bounce.offset))
                            }
                        };
                        if tell.send(answer).is_err() {
                            return;
                        }
                    }
                }
            })
            .expect("a thread can be started");
        Reader { ask, answers, pending: [None, None, None] }
    }

    /// Ask for `want` of the bounce at `index`, unless that is what is being read already.
    pub fn ask(&mut self, index: usize, want: Want, bounce: &Bounce) {
        if self.pending[want as usize] != Some(index) {
            let _ = self.ask.send(Request { index, want, bounce: Box::new(bounce.clone()) });
            self.pending[want as usize] = Some(index);
        }
    }

    /// The answers to the newest questions that have arrived, without waiting.
    pub fn answers(&mut self) -> Vec<Answer> {
        let arrived: Vec<Answer> = self.answers.try_iter().collect();
        arrived.into_iter().filter(|a| self.answered(a)).collect()
    }

    /// Wait until every question asked is answered (`timeout` at most; for headless use and
    /// tests, never in the TUI's loop), and hand out the answers.
    pub fn settle(&mut self, timeout: std::time::Duration) -> Vec<Answer> {
        let deadline = std::time::Instant::now() + timeout;
        let mut out = Vec::new();
        while self.pending.iter().any(Option::is_some) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.answers.recv_timeout(left) {
                Ok(a) if self.answered(&a) => out.push(a),
                Ok(_) => {}
                Err(_) => break,
            }
        }
        out
    }

    /// Is `a` the answer to a pending question? It is no longer pending then.
    fn answered(&mut self, a: &Answer) -> bool {
        let (want, index) = match a {
            Answer::Detail(i, _) => (Want::Detail, *i),
            Answer::Raw(i, _) => (Want::Raw, *i),
            Answer::Bytes(i, _) => (Want::Bytes, *i),
        };
        let newest = self.pending[want as usize] == Some(index);
        if newest {
            self.pending[want as usize] = None;
        }
        newest
    }
}

/// Read and render one message.
fn read(input: &Input, b: &Bounce) -> Option<Rendered> {
    display::load_raw(input, &b.source, b.offset).map(|raw| display::render(&raw, Some(b)))
}

/// Read one message as it is, made safe to show.
fn read_raw(input: &Input, b: &Bounce) -> Option<String> {
    display::load_raw(input, &b.source, b.offset).map(|raw| crate::sanitize::text(&String::from_utf8_lossy(&raw)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_answers_the_newest_question_of_each_kind() {
        let rules = crate::classify::Rules::builtin();
        let (bounces, _) = crate::engine::scan_all(&rules, &Input::Demo).unwrap();
        let mut reader = Reader::spawn(Input::Demo);
        for (i, b) in bounces.iter().enumerate().take(5) {
            reader.ask(i, Want::Detail, b);
        }
        reader.ask(2, Want::Raw, &bounces[2]);
        reader.ask(3, Want::Bytes, &bounces[3]);
        let answers = reader.settle(std::time::Duration::from_secs(10));
        assert_eq!(answers.len(), 3, "one answer per kind, to the newest question: {answers:?}");
        for answer in answers {
            match answer {
                Answer::Detail(i, rendered) => {
                    assert_eq!(i, 4);
                    let rendered = rendered.expect("the demo message is read again");
                    assert_eq!(rendered.text, read(&Input::Demo, &bounces[4]).unwrap().text);
                }
                Answer::Raw(i, text) => {
                    assert_eq!(i, 2);
                    assert!(text.unwrap().contains("Subject:"));
                }
                Answer::Bytes(i, bytes) => {
                    assert_eq!(i, 3);
                    assert_eq!(bytes, display::load_raw(&Input::Demo, &bounces[3].source, 0));
                }
            }
        }
        assert!(reader.answers().is_empty(), "nothing else is handed out");
    }
}
