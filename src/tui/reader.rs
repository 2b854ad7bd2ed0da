//! The selected message, read again from disk and rendered for the detail pane on a thread of
//! its own, so that the UI never waits on the disk or the MIME parser. The UI asks for a
//! message and goes on drawing; the worker answers the newest question (questions that queued up
//! behind it while the user scrolled are dropped unanswered).

use crate::bounce::Bounce;
use crate::display::{self, Rendered};
use crate::engine::Input;
use std::sync::mpsc::{self, Receiver, Sender};

/// One question: the bounce at this index of the list's bounces.
#[derive(Debug)]
struct Request {
    index: usize,
    bounce: Bounce,
}

/// The answer: the message's text and key lines, or `None` when it could not be read again.
pub type Answer = (usize, Option<Rendered>);

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
                while let Ok(mut q) = questions.recv() {
                    // Only the newest question matters.
                    while let Ok(newer) = questions.try_recv() {
                        q = newer;
                    }
                    let rendered = read(&input, &q.bounce);
                    if tell.send((q.index, rendered)).is_err() {
                        return;
                    }
                }
            })
            .expect("a thread can be started");
        Reader { ask, answers }
    }

    /// Ask for the bounce at `index`.
    pub fn ask(&self, index: usize, bounce: Bounce) {
        let _ = self.ask.send(Request { index, bounce });
    }

    /// The answers that have arrived, without waiting.
    pub fn answers(&self) -> Vec<Answer> {
        self.answers.try_iter().collect()
    }
}

/// Read and render one message (the same work, in whichever thread).
pub fn read(input: &Input, b: &Bounce) -> Option<Rendered> {
    display::load_raw(input, &b.source, b.offset).map(|raw| display::render(&raw, Some(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worker_answers_the_newest_question() {
        let rules = crate::classify::Rules::builtin();
        let (bounces, _) = crate::engine::scan_all(&rules, &Input::Demo).unwrap();
        let reader = Reader::spawn(Input::Demo);
        for (i, b) in bounces.iter().enumerate().take(5) {
            reader.ask(i, b.clone());
        }
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        let mut last = None;
        while std::time::Instant::now() < deadline {
            if let Some(a) = reader.answers().into_iter().last() {
                last = Some(a);
                if last.as_ref().is_some_and(|(i, _)| *i == 4) {
                    break;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let (i, rendered) = last.expect("an answer");
        assert_eq!(i, 4, "the newest question is answered last");
        let rendered = rendered.expect("the demo message is read again");
        assert_eq!(rendered.text, read(&Input::Demo, &bounces[4]).unwrap().text);
    }
}
