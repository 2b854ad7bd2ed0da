//! A read-only memory map of part of a file, for reading a large mbox without copying it.
//!
//! A `read` copies every byte out of the page cache (as long as `cat` takes, per core); a map
//! lets the separator search look at the page cache itself. Two things come with it:
//! - Memory: touched pages of a map count as the process's own (RSS). The reader gives pages it
//!   has passed back with [`Mapped::release`], so RSS stays near one window, not the file.
//! - A file that shrinks while mapped (another program rewrites the mbox) turns reads past its
//!   new end into SIGBUS, which would kill the process. A handler, installed once, puts a page
//!   of zeros where the file's page was (only inside our maps) and marks the map, so that the
//!   reader can report the file as changed instead of crashing ([`Mapped::shrank`]).

use std::fs::File;
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// Maps alive at once (two per worker at most); beyond this, callers fall back to reading.
const SLOTS: usize = 64;

struct Slot {
    start: AtomicUsize,
    end: AtomicUsize,
    shrank: AtomicBool,
}

#[allow(clippy::declare_interior_mutable_const)] // only to initialise the array below
const FREE: Slot = Slot { start: AtomicUsize::new(0), end: AtomicUsize::new(0), shrank: AtomicBool::new(false) };
static MAPS: [Slot; SLOTS] = [FREE; SLOTS];
static PAGE: AtomicUsize = AtomicUsize::new(4096);
static HANDLER: std::sync::Once = std::sync::Once::new();

/// `len` bytes of a file from `offset`, mapped read-only.
pub struct Mapped {
    base: *mut libc::c_void,
    map_len: usize,
    /// Where the requested bytes start inside the map (the map starts on a page boundary).
    skip: usize,
    len: usize,
    slot: usize,
    /// Bytes of the requested range already given back.
    released: usize,
}

// SAFETY: the map is only read, and a `Mapped` is used by one thread at a time.
unsafe impl Send for Mapped {}

impl Mapped {
    /// Map `len` bytes of `file` from `offset`. Errors (no room in the table, `mmap` refused)
    /// mean: read the file instead.
    pub fn open(file: &File, offset: u64, len: usize) -> std::io::Result<Mapped> {
        HANDLER.call_once(install_handler);
        let page = PAGE.load(Ordering::Relaxed);
        let skip = (offset % page as u64) as usize;
        let map_len = (len + skip).max(1);
        // SAFETY: a fresh read-only private mapping; the kernel checks the descriptor and range.
        let base = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                map_len,
                libc::PROT_READ,
                libc::MAP_PRIVATE,
                file.as_raw_fd(),
                (offset - skip as u64) as libc::off_t,
            )
        };
        if base == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: advice only.
        unsafe { libc::madvise(base, map_len, libc::MADV_SEQUENTIAL) };
        let (start, end) = (base as usize, base as usize + map_len);
        let Some(slot) =
            MAPS.iter().position(|s| s.start.compare_exchange(0, start, Ordering::AcqRel, Ordering::Relaxed).is_ok())
        else {
            // SAFETY: unmapping what was just mapped.
            unsafe { libc::munmap(base, map_len) };
            return Err(std::io::Error::other("too many mapped files"));
        };
        MAPS[slot].shrank.store(false, Ordering::Relaxed);
        MAPS[slot].end.store(end, Ordering::Release);
        Ok(Mapped { base, map_len, skip, len, slot, released: 0 })
    }

    pub fn as_slice(&self) -> &[u8] {
        // SAFETY: the map covers `skip + len` readable bytes for as long as `self` lives; pages
        // past a shrunken file's end are replaced by zeros by the SIGBUS handler.
        unsafe { std::slice::from_raw_parts((self.base as *const u8).add(self.skip), self.len) }
    }

    /// Give back the pages wholly before `upto` (an offset in the slice): nothing before it will
    /// be read again. Reading there afterwards still works (the pages come back from the file).
    pub fn release(&mut self, upto: usize) {
        let page = PAGE.load(Ordering::Relaxed);
        let end = (self.skip + upto.min(self.len)) / page * page;
        let from = (self.skip + self.released) / page * page;
        if end > from {
            // SAFETY: advice on a range inside our own map.
            unsafe { libc::madvise((self.base as *mut u8).add(from).cast(), end - from, libc::MADV_DONTNEED) };
            self.released = end - self.skip.min(end);
        }
    }

    /// Did the file end before the map did (it was cut while being read)?
    pub fn shrank(&self) -> bool {
        MAPS[self.slot].shrank.load(Ordering::Acquire)
    }
}

