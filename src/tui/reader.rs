//! The selected message, read again from disk on a thread of its own, so that the UI never
//! waits on the disk or the MIME parser: rendered for the detail pane, or as its raw text for
//! the raw view. The UI asks and goes on drawing; the worker answers the newest question of
//! each kind (questions that queued up behind it while the user scrolled are dropped).

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
}

/// The worker thread's two ends.
#[derive(Debug)]
pub struct Reader {
    ask: Sender<Request>,
    answers: Receiver<Answer>,
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
                    let mut newest = [None, None];
                    for q in std::iter::once(first).chain(questions.try_iter()) {
                        let slot = q.want as usize;
                        newest[slot] = Some(q);
                    }
                    for q in newest.into_iter().flatten() {
                        let answer = match q.want {
                            Want::Detail => Answer::Detail(q.index, read(&input, &q.bounce)),
                            Want::Raw => Answer::Raw(q.index, read_raw(&input, &q.bounce)),
                        };
                        if tell.send(answer).is_err() {
                            return;
                        }
                    }
                }
            })
            .expect("a thread can be started");
        Reader { ask, answers }
    }

    /// Ask for `want` of the bounce at `index`.
    pub fn ask(&self, index: usize, want: Want, bounce: &Bounce) {
        let _ = self.ask.send(Request { index, want, bounce: Box::new(bounce.clone()) });
    }

    /// The answers that have arrived, without waiting.
    pub fn answers(&self) -> Vec<Answer> {
        self.answers.try_iter().collect()
    }

    /// The next answer, waiting for it at most `timeout` (for headless use and tests).
    pub fn wait(&self, timeout: std::time::Duration) -> Option<Answer> {
        self.answers.recv_timeout(timeout).ok()
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
        let reader = Reader::spawn(Input::Demo);
        for (i, b) in bounces.iter().enumerate().take(5) {
            reader.ask(i, Want::Detail, b);
        }
        reader.ask(2, Want::Raw, &bounces[2]);
        let (mut detail, mut raw) = (None, None);
        while detail != Some(4) || raw.is_none() {
            match reader.wait(std::time::Duration::from_secs(10)).expect("an answer") {
                Answer::Detail(i, rendered) => {
                    let rendered = rendered.expect("the demo message is read again");
                    assert_eq!(rendered.text, read(&Input::Demo, &bounces[i]).unwrap().text);
                    detail = Some(i);
                }
                Answer::Raw(i, text) => {
                    assert_eq!(i, 2);
                    assert!(text.unwrap().contains("Subject:"));
                    raw = Some(i);
                }
            }
        }
    }
}
