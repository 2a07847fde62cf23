//! Running a future to completion on the current thread, for callers without an async
//! runtime (a leaf: no other module of the crate is needed).

use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

struct ThreadWaker(Thread);

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
    fn wake_by_ref(self: &Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on the current thread: the blocking wrapper for programs
/// without an async runtime.
///
/// Do not call it from inside an async task (it would block that task's executor thread);
/// there, `.await` the future. `HttpFetcher` (feature `http`) runs its requests on its own small runtime,
/// so it works under `block_on` without tokio being set up by the caller.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    loop {
        if let Poll::Ready(out) = future.as_mut().poll(&mut cx) {
            return out;
        }
        // A wake before this park leaves a token, so no wake-up is lost; spurious wake-ups
        // only cost another poll.
        thread::park();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::task::Poll;

    #[test]
    fn block_on_waits_for_a_wake_from_another_thread() {
        let (tx, rx) = std::sync::mpsc::channel::<Waker>();
        let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let f2 = Arc::clone(&flag);
        let handle = thread::spawn(move || {
            let waker = rx.recv().unwrap();
            thread::sleep(std::time::Duration::from_millis(20));
            f2.store(true, std::sync::atomic::Ordering::SeqCst);
            waker.wake();
        });
        let mut sent = Some(tx);
        let out = block_on(std::future::poll_fn(|cx| {
            if flag.load(std::sync::atomic::Ordering::SeqCst) {
                return Poll::Ready(7);
            }
            if let Some(tx) = sent.take() {
                tx.send(cx.waker().clone()).unwrap();
            }
            Poll::Pending
        }));
        assert_eq!(out, 7);
        handle.join().unwrap();
    }
}