impl Drop for Mapped {
    fn drop(&mut self) {
        let slot = &MAPS[self.slot];
        slot.end.store(0, Ordering::Release);
        // SAFETY: our own map, no longer lent out (the slice borrows `self`).
        unsafe { libc::munmap(self.base, self.map_len) };
        slot.start.store(0, Ordering::Release);
    }
}

fn install_handler() {
    // SAFETY: sysconf has no preconditions; sigaction gets a valid, zeroed struct.
    unsafe {
        let page = libc::sysconf(libc::_SC_PAGESIZE);
        if page > 0 {
            PAGE.store(page as usize, Ordering::Relaxed);
        }
        let mut action: libc::sigaction = std::mem::zeroed();
        action.sa_sigaction = on_sigbus as *const () as libc::sighandler_t;
        action.sa_flags = libc::SA_SIGINFO;
        libc::sigemptyset(&mut action.sa_mask);
        libc::sigaction(libc::SIGBUS, &action, std::ptr::null_mut());
    }
}

/// A read past the end of a file that shrank: inside one of our maps, put a page of zeros there
/// and let the read go on; anywhere else, fall back to the default action (the access faults
/// again and the process ends as it would have without us).
extern "C" fn on_sigbus(_sig: libc::c_int, info: *mut libc::siginfo_t, _ctx: *mut libc::c_void) {
    // SAFETY: the kernel passes a valid siginfo for SA_SIGINFO handlers; mmap and signal are
    // plain system calls here, and only atomics are touched.
    unsafe {
        let addr = (*info).si_addr() as usize;
        let page = PAGE.load(Ordering::Relaxed);
        for slot in &MAPS {
            let (start, end) = (slot.start.load(Ordering::Acquire), slot.end.load(Ordering::Acquire));
            if start <= addr && addr < end {
                let at = (addr / page * page) as *mut libc::c_void;
                let zeros = libc::mmap(
                    at,
                    page,
                    libc::PROT_READ,
                    libc::MAP_PRIVATE | libc::MAP_ANONYMOUS | libc::MAP_FIXED,
                    -1,
                    0,
                );
                if zeros != libc::MAP_FAILED {
                    slot.shrank.store(true, Ordering::Release);
                    return;
                }
            }
        }
        libc::signal(libc::SIGBUS, libc::SIG_DFL);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_map_reads_the_range_it_was_asked_for() {
        let mut f = tempfile::tempfile().unwrap();
        let data: Vec<u8> = (0..20_000u32).map(|i| (i % 251) as u8).collect();
        f.write_all(&data).unwrap();
        for (offset, len) in [(0, 20_000), (1, 100), (4095, 2), (4096, 8000), (12_345, 7_655)] {
            let m = Mapped::open(&f, offset, len).unwrap();
            assert_eq!(m.as_slice(), &data[offset as usize..offset as usize + len]);
        }
    }

    #[test]
    fn released_pages_read_the_same_again() {
        let mut f = tempfile::tempfile().unwrap();
        let data: Vec<u8> = (0..100_000u32).map(|i| (i % 13) as u8).collect();
        f.write_all(&data).unwrap();
        let mut m = Mapped::open(&f, 100, 90_000).unwrap();
        let before = m.as_slice().to_vec();
        m.release(50_000);
        m.release(20_000);
        m.release(90_000);
        assert_eq!(m.as_slice(), &before[..]);
    }

    #[test]
    fn a_file_cut_while_mapped_reads_as_zeros_and_says_so() {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(&vec![b'x'; 64 * 1024]).unwrap();
        let m = Mapped::open(&f, 0, 64 * 1024).unwrap();
        assert!(!m.shrank());
        f.set_len(1000).unwrap();
        let s = m.as_slice();
        assert_eq!(&s[..1000], &vec![b'x'; 1000][..]);
        // Past the new end: a page of zeros instead of SIGBUS.
        assert!(s[32 * 1024..].iter().all(|&b| b == 0));
        assert!(m.shrank());
    }
}
