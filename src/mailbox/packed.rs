//! Compressed mail, read as if it were not: an mbox or a message packed with gzip, zstd, xz or
//! bzip2 (logrotate's archives, `inbox.mbox.gz`, Dovecot's compressed Maildir files) is told by
//! its first bytes, not its name, and unpacked as a stream while it is read, under the same
//! limits as plain mail (the unpacked size is never trusted).

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// How a file is packed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Packing {
    Gzip,
    Zstd,
    Xz,
    Bzip2,
}

impl Packing {
    /// The packing whose magic number `head` starts with.
    pub fn of(head: &[u8]) -> Option<Packing> {
        match head {
            [0x1f, 0x8b, ..] => Some(Packing::Gzip),
            [0x28, 0xb5, 0x2f, 0xfd, ..] => Some(Packing::Zstd),
            [0xfd, b'7', b'z', b'X', b'Z', 0x00, ..] => Some(Packing::Xz),
            [b'B', b'Z', b'h', b'1'..=b'9', ..] => Some(Packing::Bzip2),
            _ => None,
        }
    }
}

/// A name's part before a packing suffix: `inbox.mbox.gz` → `inbox.mbox`.
pub fn unpacked_name(name: &str) -> &str {
    let lower = name.to_ascii_lowercase();
    for suffix in [".gz", ".zst", ".zstd", ".xz", ".bz2"] {
        if lower.ends_with(suffix) {
            return &name[..name.len() - suffix.len()];
        }
    }
    name
}

/// `inner`, unpacked when its first bytes say it is packed (a stream packed several times over,
/// as `cat a.gz b.gz` makes, is read to its end), else as it is.
pub fn unpack<R: Read + Send + 'static>(inner: R) -> std::io::Result<Box<dyn Read + Send>> {
    let mut buffered = BufReader::with_capacity(64 * 1024, inner);
    let head = buffered.fill_buf()?;
    Ok(match Packing::of(head) {
        None => Box::new(buffered),
        Some(Packing::Gzip) => Box::new(flate2::bufread::MultiGzDecoder::new(buffered)),
        Some(Packing::Zstd) => Box::new(zstd::stream::read::Decoder::with_buffer(buffered)?),
        Some(Packing::Xz) => Box::new(liblzma::bufread::XzDecoder::new_multi_decoder(buffered)),
        Some(Packing::Bzip2) => Box::new(bzip2::bufread::MultiBzDecoder::new(buffered)),
    })
}

/// Open `path` for reading, unpacked when it is packed.
pub fn open(path: &Path) -> std::io::Result<Box<dyn Read + Send>> {
    unpack(std::fs::File::open(path)?)
}

/// Is the file at `path` packed?
pub fn is_packed(path: &Path) -> bool {
    let mut head = [0u8; 6];
    let n = std::fs::File::open(path).and_then(|mut f| f.read(&mut head)).unwrap_or(0);
    Packing::of(&head[..n]).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const TEXT: &[u8] = b"From a@b Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody\n";

    fn packed(packing: Packing, data: &[u8]) -> Vec<u8> {
        match packing {
            Packing::Gzip => {
                let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Packing::Zstd => zstd::stream::encode_all(data, 3).unwrap(),
            Packing::Xz => {
                let mut e = liblzma::write::XzEncoder::new(Vec::new(), 6);
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
            Packing::Bzip2 => {
                let mut e = bzip2::write::BzEncoder::new(Vec::new(), bzip2::Compression::default());
                e.write_all(data).unwrap();
                e.finish().unwrap()
            }
        }
    }

    #[test]
    fn every_packing_is_told_by_its_first_bytes_and_unpacked() {
        for packing in [Packing::Gzip, Packing::Zstd, Packing::Xz, Packing::Bzip2] {
            let data = packed(packing, TEXT);
            assert_eq!(Packing::of(&data), Some(packing));
            let mut out = Vec::new();
            unpack(std::io::Cursor::new(data)).unwrap().read_to_end(&mut out).unwrap();
            assert_eq!(out, TEXT, "{packing:?}");
        }
        // Plain text comes through as it is.
        let mut out = Vec::new();
        unpack(TEXT).unwrap().read_to_end(&mut out).unwrap();
        assert_eq!(out, TEXT);
        assert_eq!(Packing::of(TEXT), None);
    }

    #[test]
    fn a_stream_packed_twice_over_is_read_to_its_end() {
        for packing in [Packing::Gzip, Packing::Zstd, Packing::Xz, Packing::Bzip2] {
            let mut data = packed(packing, TEXT);
            data.extend(packed(packing, TEXT));
            let mut out = Vec::new();
            unpack(std::io::Cursor::new(data)).unwrap().read_to_end(&mut out).unwrap();
            assert_eq!(out, [TEXT, TEXT].concat(), "{packing:?}");
        }
    }

    #[test]
    fn names_lose_their_packing_suffix() {
        assert_eq!(unpacked_name("inbox.mbox.gz"), "inbox.mbox");
        assert_eq!(unpacked_name("a.eml.ZST"), "a.eml");
        assert_eq!(unpacked_name("mbox"), "mbox");
    }
}
